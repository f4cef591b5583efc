import { CodecError } from '../errors.js';

/**
 * Cheap type checks for encode. Encode expects validated events; these only
 * stop values that would otherwise be stored wrong without a sound (a string
 * coerced to a number, 300 wrapped into a ubyte, an unknown enum as 0).
 * Ranges are zod's job (decode with `validate`).
 */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function invalid(field: string, value: unknown, expected: string): CodecError {
  return new CodecError('INVALID_EVENT', `${field} = ${show(value)} is not ${expected}`, { field });
}

export function f64(value: number, field: string): number {
  if (typeof value !== 'number') throw invalid(field, value, 'a number');
  return value;
}

export function u8(value: number, field: string): number {
  if ((value & 0xff) !== value) throw invalid(field, value, 'an integer in 0..255 (ubyte)');
  return value;
}

export function i8(value: number, field: string): number {
  if ((value << 24) >> 24 !== value) throw invalid(field, value, 'an integer in -128..127 (byte)');
  return value;
}

export function u16(value: number, field: string): number {
  if ((value & 0xffff) !== value) throw invalid(field, value, 'an integer in 0..65535 (ushort)');
  return value;
}

export function i64(value: bigint, field: string): bigint {
  if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
    throw invalid(field, value, 'a bigint in the int64 range');
  }
  return value;
}

export function bool(value: boolean, field: string): number {
  if (value === true) return 1;
  if (value === false) return 0;
  throw invalid(field, value, 'a boolean');
}

export function enumIndex(index: Readonly<Record<string, number>>, value: string, field: string, values: readonly string[]): number {
  const i = typeof value === 'string' ? index[value] : undefined;
  if (i === undefined) throw invalid(field, value, `one of ${values.join('|')}`);
  return i;
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}
