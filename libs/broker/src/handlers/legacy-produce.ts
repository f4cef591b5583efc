/**
 * Produce v0–v2. SUPPORTED_APIS advertises Produce from v0 because
 * librdkafka < 2.8 only compresses when the broker lists v0 (see the
 * protocol README), but those versions carry message sets v0/v1, which the
 * log does not store. Such a request is still answered, not dropped: every
 * partition gets UNSUPPORTED_FOR_MESSAGE_FORMAT (43), in the v0–v2 response
 * layout, hand-encoded here because the protocol codec starts at v3.
 *
 *   request  v0–v2: acks int16 · timeout int32 · [topic string · [partition int32 · records bytes]]
 *   response v0–v2: [topic string · [partition int32 · error int16 · base_offset int64 · (v2) log_append_time int64]] · (v1+) throttle int32
 */
import { decodeRequestHeader, encodeResponseHeader, ERROR_CODES, FRAME_SIZE_BYTES, Reader, Writer } from '@lakestream/protocol';

export const LEGACY_PRODUCE_MAX_VERSION = 2;

/**
 * The size-prefixed response, `null` for acks=0 (no response), or undefined
 * when the body does not decode (the caller closes the connection).
 */
export function answerLegacyProduce(frame: Uint8Array): Uint8Array | null | undefined {
  let acks: number;
  let topics: { name: string; partitions: number[] }[];
  let apiVersion: number;
  let correlationId: number;
  try {
    const r = new Reader(frame);
    ({ apiVersion, correlationId } = decodeRequestHeader(r));
    acks = r.int16();
    r.int32();
    topics = r.array((t) => ({
      name: t.classicString(),
      partitions: t.array((p) => {
        const index = p.int32();
        p.classicNullableBytes();
        return index;
      }),
    }));
  } catch {
    return undefined;
  }
  if (acks === 0) return null;
  const w = new Writer({ initialCapacity: 64 });
  const sizeAt = w.reserve(FRAME_SIZE_BYTES);
  encodeResponseHeader(w, correlationId, 0);
  w.array(topics, (wt, t) => {
    wt.classicString(t.name);
    wt.array(t.partitions, (wp, index) => {
      wp.int32(index).int16(ERROR_CODES.UNSUPPORTED_FOR_MESSAGE_FORMAT).int64(-1n);
      if (apiVersion >= 2) wp.int64(-1n);
    });
  });
  if (apiVersion >= 1) w.int32(0);
  w.patchInt32(sizeAt, w.length - FRAME_SIZE_BYTES);
  return w.finish();
}
