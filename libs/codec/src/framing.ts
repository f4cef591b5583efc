import { CodecError } from './errors.js';

/**
 * Message framing, as Confluent's wire format: byte 0 is the magic byte 0,
 * bytes 1..4 the schema id (unsigned, big-endian), then the payload. The id
 * alone tells a reader the source, the shape and the FlatBuffers root table.
 */
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;
/** Root offset plus a table's vtable offset: nothing shorter is a FlatBuffer. */
export const MIN_PAYLOAD_LENGTH = 8;

/** Reads the 5-byte header; returns the schema id or throws CodecError (decode() turns it into a value). */
export function readSchemaId(bytes: Uint8Array): number {
  const length = bytes.length;
  if (length < HEADER_LENGTH) {
    throw new CodecError('TRUNCATED', `message has ${length} bytes, the header alone needs ${HEADER_LENGTH}`, {
      byteOffset: 0,
      length,
    });
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw new CodecError('BAD_MAGIC', `magic byte is ${bytes[0]}, expected ${MAGIC_BYTE}`, { byteOffset: 0, length });
  }
  // length >= 5 was checked above; `?? 0` only satisfies noUncheckedIndexedAccess.
  return (((bytes[1] ?? 0) << 24) | ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) << 8) | (bytes[4] ?? 0)) >>> 0;
}

export function unknownSchema(schemaId: number, length: number): CodecError {
  return new CodecError('UNKNOWN_SCHEMA', `schema id ${schemaId} is not known to this codec`, {
    byteOffset: 1,
    schemaId,
    length,
  });
}

/** Throws TRUNCATED when no FlatBuffer fits behind the header. */
export function checkPayloadLength(bytes: Uint8Array, schemaId: number): void {
  const length = bytes.length;
  if (length - HEADER_LENGTH < MIN_PAYLOAD_LENGTH) {
    throw new CodecError(
      'TRUNCATED',
      `payload has ${length - HEADER_LENGTH} bytes, a FlatBuffer needs at least ${MIN_PAYLOAD_LENGTH}`,
      { byteOffset: HEADER_LENGTH, schemaId, length },
    );
  }
}

/** Writes the header into `out` at `at` (the encoder reserves the 5 bytes in front of the payload). */
export function writeHeader(out: Uint8Array, at: number, schemaId: number): void {
  out[at] = MAGIC_BYTE;
  out[at + 1] = schemaId >>> 24;
  out[at + 2] = (schemaId >>> 16) & 0xff;
  out[at + 3] = (schemaId >>> 8) & 0xff;
  out[at + 4] = schemaId & 0xff;
}
