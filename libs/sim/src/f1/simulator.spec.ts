import { createHash } from 'node:crypto';
import { type F1Event, F1Event as F1EventSchema, F1_EVENT_RATES_HZ, F1_EVENT_TYPES, type F1EventOf, type F1EventType } from '@lakestream/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidSimOptionsError } from '../errors.js';
import { buildF1Session } from './session.js';
import { F1Simulator } from './simulator.js';

const NS_PER_S = 1_000_000_000n;

function take(sim: F1Simulator, n: number): F1Event[] {
  const out: F1Event[] = [];
  for (const e of sim.events()) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

function digest(events: Iterable<F1Event>): string {
  const hash = createHash('sha256');
  // Field values in schema order; numbers print as their shortest round-trip decimal, so equal text means equal bits.
  for (const e of events) hash.update(`${Object.values(e).join(',')}\n`);
  return hash.digest('hex');
}

describe('F1Simulator determinism', () => {
  it('gives identical first 100k events for the same seed, and different ones for another seed', () => {
    const a = digest(take(new F1Simulator({ seed: 7 }), 100_000));
    expect(digest(take(new F1Simulator({ seed: 7 }), 100_000))).toBe(a);
    expect(digest(take(new F1Simulator({ seed: 8 }), 100_000))).not.toBe(a);
  });

  it('is pinned: the first 20k events of the default race hash to this value on every machine', () => {
    expect(digest(take(new F1Simulator(), 20_000))).toMatchInlineSnapshot(`"b74f6b208bc1ea59868300855ceb46b4d57222b225ab7c4f97eeef37a1dbdbd6"`);
  });

  it('validates options with typed errors and honours startTimeNs', () => {
    expect(() => new F1Simulator({ cars: 0 })).toThrow(InvalidSimOptionsError);
    expect(() => new F1Simulator({ cars: 100 })).toThrow(/cars/);
    expect(() => new F1Simulator({ session: { ...buildF1Session('RACE'), total_laps: 0 } })).toThrow(/total_laps/);
    const start = 1_700_000_000n * NS_PER_S;
    const sim = new F1Simulator({ cars: 3, startTimeNs: start });
    expect(sim.session.start_time_ns).toBe(start);
    expect(sim.session.session_date).toBe('2023-11-14');
    expect(take(sim, 1)[0]?.event_time_ns).toBe(start);
    // Another start is another session: a second run never reuses (session_id, car, event_id).
    expect(sim.session.session_id).toBe(`${new F1Simulator({ cars: 3 }).session.session_id}-20231114T221320Z`);
    expect(take(sim, 1)[0]?.session_id).toBe(sim.session.session_id);
    expect(new F1Simulator({ cars: 3, startTimeNs: start + NS_PER_S }).session.session_id).not.toBe(sim.session.session_id);
  });
});

describe('F1Simulator one simulated minute, 50 cars', () => {
  const counts = new Map<string, number>();
  const invalid: string[] = [];
  let sessionId = '';
  beforeAll(() => {
    const sim = new F1Simulator({ cars: 50, seed: 3 });
    sessionId = sim.session.session_id;
    const end = sim.session.start_time_ns + 60n * NS_PER_S;
    let n = 0;
    for (const e of sim.events()) {
      if (e.event_time_ns >= end) break;
      const key = e.type === 'tire' ? `tire:${e.corner}` : e.type;
      counts.set(`${e.car_number}/${key}`, (counts.get(`${e.car_number}/${key}`) ?? 0) + 1);
      if (n++ % 10 === 0 || e.type === 'system') {
        const r = F1EventSchema.safeParse(e);
        if (!r.success && invalid.length < 5) invalid.push(`${JSON.stringify(r.error.issues)} in ${e.type}`);
      }
    }
  });

  it('emits every type at its rate per car (position 10 Hz, dynamics 20, power_unit 50, tire 5 per corner, aerodynamics 10)', () => {
    const perMinute = (type: F1EventType): number => 60 * (F1_EVENT_RATES_HZ[type] as number);
    const expected: Record<string, number> = { position: 600, dynamics: 1200, power_unit: 3000, aerodynamics: 600, 'tire:FL': 300, 'tire:FR': 300, 'tire:RL': 300, 'tire:RR': 300 };
    for (const type of ['position', 'dynamics', 'power_unit', 'aerodynamics'] as const) expect(expected[type]).toBe(perMinute(type));
    expect(expected['tire:FL']).toBe(perMinute('tire'));
    for (let car = 1; car <= 50; car++) {
      for (const [key, want] of Object.entries(expected)) {
        const got = counts.get(`${car}/${key}`) ?? 0;
        expect(Math.abs(got - want) / want, `car ${car} ${key}: ${got}`).toBeLessThanOrEqual(0.01);
      }
      expect(counts.get(`${car}/system`) ?? 0).toBeGreaterThanOrEqual(1); // session start, on change after that
    }
  });

  it('passes the zod F1Event schema', () => {
    expect(invalid).toEqual([]);
    expect(sessionId).toBe('2026-lakestream-ring-race');
  });
});

interface CarTrace {
  lastId: number;
  lap: number;
  lapIncrements: number;
  lastDistance: number;
  wraps: number;
  wear: number[];
  firstWear: number[];
  fuel: number;
  firstFuel: number;
  lastSpeed: number;
  previousSpeed: number;
  lastTime: bigint;
  pendingDynamics: F1EventOf<'dynamics'>[];
  last: F1Event | undefined;
  innerStart: number;
  innerMax: number;
}

describe('F1Simulator a whole (short) race, 5 cars', () => {
  const laps = 8;
  const sim = new F1Simulator({ cars: 5, seed: 11, session: { ...buildF1Session('RACE'), total_laps: laps } });
  const cars = new Map<number, CarTrace>();
  const problems: string[] = [];
  const seen = new Set<F1EventType>();
  let total = 0;
  let validated = 0;
  let accelerating = 0;
  let braking = 0;
  let drsOpen = 0;
  let ersBoth = 0;
  const drsBeforeLap3: number[] = [];
  const problem = (text: string): void => {
    if (problems.length < 10) problems.push(text);
  };

  beforeAll(() => {
    let lastTime = -1n;
    for (const e of sim.events()) {
      total++;
      seen.add(e.type);
      if (e.event_time_ns < lastTime) problem(`time went back at event ${total}`);
      lastTime = e.event_time_ns;
      if (total % 20 === 0 || e.type === 'system') {
        validated++;
        const r = F1EventSchema.safeParse(e);
        if (!r.success) problem(`${e.type}: ${JSON.stringify(r.error.issues)}`);
      }
      let c = cars.get(e.car_number);
      if (!c) {
        c = { lastId: -1, lap: 0, lapIncrements: 0, lastDistance: -1, wraps: 0, wear: [], firstWear: [], fuel: Infinity, firstFuel: NaN, lastSpeed: NaN, previousSpeed: NaN, lastTime: -1n, pendingDynamics: [], last: undefined, innerStart: NaN, innerMax: 0 };
        cars.set(e.car_number, c);
      }
      if (Number(e.event_id) !== c.lastId + 1) problem(`car ${e.car_number}: id ${e.event_id} after ${c.lastId}`);
      c.lastId = Number(e.event_id);
      if (e.lap < c.lap || e.lap > c.lap + 1) problem(`car ${e.car_number}: lap ${e.lap} after ${c.lap}`);
      if (e.lap === c.lap + 1) c.lapIncrements++;
      c.lap = e.lap;
      c.last = e;
      switch (e.type) {
        case 'position':
          if (e.lap_distance_m < c.lastDistance) c.wraps++;
          c.lastDistance = e.lap_distance_m;
          c.previousSpeed = e.event_time_ns - c.lastTime === 100_000_000n ? c.lastSpeed : NaN;
          c.lastSpeed = e.speed_kph;
          c.lastTime = e.event_time_ns;
          break;
        case 'dynamics': {
          if (e.throttle_pct > 0 && e.brake_pct > 0) problem('throttle and brake together');
          if (e.throttle_pct === 100 && e.longitudinal_g <= 0 && c.lastSpeed < 250) problem(`full throttle, decelerating at ${c.lastSpeed} kph`);
          if (e.brake_pct >= 50 && e.longitudinal_g >= 0) problem('braking, accelerating');
          if (e.event_time_ns !== c.lastTime) {
            c.pendingDynamics.push(e);
            break;
          }
          // The tick of a position event: compare its speed with the one 100 ms earlier
          // against the pedals reported in between (at +50 ms and now).
          const pedals = [...c.pendingDynamics, e];
          c.pendingDynamics = [];
          if (pedals.length < 2 || Number.isNaN(c.previousSpeed)) break;
          if (pedals.every((d) => d.throttle_pct >= 90 && d.brake_pct === 0) && c.previousSpeed < 250) {
            accelerating++;
            if (!(c.lastSpeed > c.previousSpeed)) problem(`car ${e.car_number}: full throttle but ${c.previousSpeed} -> ${c.lastSpeed} kph`);
          }
          if (pedals.every((d) => d.brake_pct >= 50)) {
            braking++;
            if (!(c.lastSpeed < c.previousSpeed)) problem(`car ${e.car_number}: braking but ${c.previousSpeed} -> ${c.lastSpeed} kph`);
          }
          break;
        }
        case 'power_unit':
          if (e.fuel_kg > c.fuel) problem(`car ${e.car_number}: fuel rose ${c.fuel} -> ${e.fuel_kg}`);
          if (Number.isNaN(c.firstFuel)) c.firstFuel = e.fuel_kg;
          c.fuel = e.fuel_kg;
          if (e.ers_deploy_kw > 0 && e.ers_harvest_kw > 0) ersBoth++;
          break;
        case 'tire': {
          const k = ['FL', 'FR', 'RL', 'RR'].indexOf(e.corner);
          if (e.wear_pct < (c.wear[k] ?? 0)) problem(`car ${e.car_number} ${e.corner}: wear fell`);
          c.firstWear[k] ??= e.wear_pct;
          c.wear[k] = e.wear_pct;
          if (Number.isNaN(c.innerStart)) c.innerStart = e.inner_temp_c;
          c.innerMax = Math.max(c.innerMax, e.inner_temp_c);
          break;
        }
        case 'aerodynamics':
          if (e.drs_open) {
            drsOpen++;
            if (e.lap < 3) drsBeforeLap3.push(e.lap);
          }
          break;
        default:
          break;
      }
    }
  });

  it('emits all six event types, in time order, with per-car event ids 0, 1, 2, …', () => {
    expect([...seen].sort()).toEqual([...F1_EVENT_TYPES].sort());
    expect(problems).toEqual([]);
    expect(validated).toBeGreaterThan(20_000);
  });

  it('completes laps: lap increments one at a time as lap_distance wraps, up to the race distance', () => {
    expect(Math.max(...[...cars.values()].map((c) => c.lap))).toBe(laps);
    for (const c of cars.values()) {
      expect(c.lap).toBeGreaterThanOrEqual(laps - 1);
      expect(c.lapIncrements).toBe(c.lap);
      expect(c.wraps).toBe(c.lap);
    }
  });

  it('ends with every car taking the chequered flag', () => {
    for (const c of cars.values()) {
      expect(c.last).toMatchObject({ type: 'system', code: 'FINISHED', flag: 'CHEQUERED' });
    }
  });

  it('moves speed with the pedals: up under full throttle, down under braking', () => {
    expect(accelerating).toBeGreaterThan(500);
    expect(braking).toBeGreaterThan(200);
  });

  it('wears tyres monotonically, warms them from blanket temperature, and burns fuel', () => {
    for (const c of cars.values()) {
      for (let k = 0; k < 4; k++) expect(c.wear[k] as number).toBeGreaterThan((c.firstWear[k] as number) + 3);
      expect(c.innerMax).toBeGreaterThan(c.innerStart + 15);
      expect(c.fuel).toBeLessThan(c.firstFuel - 10);
      expect(c.fuel).toBeGreaterThanOrEqual(0);
    }
  });

  it('opens DRS only from lap 3 of the race, deploys and harvests ERS never at once', () => {
    expect(drsBeforeLap3).toEqual([]);
    expect(drsOpen).toBeGreaterThan(0);
    expect(ersBoth).toBe(0);
  });
});

describe('F1Simulator practice and qualifying', () => {
  it('runs an hour of practice and stops at the chequered flag, events valid', () => {
    const sim = new F1Simulator({ cars: 1, seed: 5, sessionType: 'PRACTICE' });
    const start = sim.session.start_time_ns;
    let last: F1Event | undefined;
    let n = 0;
    for (const e of sim.events()) {
      if (n++ % 100 === 0 || e.type === 'system') expect(F1EventSchema.safeParse(e).success).toBe(true);
      last = e;
    }
    const hours = Number((last?.event_time_ns ?? 0n) - start) / 3.6e12;
    expect(hours).toBeGreaterThan(0.98);
    expect(hours).toBeLessThan(1.05);
    expect(last).toMatchObject({ type: 'system', code: 'FINISHED' });
  });

  it('puts qualifying cars on soft tyres, spread around the lap', () => {
    const sim = new F1Simulator({ cars: 4, seed: 5, sessionType: 'QUALIFYING' });
    const first = take(sim, 2000);
    const tyres = first.filter((e): e is F1EventOf<'tire'> => e.type === 'tire');
    expect(new Set(tyres.map((t) => t.compound))).toEqual(new Set(['SOFT']));
    const starts = first.filter((e): e is F1EventOf<'position'> => e.type === 'position').slice(0, 4).map((p) => Math.round(p.lap_distance_m));
    expect(starts).toEqual([0, 1353, 2706, 4059]);
  });
});
