/**
 * One cell as JSON carries it (`JsonCell`): int64 beyond 2^53 as decimal
 * text, timestamps as ISO-8601 text with microseconds, dates as
 * `yyyy-mm-dd`, binary as base64, NaN/±Infinity as text. For results and
 * quarantine reasons: read on demand from the buffers, never on a hot path.
 */
import * as arrow from 'apache-arrow';
import { isValidAt, locate, vectorColumn, type Column } from './column.js';
import { offsetsOf } from './kernels/keys.js';
import { NS_PER_UNIT, numericDomain, wordsOf, wordsToBigInt } from './kernels/numeric.js';
import type { JsonCell } from './result.js';

const decoder = new TextDecoder();

export function renderCell(column: Column, row: number): JsonCell {
  const at = locate(column, row);
  if (!at || !isValidAt(at.data, at.index)) return null;
  const { data, index } = at;
  if (data.dictionary) {
    const code = (data.values as ArrayLike<number>)[index] as number;
    return renderCell(vectorColumn(column.name, data.dictionary), code);
  }
  const type = data.type as arrow.DataType;
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type)) {
    const { offsets, stride } = offsetsOf(data);
    const bytes = (data.values as Uint8Array).subarray(offsets[index * stride] as number, offsets[(index + 1) * stride] as number);
    return arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) ? decoder.decode(bytes) : base64(bytes);
  }
  if (arrow.DataType.isBool(type)) {
    const bit = data.offset + index;
    return (((data.values as Uint8Array)[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
  }
  const domain = numericDomain(type);
  if (domain) {
    const w = wordsOf(data);
    return renderNumeric(type, w ? wordsToBigInt(w, index, domain.unsigned) : ((data.values as ArrayLike<number>)[index] as number));
  }
  const value: unknown = arrow.makeVector(data).get(index);
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? null;
}

/** A numeric or temporal value of `type` (raw: in the type's unit). */
export function renderNumeric(type: arrow.DataType, value: number | bigint): JsonCell {
  const domain = numericDomain(type);
  if (domain?.unit && (typeof value === 'bigint' || Number.isFinite(value))) {
    const raw = typeof value === 'bigint' ? value : BigInt(Math.round(value));
    if (domain.unit === 'day') return isoMicros(raw * NS_PER_UNIT.day, false)?.slice(0, 10) ?? String(raw);
    return isoMicros(raw * NS_PER_UNIT[domain.unit], !arrow.DataType.isTimestamp(type) || type.timezone !== null) ?? String(raw);
  }
  if (typeof value === 'bigint') return value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : String(value);
  return Number.isFinite(value) ? value : String(value);
}

/** ISO-8601 with microseconds (`2026-05-24T13:02:11.123456Z`), or undefined outside Date's range. */
export function isoMicros(ns: bigint, zoned = true): string | undefined {
  let ms = ns / 1_000_000n;
  if (ns % 1_000_000n !== 0n && ns < 0n) ms -= 1n;
  const micros = (ns - ms * 1_000_000n) / 1000n;
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString().replace('Z', String(micros).padStart(3, '0'));
  return zoned ? `${iso}Z` : iso;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k++) s += String.fromCharCode(bytes[k] as number);
  return btoa(s);
}
