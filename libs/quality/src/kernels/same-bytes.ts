/**
 * Byte-range equality for UTF-8 values, four bytes at a time through a
 * DataView (unaligned reads), the tail byte by byte.
 */

/** A DataView over a byte array, reused while the array is the same. */
let lastBytes: Uint8Array | undefined;
let lastView: DataView | undefined;

export function viewOf(bytes: Uint8Array): DataView {
  if (bytes !== lastBytes || !lastView) {
    lastBytes = bytes;
    lastView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return lastView;
}

/** bytes[a, a + len) equals bytes[b, b + len) (`view` from `viewOf(bytes)`). */
export function sameBytes(bytes: Uint8Array, view: DataView, a: number, b: number, len: number): boolean {
  let k = 0;
  for (; k + 4 <= len; k += 4) if (view.getInt32(a + k) !== view.getInt32(b + k)) return false;
  for (; k < len; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}
