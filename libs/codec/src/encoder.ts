import { WIRE_SCHEMA_IDS, type F1Event, type SatelliteSample } from '@lakestream/schema';
import { CodecError } from './errors.js';
import { writeF1Event } from './v1/encode-f1.js';
import { writeSatelliteSample } from './v1/encode-satellite.js';
import { F1_FRAME, SATELLITE_FRAME, TABLE_COUNT } from './v1/layout.js';
import { Utf8Cache } from './utf8.js';
import { ByteWriter } from './writer.js';

export interface EncoderOptions {
  /** Initial size of the reusable buffer in bytes; it doubles as needed and is kept. Default 64 KiB. */
  readonly initialCapacity?: number;
  /** Distinct strings whose UTF-8 bytes are kept between messages. Default 4096; 0 disables the cache. */
  readonly stringCacheSize?: number;
}

/**
 * Encodes events into framed wire-version-1 messages. Holds one growing
 * buffer and a string-bytes cache, so reuse one Encoder per producer.
 * Every method returns a new message the caller owns; messages up to 4 KiB
 * are views into a shared 64 KiB slab (as Node's small Buffers are), so use
 * `byteOffset`/`byteLength` when handing `.buffer` on. Encode expects
 * validated events: a value outside its wire type (unknown enum, 300 in a
 * ubyte, a number where a bigint belongs) throws CodecError `INVALID_EVENT`;
 * ranges are not checked here.
 */
export class Encoder {
  private readonly w: ByteWriter;
  private offsets = new Int32Array(512);

  constructor(options: EncoderOptions = {}) {
    const utf8 = new Utf8Cache(options.stringCacheSize ?? 4096);
    this.w = new ByteWriter(options.initialCapacity ?? 64 * 1024, TABLE_COUNT, utf8);
  }

  encodeSatelliteSample(sample: SatelliteSample): Uint8Array {
    const w = this.w;
    w.reset(false);
    let root: number;
    try {
      root = writeSatelliteSample(w, sample);
    } catch (err) {
      throw withIndex(err, 0);
    }
    return w.finish(root, WIRE_SCHEMA_IDS.satelliteSample);
  }

  encodeF1Event(event: F1Event): Uint8Array {
    const w = this.w;
    w.reset(false);
    let root: number;
    try {
      root = writeF1Event(w, event);
    } catch (err) {
      throw withIndex(err, 0);
    }
    return w.finish(root, WIRE_SCHEMA_IDS.f1Event);
  }

  encodeSatelliteFrame(samples: readonly SatelliteSample[]): Uint8Array {
    const w = this.w;
    const n = samples.length;
    const offsets = this.scratch(n);
    w.reset(true);
    let i = 0;
    try {
      for (const sample of samples) {
        offsets[i] = writeSatelliteSample(w, sample);
        i++;
      }
    } catch (err) {
      throw withIndex(err, i);
    }
    return w.finish(this.frame(SATELLITE_FRAME, offsets, n), WIRE_SCHEMA_IDS.satelliteFrame);
  }

  encodeF1Frame(events: readonly F1Event[]): Uint8Array {
    const w = this.w;
    const n = events.length;
    const offsets = this.scratch(n);
    w.reset(true);
    let i = 0;
    try {
      for (const event of events) {
        offsets[i] = writeF1Event(w, event);
        i++;
      }
    } catch (err) {
      throw withIndex(err, i);
    }
    return w.finish(this.frame(F1_FRAME, offsets, n), WIRE_SCHEMA_IDS.f1Frame);
  }

  /** Writes the vector of event offsets and the frame table (one field: the vector). */
  private frame(layout: typeof F1_FRAME, offsets: Int32Array, n: number): number {
    const w = this.w;
    const vector = w.offsetVector(offsets, n);
    const t = w.table(layout);
    w.setOffset(t + 4, vector);
    return w.buf.length - t;
  }

  private scratch(n: number): Int32Array {
    if (this.offsets.length < n) this.offsets = new Int32Array(Math.max(n, this.offsets.length * 2));
    return this.offsets;
  }
}

function withIndex(err: unknown, eventIndex: number): unknown {
  if (err instanceof CodecError) return err.withContext({ eventIndex });
  // Not a value problem we know of (e.g. a getter threw): report it as the event's fault, keep the cause.
  return new CodecError('INVALID_EVENT', `encoding failed: ${String(err)}`, { eventIndex }, { cause: err });
}

let shared: Encoder | undefined;
let busy = false;

/** Runs `fn` on the module's shared Encoder, or a fresh one if it is already in use (re-entrant call). */
function withShared<T>(fn: (e: Encoder) => T): T {
  if (busy) return fn(new Encoder({ initialCapacity: 1024 }));
  busy = true;
  try {
    return fn((shared ??= new Encoder()));
  } finally {
    busy = false;
  }
}

export function encodeSatelliteSample(sample: SatelliteSample): Uint8Array {
  return withShared((e) => e.encodeSatelliteSample(sample));
}

export function encodeF1Event(event: F1Event): Uint8Array {
  return withShared((e) => e.encodeF1Event(event));
}

export function encodeSatelliteFrame(samples: readonly SatelliteSample[]): Uint8Array {
  return withShared((e) => e.encodeSatelliteFrame(samples));
}

export function encodeF1Frame(events: readonly F1Event[]): Uint8Array {
  return withShared((e) => e.encodeF1Frame(events));
}
