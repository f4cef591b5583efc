/**
 * UTF-8 for Kafka strings. Most strings on the wire (topic names, client ids,
 * member ids) are short ASCII, where a plain loop beats TextEncoder and
 * TextDecoder call overhead; anything else goes to the platform codecs.
 * Decoding replaces invalid sequences with U+FFFD, as the Java broker's
 * `new String(bytes, UTF_8)` does, so a bad string is never an exception.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

const SHORT = 64;

/** Number of bytes `s` takes in UTF-8 (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Writes `s` at `pos`; the caller has made room for `utf8Length(s)` bytes. Returns bytes written. */
export function writeUtf8(target: Uint8Array, pos: number, s: string): number {
  if (s.length <= SHORT) {
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      target[pos + i] = c;
    }
    if (i === s.length) return i;
  }
  return encoder.encodeInto(s, target.subarray(pos)).written;
}

export function readUtf8(source: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= SHORT) {
    let out = '';
    for (let i = start; i < end; i++) {
      const c = source[i] as number;
      if (c >= 0x80) return decoder.decode(source.subarray(start, end));
      out += String.fromCharCode(c);
    }
    return out;
  }
  return decoder.decode(source.subarray(start, end));
}
