import { WIRE_SCHEMA_IDS, WIRE_SCHEMAS, type F1Event, type SatelliteSample, type WireSchema, type WireShape } from '@lakestream/schema';
import { CodecError } from './errors.js';
import { checkPayloadLength, readSchemaId, unknownSchema } from './framing.js';
import { DecodeContext } from './v1/decode-context.js';
import { readF1Event, readF1Frame } from './v1/decode-f1.js';
import { readSatelliteFrame, readSatelliteSample } from './v1/decode-satellite.js';
import { validateF1, validateSatellite } from './validate.js';

export type DecodedMessage =
  | { readonly schemaId: number; readonly source: 'satellite'; readonly shape: WireShape; readonly events: SatelliteSample[] }
  | { readonly schemaId: number; readonly source: 'f1'; readonly shape: WireShape; readonly events: F1Event[] };

export type DecodeResult = { readonly ok: true; readonly value: DecodedMessage } | { readonly ok: false; readonly error: CodecError };

export interface DecodeOptions {
  /** Also run each event's zod schema (physical ranges); a failure is `INVALID_EVENT`. Default false. */
  readonly validate?: boolean;
}

/**
 * Schema ids whose payload layout this codec implements (wire v1). An id the
 * registry gains later stays UNKNOWN_SCHEMA here until a decoder for it lands,
 * rather than being read with the v1 layout.
 */
const V1_IDS: readonly number[] = Object.values(WIRE_SCHEMA_IDS);
const READABLE: ReadonlyMap<number, WireSchema> = new Map(WIRE_SCHEMAS.filter((s) => V1_IDS.includes(s.id)).map((s) => [s.id, s]));

/** One context for the module: decoding is synchronous and never re-entered. */
const context = new DecodeContext();

/**
 * Decodes one framed message. Never throws: a malformed message is an
 * `{ ok: false, error }` value whose CodecError says what was wrong and
 * where. Decoded events always have every field with its JS type (bigint for
 * int64, enum strings); ranges are checked only with `validate`.
 */
export function decode(bytes: Uint8Array, options?: DecodeOptions): DecodeResult {
  try {
    return { ok: true, value: decodeUnchecked(bytes, options?.validate === true) };
  } catch (err) {
    return { ok: false, error: asCodecError(err, bytes) };
  }
}

/** decode() for callers that prefer exceptions: returns the message or throws its CodecError. */
export function decodeOrThrow(bytes: Uint8Array, options?: DecodeOptions): DecodedMessage {
  const result = decode(bytes, options);
  if (!result.ok) throw result.error;
  return result.value;
}

function decodeUnchecked(bytes: Uint8Array, validate: boolean): DecodedMessage {
  if (!(bytes instanceof Uint8Array)) {
    throw new CodecError('INVALID_BUFFER', `expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  const schemaId = readSchemaId(bytes);
  const schema = READABLE.get(schemaId);
  if (!schema) throw unknownSchema(schemaId, bytes.length);
  checkPayloadLength(bytes, schemaId);
  const c = context;
  c.reset(bytes, schemaId);
  if (schema.source === 'satellite') {
    const events: SatelliteSample[] = [];
    if (schema.shape === 'frame') readSatelliteFrame(c, events);
    else events.push(readSatelliteSample(c, c.root()));
    if (validate) validateSatellite(events, schemaId);
    return { schemaId, source: 'satellite', shape: schema.shape, events };
  }
  const events: F1Event[] = [];
  if (schema.shape === 'frame') readF1Frame(c, events);
  else events.push(readF1Event(c, c.root()));
  if (validate) validateF1(events, schemaId);
  return { schemaId, source: 'f1', shape: schema.shape, events };
}

/**
 * Decode checks every read, so anything but a CodecError here is a decoder
 * bug; it is still reported as a value (decode must never throw) with the
 * original error as `cause`, which the fuzz tests assert never happens.
 */
function asCodecError(err: unknown, bytes: Uint8Array): CodecError {
  if (err instanceof CodecError) return err;
  const length = bytes instanceof Uint8Array ? bytes.length : undefined;
  return new CodecError(
    'INVALID_BUFFER',
    `decoder failed unexpectedly: ${String(err)}`,
    length === undefined ? {} : { length },
    { cause: err },
  );
}
