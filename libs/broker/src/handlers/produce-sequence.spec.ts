import type { AppendCheckContext, ProducerState } from '@lakestream/log';
import { describe, expect, it } from 'vitest';
import { checkProducerSequence } from './produce-sequence.js';

const state = (epoch: number, batches: [number, number, number][]): ProducerState => ({
  producerId: 7,
  producerEpoch: epoch,
  lastSequence: batches.at(-1)?.[1] ?? -1,
  lastOffset: 0,
  lastTimestamp: 0,
  batches: batches.map(([firstSequence, lastSequence, firstOffset]) => ({ firstSequence, lastSequence, firstOffset, lastOffset: firstOffset + lastSequence - firstSequence, maxTimestamp: 0 })),
});

const batch = (epoch: number, baseSequence: number, count: number, s?: ProducerState): AppendCheckContext => ({
  producer: { producerId: 7, producerEpoch: epoch, baseSequence, lastSequence: baseSequence + count - 1, recordCount: count, isTransactional: false },
  state: s,
  logEndOffset: 100,
});

describe('checkProducerSequence (Kafka ProducerAppendInfo rules)', () => {
  const known = state(0, [
    [0, 9, 0],
    [10, 19, 10],
  ]);

  it('accepts the next sequence, a new producer, and batches without a producer', () => {
    expect(checkProducerSequence(batch(0, 20, 5, known))).toBeUndefined();
    expect(checkProducerSequence(batch(0, 0, 5, undefined))).toBeUndefined();
    expect(checkProducerSequence({ producer: undefined, state: undefined, logEndOffset: 0 })).toBeUndefined();
  });

  it('recognises a retried batch and points at its original offset', () => {
    expect(checkProducerSequence(batch(0, 10, 10, known))).toEqual({ kind: 'duplicate', batch: known.batches[1] });
  });

  it('refuses gaps, old epochs and a new epoch not starting at 0', () => {
    expect(checkProducerSequence(batch(0, 25, 1, known))).toMatchObject({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(checkProducerSequence(batch(0, 5, 3, known))).toMatchObject({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(checkProducerSequence(batch(1, 3, 1, known))).toMatchObject({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(checkProducerSequence(batch(1, 0, 1, known))).toBeUndefined();
    expect(checkProducerSequence(batch(0, 20, 1, state(2, [[0, 0, 0]])))).toMatchObject({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
  });

  it('follows the wrap from 2^31-1 to 0', () => {
    const atTop = state(0, [[0x7fffff00, 0x7fffffff, 0]]);
    expect(checkProducerSequence(batch(0, 0, 3, atTop))).toBeUndefined();
  });
});
