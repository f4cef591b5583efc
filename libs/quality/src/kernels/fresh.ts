/**
 * `expect_column_values_to_be_fresh`: event time within
 * [now − max_age_ms, now + max_future_ms], against the `now` validate was
 * given. Timestamps in any unit, dates, or integer epochs of `unit`; the
 * window is converted once into the column's unit and checked by the range
 * kernel.
 */
import * as arrow from 'apache-arrow';
import type { Fresh } from '../expectation.js';
import { wordRange } from './bounds.js';
import { rangeKernel } from './between.js';
import { NS_PER_UNIT, numericDomain, type TemporalUnit } from './numeric.js';
import type { Prepared } from './outcome.js';

export function prepareFresh(e: Fresh, type: arrow.DataType, nowMs: number): Prepared {
  const domain = numericDomain(type);
  const temporal = arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type);
  if (!domain || (!temporal && !arrow.DataType.isInt(type))) {
    return { error: `${e.type} applies to timestamp, date and integer epoch columns, not ${String(type)}` };
  }
  for (const key of ['max_age_ms', 'max_future_ms'] as const) {
    const v = e[key];
    if (v !== undefined && !(v >= 0)) return { error: `${key} must be a non-negative number, got ${String(v)}` };
  }
  const unit: TemporalUnit = temporal ? (domain.unit as TemporalUnit) : (e.unit ?? 'ns');
  const per = NS_PER_UNIT[unit];
  const nowNs = BigInt(Math.round(nowMs * 1000)) * 1000n;
  const loNs = e.max_age_ms === undefined || e.max_age_ms === Infinity ? null : nowNs - BigInt(Math.round(e.max_age_ms * 1000)) * 1000n;
  const hiNs = e.max_future_ms === undefined || e.max_future_ms === Infinity ? null : nowNs + BigInt(Math.round(e.max_future_ms * 1000)) * 1000n;
  const lo = loNs === null ? null : ceilDiv(loNs, per);
  const hi = hiNs === null ? null : floorDiv(hiNs, per);
  const numbers = { lo: lo === null ? -Infinity : Number(lo), hi: hi === null ? Infinity : Number(hi) };
  return { kernel: rangeKernel({ numbers, words: wordRange(lo, hi, domain.unsigned) }, domain.unsigned) };
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}
