import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as fixtures from '../../test/fixtures/index.js';
import type { Golden } from '../../test/fixtures/golden.js';
import { fromHex } from '../../test/harness.js';
import { ProtocolError } from '../errors.js';
import { decodeRecordBatches } from '../records/batch.js';
import { scanBatches } from '../records/batch-header.js';
import type { ApiKey } from './api-keys.js';
import { isSupportedApiKey } from './registry.js';
import { decodeRequest } from './requests.js';
import { decodeResponse } from './responses.js';

const API_KEY_BY_FIXTURE: Record<string, ApiKey> = {
  produceGoldens: 0,
  fetchGoldens: 1,
  listOffsetsGoldens: 2,
  metadataGoldens: 3,
  offsetCommitGoldens: 8,
  offsetFetchGoldens: 9,
  findCoordinatorGoldens: 10,
  joinGroupGoldens: 11,
  heartbeatGoldens: 12,
  leaveGroupGoldens: 13,
  syncGroupGoldens: 14,
  describeGroupsGoldens: 15,
  listGroupsGoldens: 16,
  apiVersionsGoldens: 18,
  createTopicsGoldens: 19,
  deleteTopicsGoldens: 20,
  initProducerIdGoldens: 22,
};

const tagged = Object.entries(fixtures).flatMap(([name, list]: [string, readonly Golden[]]) => {
  const apiKey = API_KEY_BY_FIXTURE[name];
  if (apiKey === undefined) throw new Error(`fixture ${name} has no API key`);
  return list.map((golden) => ({ apiKey, golden, bytes: fromHex(golden.hex) }));
});
const requests = tagged.filter((t) => t.golden.kind === 'request').map((t) => t.bytes);
const responses = tagged.filter((t) => t.golden.kind === 'response');

/** decodeRequest must return a value for any input: a decoded request or a ProtocolError, never an exception. */
function assertTotal(frame: Uint8Array): void {
  const result = decodeRequest(frame);
  if (!result.ok) expect(result.error).toBeInstanceOf(ProtocolError);
  else {
    expect(isSupportedApiKey(result.request.apiKey)).toBe(true);
    // Records inside a mutated Produce request: header scan and batch decode only ever throw ProtocolError.
    if (result.request.apiKey === 0) {
      for (const t of result.request.body.topicData) {
        for (const p of t.partitionData) {
          if (!p.records) continue;
          try {
            scanBatches(p.records, { verifyCrc: true });
            decodeRecordBatches(p.records, { verifyCrc: false, maxDecompressedBytes: 1 << 20 });
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        }
      }
    }
  }
}

describe('fuzzing decodeRequest (fast-check)', () => {
  it('has goldens for every API to mutate', () => {
    expect(requests.length).toBeGreaterThan(80);
    expect(new Set(responses.map((r) => r.apiKey)).size).toBe(17);
  });

  it('arbitrary bytes: a value, never an exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => assertTotal(bytes)), { numRuns: 3000 });
  });

  it('arbitrary bytes after a valid header of every supported API and version', () => {
    const headers = fc.record({
      apiKey: fc.constantFrom(0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22),
      apiVersion: fc.integer({ min: 0, max: 12 }),
      body: fc.uint8Array({ maxLength: 200 }),
    });
    fc.assert(
      fc.property(headers, ({ apiKey, apiVersion, body }) => {
        const head = new Uint8Array([apiKey >> 8, apiKey & 0xff, 0, apiVersion, 0, 0, 0, 1, 0xff, 0xff]);
        const flexibleHeaderTags = new Uint8Array([0]);
        assertTotal(new Uint8Array([...head, ...body]));
        assertTotal(new Uint8Array([...head, ...flexibleHeaderTags, ...body]));
      }),
      { numRuns: 3000 },
    );
  });

  it('every truncation of every golden request', () => {
    for (const frame of requests) {
      for (let n = 0; n < frame.length; n++) assertTotal(frame.subarray(0, n));
    }
  });

  it('bit flips and byte overwrites of golden requests', () => {
    const mutation = fc.record({
      frame: fc.constantFrom(...requests),
      edits: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }), byte: fc.option(fc.integer({ min: 0, max: 255 })) }), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(mutation, ({ frame, edits }) => {
        const copy = frame.slice();
        for (const { at, bit, byte } of edits) {
          const i = at % copy.length;
          copy[i] = byte ?? (copy[i] as number) ^ (1 << bit);
        }
        assertTotal(copy);
      }),
      { numRuns: 3000 },
    );
  });

  it('truncated and bit-flipped golden responses throw only ProtocolError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...responses), fc.nat(), fc.nat(), ({ apiKey, golden, bytes }, cut, flip) => {
        const copy = bytes.slice(0, Math.max(0, bytes.length - (cut % 4)));
        if (copy.length > 0) copy[flip % copy.length] = (copy[flip % copy.length] as number) ^ (1 << (flip % 8));
        try {
          decodeResponse(apiKey, golden.apiVersion, copy);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
