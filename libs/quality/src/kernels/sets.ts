/**
 * `expect_column_values_to_be_in_set` / `_not_be_in_set`. The set is
 * converted once into the column's domain: UTF-8 bytes in a hash table for
 * strings (rows compared as bytes, never decoded; dictionary columns test each
 * entry once), exact 64-bit words for Int64/timestamps, numbers otherwise
 * (temporal columns also take ISO-8601 text). Literals of another kind never
 * match (a number is not in a string column).
 */
import * as arrow from 'apache-arrow';
import type { InSet, Literal, NotInSet } from '../expectation.js';
import { literalNumber } from './bounds.js';
import { BytesTable, PairTable } from './hash-table.js';
import { offsetsOf } from './keys.js';
import { NS_PER_UNIT, numericDomain, numbersOf, parseIsoNs, wordsOf, type NumericDomain } from './numeric.js';
import type { ChunkKernel, Prepared } from './outcome.js';

export function prepareSet(e: InSet | NotInSet, type: arrow.DataType): Prepared {
  if (!Array.isArray(e.value_set)) return { error: 'value_set must be an array' };
  const failWhenMember = e.type === 'expect_column_values_to_not_be_in_set' ? 1 : 0;
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return { kernel: stringKernel(e.value_set, failWhenMember) };
  if (arrow.DataType.isBool(type)) return { kernel: boolKernel(e.value_set, failWhenMember) };
  const domain = numericDomain(type);
  if (!domain) return { error: `${e.type} applies to string, boolean, numeric and temporal columns, not ${String(type)}` };
  return { kernel: numericKernel(e.value_set, domain, failWhenMember) };
}

function stringKernel(set: readonly Literal[], failWhenMember: number): ChunkKernel {
  const members = new BytesTable();
  const encoder = new TextEncoder();
  for (const v of set) {
    if (typeof v !== 'string') continue;
    const bytes = encoder.encode(v);
    members.intern(bytes, 0, bytes.length);
  }
  return (data, out, base) => {
    const { offsets, stride } = offsetsOf(data);
    const values = data.values as Uint8Array;
    let fails = 0;
    for (let i = 0; i < data.length; i++) {
      const member = members.find(values, offsets[i * stride] as number, offsets[(i + 1) * stride] as number) >= 0 ? 1 : 0;
      const f = member ^ failWhenMember ^ 1;
      out[base + i] = f;
      fails += f;
    }
    return fails;
  };
}

function boolKernel(set: readonly Literal[], failWhenMember: number): ChunkKernel {
  const has = [set.includes(false) ? 1 : 0, set.includes(true) ? 1 : 0];
  return (data, out, base) => {
    const bits = data.values as Uint8Array;
    const off = data.offset;
    let fails = 0;
    for (let i = 0; i < data.length; i++) {
      const bit = ((bits[(off + i) >> 3] as number) >> ((off + i) & 7)) & 1;
      const f = (has[bit] as number) ^ failWhenMember ^ 1;
      out[base + i] = f;
      fails += f;
    }
    return fails;
  };
}

function numericKernel(set: readonly Literal[], domain: NumericDomain, failWhenMember: number): ChunkKernel {
  const numbers: number[] = [];
  const words = new PairTable();
  for (const v of set) {
    if (typeof v === 'boolean') continue;
    const n = literalNumber(v, domain.unit, NaN);
    if (n !== undefined && !Number.isNaN(n)) numbers.push(n);
    const exact = exactInteger(v, domain);
    if (exact !== undefined) {
      const unsignedLow = Number(BigInt.asUintN(32, exact)) | 0;
      words.intern(unsignedLow, Number(BigInt.asIntN(32, exact >> 32n)));
    }
  }
  const few = Float64Array.from(numbers);
  const many = new Set(numbers);
  return (data, out, base) => {
    const n = data.length;
    let fails = 0;
    const w = wordsOf(data);
    if (w) {
      for (let i = 0; i < n; i++) {
        const f = (words.find(w[2 * i] as number, w[2 * i + 1] as number) >= 0 ? 1 : 0) ^ failWhenMember ^ 1;
        out[base + i] = f;
        fails += f;
      }
      return fails;
    }
    const v = numbersOf(data);
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      let member = 0;
      if (few.length <= 8) {
        for (let j = 0; j < few.length; j++) if (few[j] === x) member = 1;
      } else member = many.has(x) ? 1 : 0;
      const f = member ^ failWhenMember ^ 1;
      out[base + i] = f;
      fails += f;
    }
    return fails;
  };
}

/** A literal as an exact integer of the domain's unit (64-bit columns), or undefined when it is not one. */
function exactInteger(v: string | number, domain: NumericDomain): bigint | undefined {
  let big: bigint | undefined;
  if (typeof v === 'number') big = Number.isInteger(v) ? BigInt(v) : undefined;
  else if (/^[+-]?\d+$/.test(v.trim())) big = BigInt(v.trim());
  else if (domain.unit) {
    const ns = parseIsoNs(v);
    const per = NS_PER_UNIT[domain.unit];
    if (ns !== undefined && ns % per === 0n) big = ns / per;
  }
  if (big === undefined) return undefined;
  const min = domain.unsigned ? 0n : -(1n << 63n);
  const max = domain.unsigned ? (1n << 64n) - 1n : (1n << 63n) - 1n;
  return big < min || big > max ? undefined : domain.unsigned ? BigInt.asIntN(64, big) : big;
}
