import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isXerialFramed, registerSnappyCodec, snappyCompress, snappyDecompress, xerialFrame } from './snappy.js';

const sample = Buffer.concat(Array.from({ length: 200 }, (_, i) => Buffer.from(`sat${i % 7},${(i * 1.37).toFixed(2)},\x00\xff\n`, 'latin1')));

describe('snappy codec', () => {
  it('compresses to raw snappy (no xerial header), as librdkafka does, and back', () => {
    const compressed = snappyCompress(sample);
    expect(isXerialFramed(compressed)).toBe(false);
    expect(compressed.length).toBeLessThan(sample.length);
    expect(snappyDecompress(compressed)).toEqual(sample);
  });

  it('decompresses xerial-framed snappy (Java client), over several blocks', () => {
    const framed = xerialFrame(sample, 1000);
    expect(isXerialFramed(framed)).toBe(true);
    expect(snappyDecompress(framed)).toEqual(sample);
  });

  it('rejects a truncated xerial frame instead of returning short data', () => {
    const framed = xerialFrame(sample, 1000);
    expect(() => snappyDecompress(framed.subarray(0, framed.length - 3))).toThrow(RangeError);
  });

  it('is what kafkajs finds for CompressionTypes.Snappy once registered', async () => {
    registerSnappyCodec();
    const codec = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.Snappy]();
    const compressed: Buffer = await codec.compress({ buffer: sample });
    expect(await codec.decompress(compressed)).toEqual(sample);
  });
});
