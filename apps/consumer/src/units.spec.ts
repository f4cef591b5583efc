import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseSize } from './units.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500], ['5s', 5_000], ['1.5s', 1_500], ['1m', 60_000], ['6h', 21_600_000], ['1d', 86_400_000], ['0s', 0], [' 2s ', 2_000], ['0.0004s', 0],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['5', '', 's', '-1s', '1.s', '.5s', '5 s', '5sec', '1e3ms', '5S', '99999999999999999999d'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('round-trips every whole number of ms through formatDuration', () => {
    fc.assert(fc.property(fc.nat(1_000 * 86_400_000), (ms) => parseDuration(formatDuration(ms)) === ms));
  });

  it('scales by its unit: <n><unit> = n × unit size', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.constantFrom(['ms', 1], ['s', 1e3], ['m', 6e4], ['h', 3.6e6]) as fc.Arbitrary<[string, number]>, (n, [unit, size]) =>
        parseDuration(`${n}${unit}`) === n * size),
    );
  });
});

describe('parseSize', () => {
  it.each([
    ['64MiB', 64 * 2 ** 20], ['1GB', 1e9], ['1048576', 1_048_576], ['2KiB', 2048], ['1.5KiB', 1536], ['10 mb', 1e7], ['7B', 7], ['1TiB', 2 ** 40],
  ])('%s = %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it.each(['', 'MiB', '-1MiB', '64 parsecs', '1e6', '64MiBs', '1..5KB'])('%j is not a size', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  it('round-trips every whole number of bytes through formatSize', () => {
    fc.assert(fc.property(fc.nat(2 ** 50), (bytes) => parseSize(formatSize(bytes)) === bytes));
    fc.assert(fc.property(fc.nat(2 ** 20), fc.constantFrom(2 ** 10, 2 ** 20, 2 ** 30), (n, unit) => parseSize(formatSize(n * unit)) === n * unit));
  });
});
