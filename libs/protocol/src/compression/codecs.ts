import { gunzipSync, gzipSync } from 'node:zlib';
import { asProtocolError, ProtocolError } from '../errors.js';
import { lz4FrameDecompress } from './lz4.js';
import { snappyCompress, snappyDecompress } from './snappy.js';
import { isXerialFramed, xerialCompress, xerialDecompress } from './xerial.js';
import { zstdDecompress } from './zstd.js';

/**
 * Record batch compression codecs, by the id in attribute bits 0-2. gzip
 * uses node:zlib's synchronous API (CPU only, no I/O); snappy is our own
 * pure TypeScript; lz4 (LZ4 frames, our own checked decoder) and zstd
 * (fzstd behind our own frame checks) decode only: compressing with them is
 * `UNSUPPORTED_COMPRESSION`, as the broker never compresses.
 */
export const COMPRESSION_CODECS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionCodec = keyof typeof COMPRESSION_CODECS;

const NAMES: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Default ceiling for one batch's decompressed records (a guard against decompression bombs). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024;

export interface CompressOptions {
  /** snappy only: write xerial framing (as the Java client) instead of a raw block (as librdkafka). */
  readonly xerial?: boolean;
}

export interface DecompressOptions {
  /** Fail with `TOO_LARGE` rather than produce more than this many bytes. */
  readonly maxBytes?: number;
}

/** The codec name for attribute bits 0-2; ids 5-7 throw `UNSUPPORTED_COMPRESSION`. */
export function compressionCodecName(id: number): CompressionCodec {
  const name = NAMES[id];
  if (name === undefined) throw new ProtocolError('UNSUPPORTED_COMPRESSION', `unknown compression codec id ${id}`, { compression: id });
  return name;
}

export function compress(codec: CompressionCodec, data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return plain(gzipSync(data));
    case 'snappy':
      return options.xerial ? xerialCompress(data) : snappyCompress(data);
    default:
      throw unsupported(codec);
  }
}

export function decompress(codec: CompressionCodec, data: Uint8Array, options: DecompressOptions = {}): Uint8Array {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      try {
        return plain(gunzipSync(data, { maxOutputLength: maxBytes }));
      } catch (cause) {
        // zlib reports an output over maxOutputLength as a RangeError (ERR_BUFFER_TOO_LARGE).
        const tooLarge = cause instanceof RangeError;
        throw asProtocolError(cause, tooLarge ? 'TOO_LARGE' : 'CORRUPT_BATCH', 'gzip data does not decompress', {
          compression: COMPRESSION_CODECS.gzip,
        });
      }
    case 'snappy':
      return isXerialFramed(data) ? xerialDecompress(data, maxBytes) : snappyDecompress(data, maxBytes);
    case 'lz4':
      return withCodec(() => lz4FrameDecompress(data, maxBytes), codec);
    case 'zstd':
      return withCodec(() => zstdDecompress(data, maxBytes), codec);
  }
}

/** The codec's id in the context of its errors (the decoders know only byte offsets). */
function withCodec(decode: () => Uint8Array, codec: CompressionCodec): Uint8Array {
  try {
    return decode();
  } catch (e) {
    throw e instanceof ProtocolError ? e.withContext({ compression: COMPRESSION_CODECS[codec] }) : e;
  }
}

/** zlib returns Buffers; hand out plain Uint8Array views so every decoded field has one type. */
function plain(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function unsupported(codec: CompressionCodec): ProtocolError {
  return new ProtocolError('UNSUPPORTED_COMPRESSION', `compressing with ${codec} is not supported (none, gzip and snappy are; ${codec} decodes)`, {
    compression: COMPRESSION_CODECS[codec],
  });
}
