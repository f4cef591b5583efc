import { CodecError } from './errors.js';

/**
 * UTF-8 for the short strings of telemetry (session ids, satellite names,
 * status codes). They repeat across messages, so encoded bytes are cached by
 * value and decoded strings are reused when the bytes match; ASCII skips
 * TextEncoder/TextDecoder, whose per-call overhead dominates at this size.
 */
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface MaybeWellFormed {
  isWellFormed?: () => boolean;
}

export class Utf8Cache {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(private readonly limit: number) {}

  encode(value: string, field: string): Uint8Array {
    const hit = this.cache.get(value);
    if (hit !== undefined) return hit;
    const bytes = encodeUtf8(value, field);
    // A full cache is dropped rather than evicted entry by entry: the working
    // set of telemetry strings is small, so refilling is rare and cheap.
    if (this.cache.size >= this.limit) this.cache.clear();
    if (this.limit > 0) this.cache.set(value, bytes);
    return bytes;
  }
}

function encodeUtf8(value: string, field: string): Uint8Array {
  const n = value.length;
  const ascii = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return encodeNonAscii(value, field);
    ascii[i] = c;
  }
  return ascii;
}

function encodeNonAscii(value: string, field: string): Uint8Array {
  // TextEncoder would silently turn a lone surrogate into U+FFFD: the decoded
  // value would differ from the encoded one.
  const check = (value as unknown as MaybeWellFormed).isWellFormed;
  if (check !== undefined && !check.call(value)) {
    throw new CodecError('INVALID_EVENT', `${field} is not well-formed UTF-16 (lone surrogate)`, { field });
  }
  return encoder.encode(value);
}

/** Strings longer than this are decoded every time (long status messages are rare). */
const CACHED_BYTES = 64;
/** Position-keyed entries (direct-mapped) and byte-keyed sets (2-way); powers of two. */
const POSITIONS = 4096;
const SETS = 1024;

/**
 * Decoded-string cache for one decoder. Two levels:
 * - by position in the current buffer: a string shared by many events of a
 *   frame (session id, satellite name) is verified and decoded once per frame;
 * - by bytes across buffers, a small 2-way set-associative hash table (bytes
 *   compared on a hit): the same session id in the next message is not
 *   decoded again.
 * Sizes are set for telemetry's working set (a few hundred distinct strings);
 * a miss only costs a decode.
 */
export class StringCache {
  private generation = 1;
  private readonly posKey = new Int32Array(POSITIONS).fill(-1);
  private readonly posGeneration = new Float64Array(POSITIONS);
  private readonly posValue: string[] = new Array<string>(POSITIONS).fill('');
  private readonly keyBytes = new Uint8Array(2 * SETS * CACHED_BYTES);
  private readonly keyLength = new Int32Array(2 * SETS).fill(-1);
  private readonly values: string[] = new Array<string>(2 * SETS).fill('');
  /** Per set, the way to replace next (the one not hit last). */
  private readonly victim = new Uint8Array(SETS);

  /** Forgets positions; call when switching to another buffer. */
  rebase(): void {
    this.generation++;
  }

  /** The string already read at `pos` of the current buffer, if any. */
  at(pos: number): string | undefined {
    const p = (pos >>> 2) & (POSITIONS - 1);
    return this.posKey[p] === pos && this.posGeneration[p] === this.generation ? this.posValue[p] : undefined;
  }

  /** Decodes bytes[start, start + n) and remembers it as the string at `pos` of the current buffer. */
  read(bytes: Uint8Array, pos: number, start: number, n: number): string {
    const value = n <= CACHED_BYTES ? this.lookup(bytes, start, n) : decodeUtf8(bytes, start, n);
    const p = (pos >>> 2) & (POSITIONS - 1);
    this.posKey[p] = pos;
    this.posGeneration[p] = this.generation;
    this.posValue[p] = value;
    return value;
  }

  private lookup(bytes: Uint8Array, start: number, n: number): string {
    let h = 0x811c9dc5 ^ n;
    for (let i = start; i < start + n; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
    const set = (h ^ (h >>> 16)) & (SETS - 1);
    const key = this.keyBytes;
    for (let way = 0; way < 2; way++) {
      const e = 2 * set + way;
      if (this.keyLength[e] === n && sameBytes(key, e * CACHED_BYTES, bytes, start, n)) {
        this.victim[set] = 1 - way;
        return this.values[e] ?? '';
      }
    }
    const value = decodeUtf8(bytes, start, n);
    const way = this.victim[set] ?? 0;
    const e = 2 * set + way;
    key.set(bytes.subarray(start, start + n), e * CACHED_BYTES);
    this.keyLength[e] = n;
    this.values[e] = value;
    this.victim[set] = 1 - way;
    return value;
  }
}

function sameBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/** Decodes UTF-8; throws TypeError on invalid sequences (the caller maps it to INVALID_BUFFER). */
export function decodeUtf8(bytes: Uint8Array, start: number, n: number): string {
  if (n <= CACHED_BYTES) {
    let ascii = true;
    for (let i = start; i < start + n; i++) {
      if ((bytes[i] ?? 0) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Typed arrays are valid argument lists; at most 64 arguments here.
      return String.fromCharCode.apply(null, bytes.subarray(start, start + n) as unknown as number[]);
    }
  }
  return strictDecoder.decode(bytes.subarray(start, start + n));
}
