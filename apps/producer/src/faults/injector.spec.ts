import { decode, Encoder } from '@lakestream/codec';
import { F1_EVENT_SCHEMAS, SatelliteSample, type F1Event } from '@lakestream/schema';
import { F1Simulator } from '@lakestream/sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventPipeline, type MessageSink } from '../pipeline.js';
import { F1_FAULTS, FaultInjector, SATELLITE_FAULTS, type ExpectedOutcome, type FaultMark } from './injector.js';
import { FaultingIntake } from './intake.js';
import { FaultPlanner, SOURCE_FAULT_KINDS } from './plan.js';

const START_NS = BigInt(Date.parse('2026-03-08T15:00:00Z')) * 1_000_000n;
const SIX_HOURS_NS = 6n * 3_600_000_000_000n;
const simulator = new F1Simulator({ cars: 8, seed: 11, startTimeNs: START_NS });
const SESSION = simulator.session.session_id;
const F1_POOL: F1Event[] = [];
for (const e of simulator.events()) {
  F1_POOL.push(e);
  if (F1_POOL.length >= 3_000) break;
}
const SAT_POOL: SatelliteSample[] = Array.from({ length: 3_000 }, (_, i) => ({
  satellite: `sat${i % 7}`,
  timestamp_ns: START_NS + BigInt(i) * 1_000_000n,
  temp_c: 20,
  battery_charge_pct: 50,
  altitude: 500,
  sensor1: 0,
  sensor2: 0.5,
  sensor3: -0.5,
}));

class RecordingSink implements MessageSink {
  readonly sent: { key: string; value: Uint8Array }[] = [];
  async send(key: string, value: Uint8Array): Promise<void> {
    this.sent.push({ key, value: Uint8Array.from(value) });
  }
}

/**
 * An independent mini-consumer: decodes what was sent and classifies each
 * record / event as the consumer's rules say (decode failure → its code;
 * schema-invalid or older than 6 h → EXPECTATION_FAILED; unknown session →
 * UNKNOWN_SESSION; a key seen before → DUPLICATE; else silver).
 */
function oracle(sent: readonly { value: Uint8Array }[]): ExpectedOutcome {
  const reasons: Record<string, number> = {};
  const count = (r: string) => (reasons[r] = (reasons[r] ?? 0) + 1);
  const seen = new Set<string>();
  let bronze = 0;
  let silver = 0;
  for (const { value } of sent) {
    const result = decode(value);
    if (!result.ok) {
      count(result.error.code);
      continue;
    }
    bronze += result.value.events.length;
    for (const event of result.value.events) {
      let valid: boolean;
      let time: bigint;
      let key: string;
      let sessionKnown = true;
      if (result.value.source === 'f1') {
        const e = event as F1Event;
        valid = F1_EVENT_SCHEMAS[e.type].safeParse(e).success;
        time = e.event_time_ns;
        key = `${e.session_id}/${e.car_number}/${e.event_id}`;
        sessionKnown = e.session_id === SESSION;
      } else {
        const s = event as SatelliteSample;
        valid = SatelliteSample.safeParse(s).success;
        time = s.timestamp_ns;
        key = `${s.satellite}/${s.timestamp_ns}`;
      }
      if (!valid || time < START_NS - SIX_HOURS_NS) count('EXPECTATION_FAILED');
      else if (!sessionKnown) count('UNKNOWN_SESSION');
      else if (seen.has(key)) count('DUPLICATE');
      else {
        seen.add(key);
        silver += 1;
      }
    }
  }
  const quarantine = Object.values(reasons).reduce((a, b) => a + b, 0);
  return { bronze, silver, quarantine, quarantineByReason: Object.fromEntries(Object.entries(reasons).sort(([a], [b]) => a.localeCompare(b))) };
}

async function produce<E>(pool: readonly E[], keyOf: (e: E) => string, injector: FaultInjector<E>, encoding: { single: (e: E) => Uint8Array; frame: (es: readonly E[]) => Uint8Array }, frameSize: number | undefined, n: number) {
  const sink = new RecordingSink();
  const pipeline = new EventPipeline<E, FaultMark>(sink, encoding, {
    framing: frameSize === undefined ? undefined : { frameSize, maxAgeMs: 3_600_000 },
    finishMessage: injector.finishMessage,
  });
  const intake = new FaultingIntake(pipeline, injector);
  for (const event of pool.slice(0, n)) {
    if (!(await intake.admit())) break;
    await intake.submit(keyOf(event), event);
  }
  await pipeline.finish();
  return { sink, pipeline };
}

const encoder = new Encoder();
const f1Encoding = { single: (e: F1Event) => encoder.encodeF1Event(e), frame: (es: readonly F1Event[]) => encoder.encodeF1Frame(es) };
const satEncoding = { single: (e: SatelliteSample) => encoder.encodeSatelliteSample(e), frame: (es: readonly SatelliteSample[]) => encoder.encodeSatelliteFrame(es) };

describe('FaultInjector: the tally matches an independent decode of what was sent', () => {
  it('f1 and satellite, one event per message and framed, any rate and seed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('f1', 'satellite'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
        fc.integer({ min: 1, max: 1_500 }),
        async (source, rate, seed, frameSize, n) => {
          const planner = new FaultPlanner(rate, seed, SOURCE_FAULT_KINDS[source]);
          let sent: { value: Uint8Array }[];
          let injector: FaultInjector<F1Event> | FaultInjector<SatelliteSample>;
          let events: number;
          let messages: number;
          if (source === 'f1') {
            const f1 = new FaultInjector(planner, F1_FAULTS);
            const { sink, pipeline } = await produce(F1_POOL, (e) => String(e.car_number), f1, f1Encoding, frameSize, n);
            [sent, injector, events, messages] = [sink.sent, f1, pipeline.events, pipeline.messages];
          } else {
            const sat = new FaultInjector(planner, SATELLITE_FAULTS);
            const { sink, pipeline } = await produce(SAT_POOL, (e) => e.satellite, sat, satEncoding, frameSize, n);
            [sent, injector, events, messages] = [sink.sent, sat, pipeline.events, pipeline.messages];
          }
          const report = injector.report();
          expect(report.expected).toEqual(oracle(sent));
          expect(planner.events).toBe(n);
          expect(events).toBe(n + report.faults.duplicate);
          expect(messages).toBe(sent.length);
          expect(report.expected.bronze + report.eventsInCorruptMessages).toBe(events);
          // Every fault of a one-event-per-message run is visible as exactly one quarantine row.
          if (frameSize === undefined) expect(report.expected.quarantine).toBe(Object.values(report.faults).reduce((a, b) => a + b, 0));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('a duplicate whose first copy is lost in a corrupt frame goes to silver (the first decodable copy)', async () => {
    // Find a seed where, with frames of 2, some frame ends with a corrupt-marked event's frame holding the original only.
    const events = F1_POOL.filter((e) => e.car_number === 1).slice(0, 400);
    for (let seed = 0; seed < 500; seed++) {
      const planner = new FaultPlanner(0.5, seed, ['corrupt', 'duplicate']);
      const injector = new FaultInjector(planner, F1_FAULTS);
      const { sink } = await produce(events, () => '1', injector, f1Encoding, 2, events.length);
      const report = injector.report();
      const dupRows = report.expected.quarantineByReason['DUPLICATE'] ?? 0;
      if (dupRows < report.faults.duplicate && report.expected.bronze > 0) {
        expect(report.expected).toEqual(oracle(sink.sent));
        return;
      }
    }
    throw new Error('no seed produced a duplicate straddling a corrupt frame');
  });
});
