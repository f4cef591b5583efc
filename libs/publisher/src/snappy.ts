import kafkajs from 'kafkajs';
import snappy from 'snappyjs';

/**
 * Snappy for kafkajs, in pure JS (snappyjs). kafkajs only ships gzip; its
 * codec registry `CompressionCodecs[type]` is a factory returning
 * `{ compress(encoder), decompress(buffer) }`.
 *
 * Compression writes raw snappy blocks, as librdkafka does. Decompression
 * also reads the xerial framing the Java client writes
 * (`\x82SNAPPY\0` + version + compat, then length-prefixed raw blocks).
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_LENGTH = 16;

export function snappyCompress(data: Buffer): Buffer {
  return snappy.compress(data);
}

export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_LENGTH && data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

export function snappyDecompress(data: Buffer): Buffer {
  if (!isXerialFramed(data)) return snappy.uncompress(data);
  const blocks: Buffer[] = [];
  let pos = XERIAL_HEADER_LENGTH;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new RangeError(`xerial snappy: truncated block length at byte ${pos}`);
    const size = data.readInt32BE(pos);
    pos += 4;
    if (size < 0 || pos + size > data.length) throw new RangeError(`xerial snappy: block of ${size} bytes at byte ${pos} runs past the end (${data.length})`);
    blocks.push(snappy.uncompress(data.subarray(pos, pos + size)));
    pos += size;
  }
  return Buffer.concat(blocks);
}

/** Frames raw snappy blocks the way the Java client does; for tests of the decoder. */
export function xerialFrame(data: Buffer, blockSize = 32 * 1024): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_LENGTH);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (let pos = 0; pos < data.length; pos += blockSize) {
    const block = snappy.compress(data.subarray(pos, pos + blockSize));
    const size = Buffer.alloc(4);
    size.writeInt32BE(block.length, 0);
    parts.push(size, block);
  }
  return Buffer.concat(parts);
}

/** The codec object kafkajs expects. */
export const snappyCodec = {
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return snappyCompress(encoder.buffer);
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return snappyDecompress(buffer);
  },
};

/** Registers the snappy codec in kafkajs's global codec table (idempotent; affects every kafkajs client in the process). */
export function registerSnappyCodec(): void {
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  // kafkajs types the table as `() => any`; our factory returns the codec shape its protocol code calls.
  CompressionCodecs[CompressionTypes.Snappy] = () => snappyCodec;
}
