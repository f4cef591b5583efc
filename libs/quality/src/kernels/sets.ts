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
import { PairTable } from './hash-table.js';
import { NS_PER_UNIT, numericDomain, numbersOf, parseIsoNs, wordsOf, type NumericDomain } from './numeric.js';
import { FAIL, isValid, nullsOf, type ChunkKernel, type Prepared } from './outcome.js';
import { stringSetKernel } from './string-set.js';

export function prepareSet(e: InSet | NotInSet, type: arrow.DataType): Prepared {
  if (!Array.isArray(e.value_set)) return { error: 'value_set must be an array' };
  const failWhenMember = e.type === 'expect_column_values_to_not_be_in_set' ? 1 : 0;
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return { kernel: stringSetKernel(e.value_set.filter((v): v is string => typeof v === 'string'), failWhenMember) };
  if (arrow.DataType.isBool(type)) return { kernel: boolKernel(e.value_set, failWhenMember) };
  const domain = numericDomain(type);
  if (!domain) return { error: `${e.type} applies to string, boolean, numeric and temporal columns, not ${String(type)}` };
  return { kernel: numericKernel(e.value_set, domain, failWhenMember) };
}

function boolKernel(set: readonly Literal[], failWhenMember: number): ChunkKernel {
  const has = [set.includes(false) ? 1 : 0, set.includes(true) ? 1 : 0];
  return (data, out, base) => {
    const bits = data.values as Uint8Array;
    const off = data.offset;
    const bitmap = nullsOf(data);
    let fails = 0;
    for (let i = 0; i < data.length; i++) {
      const bit = ((bits[(off + i) >> 3] as number) >> ((off + i) & 7)) & 1;
      if (((has[bit] as number) ^ failWhenMember ^ 1) === 1 && isValid(bitmap, off + i)) {
        out[base + i] = FAIL;
        fails++;
      }
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
    const bitmap = nullsOf(data);
    const off = data.offset;
    let fails = 0;
    const w = wordsOf(data);
    if (w) {
      for (let i = 0; i < n; i++) {
        if (((words.find(w[2 * i] as number, w[2 * i + 1] as number) >= 0 ? 1 : 0) ^ failWhenMember ^ 1) === 1 && isValid(bitmap, off + i)) {
          out[base + i] = FAIL;
          fails++;
        }
      }
      return fails;
    }
    const v = numbersOf(data);
    const linear = few.length <= 8;
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      let member = 0;
      if (linear) {
        for (let j = 0; j < few.length; j++) if (few[j] === x) member = 1;
      } else member = many.has(x) ? 1 : 0;
      if ((member ^ failWhenMember ^ 1) === 1 && isValid(bitmap, off + i)) {
        out[base + i] = FAIL;
        fails++;
      }
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
