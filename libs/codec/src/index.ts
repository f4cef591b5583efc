/**
 * @lakestream/codec: lakestream events to and from framed FlatBuffers
 * messages (magic byte 0, 4-byte big-endian schema id, payload). Bytes in,
 * values out; no I/O.
 */
export { CodecError, isCodecError, type CodecErrorCode, type CodecErrorContext } from './errors.js';
export { HEADER_LENGTH, MAGIC_BYTE } from './framing.js';
export {
  Encoder,
  encodeF1Event,
  encodeF1Frame,
  encodeSatelliteFrame,
  encodeSatelliteSample,
  type EncoderOptions,
} from './encoder.js';
export { decode, decodeOrThrow, type DecodedMessage, type DecodeOptions, type DecodeResult } from './decode.js';
export { F1EventColumns, decodeF1Into, F1_NUMERIC_PAYLOAD_FIELDS, F1_STRING_PAYLOAD_FIELDS, F1_PAYLOAD_FIELD_NAMES, type DecodeIntoResult } from './f1-columns.js';
