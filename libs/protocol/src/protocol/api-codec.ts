import type { Reader } from '../primitives/reader.js';
import type { Writer } from '../primitives/writer.js';

/**
 * One Kafka API's body codecs. Readers and writers come in already set to
 * the version's mode (flexible or not), so a codec only gates fields by
 * version. Request and response types cover the union of fields across the
 * supported versions; a field a version lacks decodes to Kafka's default.
 */
export interface ApiCodec<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  /** Lowest version we decode. */
  readonly minVersion: number;
  /**
   * Lowest version advertised in ApiVersions when it differs from
   * `minVersion` (Produce: see KAFKA-18659). Requests below `minVersion`
   * still fail with UNSUPPORTED_VERSION.
   */
  readonly advertisedMinVersion?: number;
  /** Highest version we decode and advertise. */
  readonly maxVersion: number;
  decodeRequest(r: Reader, version: number): Req;
  encodeRequest(w: Writer, version: number, body: Req): void;
  decodeResponse(r: Reader, version: number): Res;
  encodeResponse(w: Writer, version: number, body: Res): void;
}
