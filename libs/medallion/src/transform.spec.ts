import { decode, encodeF1Event, encodeF1Frame, encodeSatelliteFrame, encodeSatelliteSample } from '@lakestream/codec';
import { parseValidationResult } from '@lakestream/quality';
import { quarantineTable, TABLES } from '@lakestream/schema';
import { describe, expect, it } from 'vitest';
import { context, position, power, record, sample, SESSION, T0_MS, utf8 } from '../test/fixtures.js';
import { DLQ_HEADERS, SessionDirectory, transformF1, transformSatellite } from './index.js';

const names = (t: { schema: { fields: { name: string }[] } } | undefined): string[] => t?.schema.fields.map((f) => f.name) ?? [];

describe('transformF1', () => {
  it('turns good events into bronze and silver rows typed as the catalog, with session context and enriched messages', () => {
    const frame = encodeF1Frame([position(0), power(1)]);
    const single = encodeF1Event(position(2));
    const res = transformF1([record(single, 0), record(frame, 1)], context());
    expect(res.counts).toMatchObject({ consumed: 2, decoded: 2, events: 3, bronze: 3, silver: 3, duplicates: 0, quarantined: {} });
    const { bronze, silver } = res.tables;
    expect(names(bronze)).toEqual(TABLES.f1Bronze.schema.fields.map((f) => f.name));
    expect(names(silver)).toEqual(TABLES.f1Silver.schema.fields.map((f) => f.name));
    expect(res.tables.quarantine).toBeUndefined();
    expect(bronze?.numRows).toBe(3);
    const b = bronze!.toArray().map((r) => r.toJSON());
    expect(b[0]).toMatchObject({ session_id: SESSION.session_id, event_type: 'position', schema_id: 2, kafka_offset: 0n, kafka_topic: 'f1-telemetry' });
    expect(JSON.parse(b[0]!['payload'] as string)).toMatchObject({ speed_kph: 287.4, sector: 1 });
    expect(b[1]).toMatchObject({ event_type: 'position', schema_id: 4, kafka_offset: 1n });
    expect(b[0]!['session_date']).toBe(Date.UTC(2026, 2, 8));
    const s = silver!.toArray().map((r) => r.toJSON());
    expect(s.map((r) => r['event_type'])).toEqual(['position', 'position', 'power_unit']);
    expect(s[2]).toMatchObject({ track: SESSION.track, session_type: 'RACE', rpm: 11_500, speed_kph: null, car_number: 16 });
    expect(silver!.getChild('event_time')!.get(0)).toBe(T0_MS + 200);
    // One message per input record, in its shape: the single event as its own bytes, the frame as a frame.
    expect(res.enriched.map((m) => utf8(m.key))).toEqual(['2026-bahrain-race/44/2', '2026-bahrain-race/44/0']);
    expect(res.enriched[0]!.value).toBe(single);
    const back = decode(res.enriched[1]!.value);
    expect(back.ok && back.value.events).toEqual([position(0), power(1)]);
    expect(Array.from(res.silverEventTimesMs)).toEqual([T0_MS + 200, T0_MS, T0_MS + 100]);
  });

  it('re-frames a frame with only its silver events: a duplicate and a failed event are left out, a replay builds the same message', () => {
    const frame = encodeF1Frame([position(5), position(6, { speed_kph: 412.8 } as Partial<typeof position>), position(5), power(7)]);
    const ctx = context();
    const res = transformF1([record(frame, 3)], ctx);
    expect(res.counts).toMatchObject({ silver: 2, duplicates: 1, quarantined: { EXPECTATION_FAILED: 1, DUPLICATE: 1 } });
    expect(res.enriched).toHaveLength(1);
    expect(utf8(res.enriched[0]!.key)).toBe('2026-bahrain-race/44/5');
    const back = decode(res.enriched[0]!.value);
    expect(back.ok && back.value.events).toEqual([position(5), power(7)]);
    const replay = transformF1([record(frame, 3)], { ...context(), dedup: ctx.dedup });
    expect(replay.enriched.map((m) => [utf8(m.key), Buffer.from(m.value).toString('hex')])).toEqual(res.enriched.map((m) => [utf8(m.key), Buffer.from(m.value).toString('hex')]));
  });

  it('quarantines undecodable records byte for byte with the codec code, and sends the same to the DLQ', () => {
    const good = encodeF1Event(position(0));
    const truncated = good.subarray(0, 3);
    const badMagic = Uint8Array.from([7, ...good.subarray(1)]);
    const unknown = Uint8Array.from(good);
    unknown[4] = 99;
    const satellite = encodeSatelliteSample(sample(0));
    const res = transformF1([record(truncated, 10), record(badMagic, 11), record(unknown, 12), record(satellite, 13), record(null, 14)], context());
    expect(res.counts).toMatchObject({ consumed: 5, decoded: 0, events: 0, silver: 0, quarantined: { TRUNCATED: 1, BAD_MAGIC: 1, UNKNOWN_SCHEMA: 2, INVALID_BUFFER: 1 } });
    const q = res.tables.quarantine!;
    expect(names(q)).toEqual(quarantineTable('f1').schema.fields.map((f) => f.name));
    expect(q.getChild('reason_code')!.toArray()).toEqual(['TRUNCATED', 'BAD_MAGIC', 'UNKNOWN_SCHEMA', 'UNKNOWN_SCHEMA', 'INVALID_BUFFER']);
    expect(q.getChild('raw_value')!.get(0)).toEqual(truncated);
    expect(q.getChild('raw_value')!.get(1)).toEqual(badMagic);
    expect(q.getChild('raw_key')!.get(0)).toEqual(new TextEncoder().encode('44'));
    expect(q.getChild('event_index')!.get(0)).toBeNull();
    expect(res.dlq).toHaveLength(5);
    expect(res.dlq[0]!.value).toEqual(truncated);
    expect(res.dlq[1]!.headers).toMatchObject({ [DLQ_HEADERS.reasonCode]: 'BAD_MAGIC', [DLQ_HEADERS.topic]: 'f1-telemetry', [DLQ_HEADERS.partition]: '0', [DLQ_HEADERS.offset]: '11', [DLQ_HEADERS.timestamp]: String(T0_MS + 60_000) });
    expect(res.dlq[1]!.headers[DLQ_HEADERS.reason]).toContain('BAD_MAGIC');
  });

  it('quarantines events failing error expectations with their names and observed values; warn-only failures stay in silver', () => {
    const fast = position(1, { speed_kph: 412.8 } as Partial<typeof position>);
    const badLap = position(2, { lap: 900, heading_deg: 400 } as never);
    const stale = position(3, { event_time_ns: BigInt(T0_MS - 7 * 3_600_000) * 1_000_000n } as never);
    const res = transformF1([record(encodeF1Frame([position(0), fast, badLap]), 0), record(encodeF1Event(stale), 1)], context());
    expect(res.counts).toMatchObject({ events: 4, bronze: 4, silver: 1, quarantined: { EXPECTATION_FAILED: 3 } });
    const q = res.tables.quarantine!.toArray().map((r) => r.toJSON());
    expect(q[0]).toMatchObject({ reason_code: 'EXPECTATION_FAILED', event_index: 1, event_key: '2026-bahrain-race/44/1', reason: 'speed_kph between 0 and 400' });
    expect(JSON.parse(q[0]!['failed_expectations'] as string)).toEqual(['speed_kph between 0 and 400']);
    expect(JSON.parse(q[0]!['observed'] as string)).toEqual({ 'speed_kph between 0 and 400': 412.8 });
    expect(JSON.parse(q[1]!['failed_expectations'] as string)).toHaveLength(2);
    expect(JSON.parse(q[1]!['observed'] as string)).toMatchObject({ 'lap between 0 and 500': 900 });
    // an event of a frame is kept alone, re-encoded; a single-event message byte for byte
    const alone = decode(q[0]!['raw_value'] as Uint8Array);
    expect(alone.ok && alone.value.events[0]).toEqual(fast);
    expect(q[2]).toMatchObject({ event_index: 0, reason_code: 'EXPECTATION_FAILED' });
    expect(q[2]!['raw_value']).toEqual(encodeF1Event(stale));
    expect(JSON.parse(q[2]!['failed_expectations'] as string)[0]).toMatch(/^event_time_ns/);
    expect(res.dlq.map((m) => m.headers[DLQ_HEADERS.eventIndex])).toEqual(['1', '2', '0']);
  });

  it('quarantines duplicates (DUPLICATE) within and across batches, but not a replay of the same coordinate', () => {
    const ctx = context();
    const first = transformF1([record(encodeF1Event(position(0)), 0), record(encodeF1Event(position(0)), 1)], ctx);
    expect(first.counts).toMatchObject({ silver: 1, duplicates: 1, quarantined: { DUPLICATE: 1 } });
    expect(first.tables.quarantine!.getChild('kafka_offset')!.get(0)).toBe(1n);
    const again = transformF1([record(encodeF1Event(position(0)), 5)], ctx);
    expect(again.counts).toMatchObject({ silver: 0, duplicates: 1 });
    const replay = transformF1([record(encodeF1Event(position(0)), 0)], ctx);
    expect(replay.counts).toMatchObject({ silver: 1, duplicates: 0 });
    const inFrame = transformF1([record(encodeF1Frame([position(7), position(7)]), 9)], ctx);
    expect(inFrame.counts).toMatchObject({ silver: 1, duplicates: 1 });
    expect(inFrame.tables.quarantine!.getChild('event_index')!.get(0)).toBe(1);
  });

  it('quarantines events of an unknown session (UNKNOWN_SESSION), never drops them', () => {
    const other = position(0, { session_id: '2026-jeddah-race' } as never);
    const res = transformF1([record(encodeF1Frame([position(0), other]), 0)], context({ sessions: new SessionDirectory() }));
    expect(res.counts).toMatchObject({ bronze: 2, silver: 0, quarantined: { UNKNOWN_SESSION: 2 } });
    const known = transformF1([record(encodeF1Frame([position(0), other]), 0)], context());
    expect(known.counts).toMatchObject({ silver: 1, quarantined: { UNKNOWN_SESSION: 1 } });
    expect(known.tables.quarantine!.getChild('reason')!.get(0)).toContain('2026-jeddah-race');
  });

  it('writes one validation row per suite, readable back as a stored result', () => {
    const res = transformF1([record(encodeF1Frame([position(0), power(1), position(2, { speed_kph: 999 } as never)]), 0)], context());
    const v = res.tables.validation!;
    expect(names(v)).toEqual(TABLES.validationResults.schema.fields.map((f) => f.name));
    const rows = v.toArray().map((r) => r.toJSON());
    expect(rows.map((r) => r['suite_name'])).toEqual(['f1.silver.position', 'f1.silver.power_unit']);
    expect(rows[0]).toMatchObject({ source: 'f1', batch_id: 1n, row_count: 2n, passed_rows: 1n, success: false, run_id: 'test batch 1' });
    const stored = parseValidationResult(rows[0]!['result_json'] as string);
    expect(stored.rowCount).toBe(2);
  });

  it('counts reconcile: decodable events = bronze; silver = bronze − failed − duplicates − unknown session', () => {
    const batch = [
      record(encodeF1Frame([position(0), position(1), position(1), position(2, { speed_kph: -5 } as never)]), 0),
      record(encodeF1Event(position(3, { session_id: 'nope' } as never)), 1),
      record(Uint8Array.of(0, 0), 2),
      record(encodeF1Event(power(4)), 3),
    ];
    const { counts } = transformF1(batch, context());
    const q = counts.quarantined;
    expect(counts.bronze).toBe(6);
    expect(counts.silver).toBe(counts.bronze - (q.EXPECTATION_FAILED ?? 0) - counts.duplicates - (q.UNKNOWN_SESSION ?? 0));
    expect(counts.silver).toBe(3);
    expect(counts.consumed - counts.decoded).toBe(q.TRUNCATED);
  });
});

describe('transformSatellite', () => {
  it('writes satellite-data-raw and silver, quarantines out-of-range samples and duplicates', () => {
    const rec = (v: Uint8Array, o: number) => record(v, o, { topic: 'sat-data', key: new TextEncoder().encode('sat0') });
    const res = transformSatellite([rec(encodeSatelliteFrame([sample(0), sample(1), sample(2, { battery_charge_pct: 140 })]), 0), rec(encodeSatelliteSample(sample(1)), 1), rec(encodeF1Event(position(0)), 2)], context());
    expect(res.counts).toMatchObject({ consumed: 3, decoded: 2, events: 4, bronze: 4, silver: 2, duplicates: 1, quarantined: { EXPECTATION_FAILED: 1, DUPLICATE: 1, UNKNOWN_SCHEMA: 1 } });
    expect(names(res.tables.bronze)).toEqual(TABLES.satelliteRaw.schema.fields.map((f) => f.name));
    expect(names(res.tables.silver)).toEqual(TABLES.satelliteSilver.schema.fields.map((f) => f.name));
    expect(res.tables.silver!.getChild('timestamp_ns')!.toArray()).toEqual(BigInt64Array.from([sample(0).timestamp_ns, sample(1).timestamp_ns]));
    expect(res.tables.quarantine!.getChild('reason_code')!.toArray()).toEqual(['EXPECTATION_FAILED', 'DUPLICATE', 'UNKNOWN_SCHEMA']);
    expect(res.enriched).toEqual([]);
    expect(res.tables.validation!.getChild('suite_name')!.toArray()).toEqual(['satellite.silver']);
  });
});
