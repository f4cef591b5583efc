/**
 * The idempotent producer's checks, run by the log inside the partition's
 * append queue (so two in-flight batches of one producer are checked in
 * order against the state the earlier one left), following Kafka's
 * ProducerAppendInfo:
 *
 *   no producer id / no sequence ─▶ accept
 *   unknown producer             ─▶ accept (new, or its state aged out of the log)
 *   older epoch                  ─▶ INVALID_PRODUCER_EPOCH
 *   newer epoch                  ─▶ accept if the sequence restarts at 0, else OUT_OF_ORDER_SEQUENCE_NUMBER
 *   same epoch, same sequences as one of the last 5 batches ─▶ duplicate: answered with that batch's offset
 *   same epoch, sequence ≠ last + 1 ─▶ OUT_OF_ORDER_SEQUENCE_NUMBER
 */
import { incrementSequence, type AppendCheckContext, type ProducerBatch } from '@lakestream/log';

export type SequenceRejection =
  | { readonly kind: 'duplicate'; readonly batch: ProducerBatch }
  | { readonly kind: 'error'; readonly error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH'; readonly detail: string };

export function checkProducerSequence({ producer, state }: AppendCheckContext): SequenceRejection | undefined {
  if (!producer || producer.baseSequence < 0 || !state) return undefined;
  if (producer.producerEpoch < state.producerEpoch) {
    return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH', detail: `epoch ${producer.producerEpoch} is older than ${state.producerEpoch}` };
  }
  if (producer.producerEpoch > state.producerEpoch) {
    if (producer.baseSequence === 0) return undefined;
    return { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', detail: `new epoch ${producer.producerEpoch} must start at sequence 0, got ${producer.baseSequence}` };
  }
  const duplicate = state.batches.find((b) => b.firstSequence === producer.baseSequence && b.lastSequence === producer.lastSequence);
  if (duplicate) return { kind: 'duplicate', batch: duplicate };
  if (state.lastSequence < 0) return undefined;
  const expected = incrementSequence(state.lastSequence, 1);
  if (producer.baseSequence !== expected) {
    return { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', detail: `expected sequence ${expected}, got ${producer.baseSequence}` };
  }
  return undefined;
}
