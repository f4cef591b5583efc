/**
 * Issue 8 item 18: a client pinned to pre-0.11 protocol versions (kafka-python
 * with api_version=(0, 10, 1) sends Fetch v3, below the v4 this broker
 * speaks) has its connection closed with a warning, reconnects after its
 * backoff and sends the same request again: about ten warnings a second per
 * client. The same warning for the same client is logged once, then at most
 * once a minute with the count of those suppressed; its reconnects cost no
 * "client connected" line each.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEYS } from '@lakestream/protocol';
import { startTestBroker, waitFor, type TestBroker } from './support/broker.js';
import { RawClient } from './support/raw-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fetch v3 as kafka-python 2.0 pinned to 0.10.1 writes it: header, replica -1, max wait, min bytes, max bytes, one topic. */
function fetchV3(correlationId: number, clientId: string): Buffer {
  const id = Buffer.from(clientId);
  const topic = Buffer.from('sat-data');
  const body = Buffer.alloc(4 + 4 + 4 + 4 + 4 + 2 + topic.length + 4 + 4 + 8 + 4);
  let at = 0;
  at = body.writeInt32BE(-1, at); // replica id
  at = body.writeInt32BE(500, at); // max wait ms
  at = body.writeInt32BE(1, at); // min bytes
  at = body.writeInt32BE(52428800, at); // max bytes (v3)
  at = body.writeInt32BE(1, at); // topics
  at = body.writeInt16BE(topic.length, at);
  at += topic.copy(body, at);
  at = body.writeInt32BE(1, at); // partitions
  at = body.writeInt32BE(0, at); // partition
  at = body.writeBigInt64BE(0n, at); // fetch offset
  body.writeInt32BE(1048576, at); // partition max bytes
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(1, 0); // Fetch
  header.writeInt16BE(3, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(id.length, 8);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + id.length + body.length);
  return Buffer.concat([size, header, id, body]);
}

/** One connect → Fetch v3 → closed by the broker round, as the pinned client's reconnect loop does. */
async function legacyRound(t: TestBroker, clientId: string, correlationId: number): Promise<void> {
  const client = await RawClient.connect(t.broker.address.port);
  client.write(fetchV3(correlationId, clientId));
  await client.whenClosed;
}

let t: TestBroker | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe('repeated warnings from a client pinned to pre-0.11 versions', () => {
  it('are logged once per client, then once a minute with the number suppressed', async () => {
    let clock = 1_000_000;
    t = await startTestBroker({ now: () => clock });
    const warnings = () => (t as TestBroker).logs.lines.filter((l) => l.level === 'warn');

    for (let i = 0; i < 20; i++) {
      await legacyRound(t, 'kafka-python-2.0.2', i + 1);
      clock += 100; // ten reconnects a second
    }
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.message).toBe('client disconnected');
    expect(String(warnings()[0]?.fields['reason'])).toMatch(/undecodable request: UNSUPPORTED_VERSION/);

    // Another client's warning is its own.
    await legacyRound(t, 'other-legacy-client', 1);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]?.fields['clientId']).toBe('other-legacy-client');

    // A minute after the first one: one more line, carrying how many were suppressed in between.
    clock += 60_000;
    await legacyRound(t, 'kafka-python-2.0.2', 100);
    expect(warnings()).toHaveLength(3);
    expect(warnings()[2]?.message).toBe('client disconnected (19 suppressed)');
    expect(warnings()[2]?.fields['suppressed']).toBe(19);
    await legacyRound(t, 'kafka-python-2.0.2', 101);
    expect(warnings()).toHaveLength(3);
  });
});

describe('#18 a client pinned to pre-0.11 versions, reconnecting ten times a second', () => {
  /** The header of a Fetch v3 (below the v4 this broker speaks): the broker closes the connection with a warning. */
  function fetchV3Header(clientId: string): Buffer {
    const id = Buffer.from(clientId);
    const frame = Buffer.alloc(4 + 2 + 2 + 4 + 2 + id.length);
    let at = frame.writeInt32BE(frame.length - 4, 0);
    at = frame.writeInt16BE(API_KEYS.Fetch, at);
    at = frame.writeInt16BE(3, at);
    at = frame.writeInt32BE(1, at);
    at = frame.writeInt16BE(id.length, at);
    id.copy(frame, at);
    return frame;
  }

  it('costs one log line in all, not a "client connected" line per reconnect', async () => {
    let clock = 2_000_000;
    const b = await startTestBroker({ now: () => clock });
    try {
      for (let i = 0; i < 20; i++) {
        const c = await RawClient.connect(b.broker.address.port);
        c.write(fetchV3Header('pinned-kafka-python'));
        await c.whenClosed;
        clock += 100;
      }
      await sleep(20);
      const lines = b.logs.lines.filter((l) => l.message.startsWith('client'));
      // Before: 20 "client connected" info lines (ten a second per client) around the one warning.
      expect(lines.map((l) => `${l.level} ${l.message}`)).toEqual(['warn client disconnected']);
      // A client that is answered still gets its connect line, once, with its client id.
      const ok = await RawClient.connect(b.broker.address.port);
      await ok.request(API_KEYS.ApiVersions, 0, { clientSoftwareName: '', clientSoftwareVersion: '' });
      await ok.request(API_KEYS.ApiVersions, 0, { clientSoftwareName: '', clientSoftwareVersion: '' });
      ok.close();
      await waitFor(() => b.logs.lines.filter((l) => l.message.startsWith('client')).length === 3, 2000, 'connect and disconnect lines');
      expect(b.logs.lines.filter((l) => l.message === 'client connected').map((l) => l.fields['clientId'])).toEqual(['raw-test']);
    } finally {
      await b.cleanup();
    }
  });
});
