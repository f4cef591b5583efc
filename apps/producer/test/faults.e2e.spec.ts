import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '@lakestream/codec';
import { F1_EVENT_SCHEMAS, F1Session, SatelliteSample, type F1Event } from '@lakestream/schema';
import { writeSatelliteSamples } from '@lakestream/sim';
import { kcatConsume, requireTool, startMockCluster, type KcatRecord, type MockCluster } from '@lakestream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProducer } from './helpers.js';

const hasKcat = requireTool('kcat', ['-V']);
const SIX_HOURS_NS = 6n * 3_600_000_000_000n;

interface SummaryJson {
  source: string;
  topic: string;
  sessionsTopic: string | null;
  sessions: string[];
  faultRate: number;
  sourceEvents: number;
  events: number;
  messages: number;
  acknowledgedMessages: number;
  failedMessages: number;
  faults: Record<string, number>;
  corruptMessages: number;
  eventsInCorruptMessages: number;
  expected: { bronze: number; silver: number; quarantine: number; quarantineByReason: Record<string, number> };
}

/** What a consumer makes of the topic, decided here from the bytes alone (codec decode + schema + session + key). */
function classify(records: readonly KcatRecord[], sessions: ReadonlySet<string>, nowNs: bigint) {
  const reasons: Record<string, number> = {};
  const count = (r: string) => (reasons[r] = (reasons[r] ?? 0) + 1);
  const seen = new Set<string>();
  let bronze = 0;
  let silver = 0;
  for (const record of records) {
    const result = decode(record.value ?? new Uint8Array());
    if (!result.ok) {
      count(result.error.code);
      continue;
    }
    bronze += result.value.events.length;
    for (const event of result.value.events) {
      const f1 = result.value.source === 'f1' ? (event as F1Event) : undefined;
      const sat = f1 ? undefined : (event as SatelliteSample);
      const valid = f1 ? F1_EVENT_SCHEMAS[f1.type].safeParse(f1).success : SatelliteSample.safeParse(sat).success;
      const time = f1 ? f1.event_time_ns : (sat as SatelliteSample).timestamp_ns;
      const key = f1 ? `${f1.session_id}/${f1.car_number}/${f1.event_id}` : `${sat?.satellite}/${sat?.timestamp_ns}`;
      if (!valid || time < nowNs - SIX_HOURS_NS) count('EXPECTATION_FAILED');
      else if (f1 && !sessions.has(f1.session_id)) count('UNKNOWN_SESSION');
      else if (seen.has(key)) count('DUPLICATE');
      else {
        seen.add(key);
        silver += 1;
      }
    }
  }
  return { bronze, silver, quarantine: Object.values(reasons).reduce((a, b) => a + b, 0), quarantineByReason: Object.fromEntries(Object.entries(reasons).sort(([a], [b]) => a.localeCompare(b))) };
}

describe.skipIf(!hasKcat)('producer --inject-faults and the f1 session context, against the kcat mock cluster', () => {
  let cluster: MockCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startMockCluster();
    dir = await mkdtemp(join(tmpdir(), 'producer-faults-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['off', 1],
    ['on', 25],
  ])('f1, framing %s: the session is on the sessions topic before any event; the summary JSON reconciles with the topic', async (framing, frameSize) => {
    const topic = `f1-faults-${framing}`;
    const sessionsTopic = `f1-sessions-${framing}`;
    const summaryFile = join(dir, `f1-${framing}.json`);
    const started = BigInt(Date.now()) * 1_000_000n;
    const run = await runProducer(['--source', 'f1', '--brokers', cluster.bootstrap, '--topic', topic, '--sessions-topic', sessionsTopic, '--max-events', '3000', '--no-sleep', '--cars', '6', '--seed', '9', '--framing', framing, '--frame-size', String(frameSize), '--inject-faults', '0.2', '--summary-json', summaryFile]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as SummaryJson;
    expect(summary).toMatchObject({ source: 'f1', topic, sessionsTopic, faultRate: 0.2, sourceEvents: 3000, failedMessages: 0 });
    expect(summary.acknowledgedMessages).toBe(summary.messages);
    expect(summary.events).toBe(3000 + (summary.faults['duplicate'] ?? 0));
    for (const kind of ['corrupt', 'out_of_range', 'null_required', 'duplicate', 'unknown_session', 'late']) expect(summary.faults[kind]).toBeGreaterThan(30);
    expect(run.stdout).toMatch(/faults\s+\d+ of 3000 source events at rate 0.2/);

    // The session context: one record keyed by session_id, an F1Session with start_time_ns as a decimal string.
    const sessions = await kcatConsume({ bootstrap: cluster.directBootstrap, topic: sessionsTopic, count: 1 });
    expect(sessions).toHaveLength(1);
    const record = sessions[0] as KcatRecord;
    const json = JSON.parse(record.value?.toString('utf8') ?? 'null') as Record<string, unknown>;
    expect(typeof json['start_time_ns']).toBe('string');
    const session = F1Session.parse({ ...json, start_time_ns: BigInt(json['start_time_ns'] as string) });
    expect(record.key?.toString('utf8')).toBe(session.session_id);
    expect(summary.sessions).toEqual([session.session_id]);
    expect(session.start_time_ns).toBeGreaterThanOrEqual(started - 1_000_000_000n);

    const records = await kcatConsume({ bootstrap: cluster.directBootstrap, topic, count: summary.messages });
    expect(records).toHaveLength(summary.messages);
    // Acknowledged before any event was sent: no event record is older than the session record.
    expect(Math.min(...records.map((r) => r.timestamp))).toBeGreaterThanOrEqual(record.timestamp);
    const seen = classify(records, new Set([session.session_id]), session.start_time_ns);
    expect(seen).toEqual(summary.expected);
    expect(seen.bronze + summary.eventsInCorruptMessages).toBe(summary.events);
  }, 60_000);

  it('satellite, framed: faults apply to single events, corrupt breaks whole frames; the summary JSON reconciles', async () => {
    const samples = join(dir, 'samples');
    await writeSatelliteSamples({ dir: samples, satellites: 6, samples: 300, seed: 3 });
    const topic = 'sat-faults';
    const summaryFile = join(dir, 'sat.json');
    const started = BigInt(Date.now()) * 1_000_000n;
    const run = await runProducer(['--source', 'satellite', '--samples-dir', samples, '--brokers', cluster.bootstrap, '--topic', topic, '--no-sleep', '--framing', 'on', '--frame-size', '10', '--inject-faults', '0.1', '--seed', '4', '--summary-json', summaryFile]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as SummaryJson;
    expect(summary).toMatchObject({ source: 'satellite', sessionsTopic: null, sessions: [], sourceEvents: 1800 });
    expect(summary.faults['null_required']).toBe(0);
    expect(summary.faults['unknown_session']).toBe(0);
    expect(summary.corruptMessages).toBeGreaterThan(0);
    expect(summary.eventsInCorruptMessages).toBeGreaterThan(summary.corruptMessages); // whole frames lost
    const records = await kcatConsume({ bootstrap: cluster.directBootstrap, topic, count: summary.messages });
    expect(classify(records, new Set(), started)).toEqual(summary.expected);
  }, 60_000);
});
