import { Writer } from '../primitives/writer.js';

/**
 * Kafka frames every request and response with an int32 big-endian size of
 * what follows. Decoders here take the bytes after the prefix (what a
 * network layer cuts out); encoders return prefixed bytes, ready to write.
 */
export const FRAME_SIZE_BYTES = 4;

/**
 * The size announced by the prefix at `offset`, or undefined when fewer than
 * four bytes are available. May be negative or huge: the caller enforces its
 * own limit (Kafka's `socket.request.max.bytes`) before buffering.
 */
export function readFrameSize(bytes: Uint8Array, offset = 0): number | undefined {
  if (bytes.length - offset < FRAME_SIZE_BYTES) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(offset);
}

/** Runs `write` after a reserved size prefix, then fills the prefix in. */
export function writeSizePrefixed(initialCapacity: number, write: (w: Writer) => void): Uint8Array {
  const w = new Writer({ initialCapacity });
  const at = w.reserve(FRAME_SIZE_BYTES);
  write(w);
  w.patchInt32(at, w.length - FRAME_SIZE_BYTES);
  return w.finish();
}
