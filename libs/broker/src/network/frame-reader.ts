/**
 * Cuts Kafka's length-prefixed frames (int32 big-endian size, then that many
 * bytes) out of a TCP byte stream. Memory is proportional to the bytes
 * actually received, never to the size a prefix announces: chunks are kept
 * as received and joined only when a frame is complete, so a client that
 * announces 100 MiB and sends ten bytes costs ten bytes.
 *
 *   chunks ─▶ [awaiting prefix] ─▶ size check ─▶ [awaiting body] ─▶ frame
 */
import { FRAME_SIZE_BYTES } from '@lakestream/protocol';

export type FrameViolation =
  | { readonly kind: 'oversized'; readonly size: number; readonly limit: number }
  | { readonly kind: 'negative-size'; readonly size: number };

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame whose body is being received; -1 while waiting for a prefix. */
  private expected = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received and not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** A frame has started (prefix or part of it received) but is not complete. */
  get midFrame(): boolean {
    return this.buffered > 0 || this.expected >= 0;
  }

  /** Size announced by the prefix of the frame being received, or undefined. */
  get announcedSize(): number | undefined {
    return this.expected >= 0 ? this.expected : undefined;
  }

  /** Adds received bytes; take frames out with `next`. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /**
   * The next complete frame (the bytes after the prefix: a view of one
   * received chunk or a fresh copy; either way nothing else writes to it),
   * undefined until one is complete, or the violation that makes the stream
   * unusable (checked as soon as the prefix is there, before any body byte).
   */
  next(): Buffer | FrameViolation | undefined {
    if (this.expected < 0) {
      if (this.buffered < FRAME_SIZE_BYTES) return undefined;
      const size = this.take(FRAME_SIZE_BYTES).readInt32BE(0);
      if (size < 0) return { kind: 'negative-size', size };
      if (size > this.maxFrameBytes) return { kind: 'oversized', size, limit: this.maxFrameBytes };
      this.expected = size;
    }
    if (this.buffered < this.expected) return undefined;
    const frame = this.take(this.expected);
    this.expected = -1;
    return frame;
  }

  /** Drops everything buffered (the connection is going away). */
  reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.expected = -1;
  }

  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first !== undefined && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0] as Buffer;
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    return out;
  }
}
