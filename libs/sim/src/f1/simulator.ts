/**
 * The F1 simulator: N cars on a track through one session, as a synchronous
 * generator of schema-valid events in time order. A global 100 Hz clock
 * drives the physics; on each tick every car emits the events due at the
 * schema's rates (F1_EVENT_RATES_HZ: power unit every 2nd tick = 50 Hz,
 * dynamics every 5th = 20 Hz, position and aerodynamics every 10th = 10 Hz,
 * the four tyres every 20th = 5 Hz each), stamped with the tick time.
 * System events come on change.
 */
import { type F1Event, F1_EVENT_RATES_HZ, F1Session, type F1EventType } from '@lakestream/schema';
import { InvalidSimOptionsError } from '../errors.js';
import { Prng } from '../random/prng.js';
import { Car, type CarSetup, type Compound } from './car.js';
import { aerodynamicsEvent, dynamicsEvent, positionEvent, powerUnitEvent, systemEvent, tireEvent } from './emit.js';
import { FLAG, RaceControl } from './race-control.js';
import { buildF1Session, DEFAULT_WEEKEND_DATE, F1_SESSION_DURATION_S, type F1SessionType } from './session.js';
import { checkStatus, finishedMessage, flagMessage, SESSION_START_MESSAGE, type StatusMessage } from './status.js';
import { DEFAULT_TRACK, Track, type TrackDefinition } from './track.js';

export interface F1SimulatorOptions {
  /** Number of cars, 1..99 (car numbers 1..N); default 50. */
  readonly cars?: number;
  /** PRNG seed; default 88. */
  readonly seed?: number;
  /** The session to simulate; default: the `sessionType` session of the weekend starting on `date`. */
  readonly session?: F1Session;
  /** Used when `session` is not given; default RACE. */
  readonly sessionType?: F1SessionType;
  /** First day of the weekend (YYYY-MM-DD) when `session` is not given; default 2026-03-06. */
  readonly date?: string;
  /** Overrides the session's start time (ns since the epoch); event times count from it. */
  readonly startTimeNs?: bigint;
  /** Circuit; default DEFAULT_TRACK, scaled to `session.lap_length_m` when a session is given. */
  readonly track?: TrackDefinition;
}

export const F1_DEFAULTS = { cars: 50, seed: 88, sessionType: 'RACE', date: DEFAULT_WEEKEND_DATE } as const;

export const F1_TICK_HZ = 100;
const TICK_NS = 10_000_000n;
const DT = 1 / F1_TICK_HZ;

/** Ticks between two events of a type, from the schema's nominal rates. */
function ticksPer(type: F1EventType): number {
  const rate = F1_EVENT_RATES_HZ[type];
  if (typeof rate !== 'number' || F1_TICK_HZ % rate !== 0) throw new TypeError(`${type} rate ${String(rate)} Hz does not divide the ${F1_TICK_HZ} Hz clock`);
  return F1_TICK_HZ / rate;
}
const POSITION_EVERY = ticksPer('position');
const DYNAMICS_EVERY = ticksPer('dynamics');
const POWER_UNIT_EVERY = ticksPer('power_unit');
const AERO_EVERY = ticksPer('aerodynamics');
const TYRE_EVERY = ticksPer('tire');
const TYRE_DT = TYRE_EVERY / F1_TICK_HZ;
/** DRS: gap to the car ahead at the zone entry, in seconds. */
const DRS_GAP_S = 1;
/** Laps completed before DRS is enabled in a race. */
const DRS_FROM_LAP = 3;

export class F1Simulator {
  readonly session: F1Session;
  readonly track: Track;
  readonly cars: number;
  readonly seed: number;

  constructor(options: F1SimulatorOptions = {}) {
    this.cars = options.cars ?? F1_DEFAULTS.cars;
    this.seed = options.seed ?? F1_DEFAULTS.seed;
    if (!Number.isInteger(this.cars) || this.cars < 1 || this.cars > 99) throw new InvalidSimOptionsError('cars', `expected 1..99, got ${this.cars}`);
    if (!Number.isInteger(this.seed) || this.seed < -(2 ** 31) || this.seed > 2 ** 32 - 1) throw new InvalidSimOptionsError('seed', `expected a 32-bit integer, got ${this.seed}`);
    const definition = options.track ?? DEFAULT_TRACK;
    let session: F1Session;
    if (options.session) {
      const parsed = F1Session.safeParse(options.session);
      if (!parsed.success) throw new InvalidSimOptionsError('session', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      session = parsed.data;
      this.track = new Track({ ...definition, name: definition.name, lengthM: session.lap_length_m });
    } else {
      this.track = new Track(definition);
      session = buildF1Session(options.sessionType ?? F1_DEFAULTS.sessionType, { date: options.date ?? F1_DEFAULTS.date, track: this.track });
    }
    if (options.startTimeNs !== undefined) {
      if (typeof options.startTimeNs !== 'bigint' || options.startTimeNs < 0n) throw new InvalidSimOptionsError('startTimeNs', 'expected a non-negative bigint');
      const startMs = Number(options.startTimeNs / 1_000_000n);
      const start = new Date(startMs).toISOString();
      // Another start is another session: its own id, so events of two runs never share (session_id, car, event_id).
      const stamp = start.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      session = { ...session, session_id: `${session.session_id}-${stamp}`, start_time_ns: options.startTimeNs, session_date: start.slice(0, 10) };
    }
    this.session = session;
  }

  /** Car numbers in grid order. */
  get carNumbers(): number[] {
    return Array.from({ length: this.cars }, (_, i) => i + 1);
  }

  /**
   * Every event of the session, in time order (ties: by car, then system,
   * position, dynamics, power unit, aerodynamics, tyres FL/FR/RL/RR). Ends
   * when every car has taken the chequered flag. Each call starts afresh:
   * the same options give the same events.
   */
  *events(): Generator<F1Event, void, undefined> {
    const track = this.track;
    const session = this.session;
    const sessionId = session.session_id;
    const race = session.session_type === 'RACE';
    const cars = this.createCars();
    const control = new RaceControl(new Prng(this.seed, 1), session.session_type, F1_TICK_HZ);
    const endTick = F1_SESSION_DURATION_S[session.session_type] * F1_TICK_HZ;
    const start = session.start_time_ns;
    const zones = track.drsZones;

    for (let tick = 0; ; tick++) {
      const time = start + BigInt(tick) * TICK_NS;
      control.update(tick);
      if (tick >= endTick && !control.chequered) control.finish();
      const positionDue = tick % POSITION_EVERY === 0;
      const dynamicsDue = tick % DYNAMICS_EVERY === 0;
      const powerDue = tick % POWER_UNIT_EVERY === 0;
      const aeroDue = tick % AERO_EVERY === 0;
      const tyresDue = tick % TYRE_EVERY === 0;
      let running = 0;

      for (let c = 0; c < cars.length; c++) {
        const car = cars[c] as Car;
        if (car.finished) continue;
        running++;
        const sector = track.sector(car.s);
        if (tick === 0) yield status(car, sessionId, time, SESSION_START_MESSAGE);
        const flag = control.flagFor(sector);
        if (flag !== car.flag) {
          car.flag = flag;
          yield status(car, sessionId, time, flagMessage(flag));
        }
        if (tyresDue) {
          if (tick > 0) car.stepTyres(TYRE_DT);
          const messages = checkStatus(car, TYRE_DT, race);
          if (messages) for (const m of messages) yield status(car, sessionId, time, m);
        }
        if (positionDue) yield positionEvent(car, track, sessionId, time);
        if (dynamicsDue) yield dynamicsEvent(car, sessionId, time);
        if (powerDue) yield powerUnitEvent(car, sessionId, time);
        if (aeroDue) yield aerodynamicsEvent(car, sessionId, time);
        if (tyresDue) {
          yield tireEvent(car, 0, sessionId, time);
          yield tireEvent(car, 1, sessionId, time);
          yield tireEvent(car, 2, sessionId, time);
          yield tireEvent(car, 3, sessionId, time);
        }

        if (race && zones.length > 0) this.updateDrs(car, cars, control);
        if (car.step(track, DT, control.cap, control.paceFor(sector))) {
          if (control.chequered) {
            car.finished = true;
            yield status(car, sessionId, time, finishedMessage(car));
            continue;
          }
          if (car.lap >= session.total_laps) {
            // The leader completes the distance: chequered flag for everyone.
            control.finish();
            car.flag = FLAG.CHEQUERED;
            car.finished = true;
            yield status(car, sessionId, time, finishedMessage(car));
            continue;
          }
          car.lap++;
          const jitter = car.rng.normal(1, 0.002);
          car.lapPace = jitter > 1.004 ? 1.004 : jitter < 0.994 ? 0.994 : jitter;
        }
      }
      if (running === 0) return;
    }
  }

  private createCars(): Car[] {
    const track = this.track;
    const type = this.session.session_type;
    const cars: Car[] = [];
    for (let i = 0; i < this.cars; i++) {
      const rng = new Prng(this.seed, 1000 + i);
      const startM = type === 'RACE' ? track.length - 10 - 8 * i : (i * track.length) / this.cars;
      const setup: CarSetup = {
        carNumber: i + 1,
        pace: rng.uniform(0.978, 0.995),
        powerFactor: rng.uniform(0.97, 1),
        compound: compoundFor(type, rng),
        fuelKg: type === 'RACE' ? 105 : type === 'QUALIFYING' ? 60 : 80,
        frontWingDeg: rng.uniform(14, 22),
        rearWingDeg: rng.uniform(24, 32),
        brakeBalancePct: rng.uniform(54, 59),
        coldPressurePsi: [rng.uniform(22, 23), rng.uniform(22, 23), rng.uniform(20, 21), rng.uniform(20, 21)],
        startM,
        startSpeedMs: type === 'RACE' ? 0 : 0.7 * (track.speedLimit[track.index(startM)] as number),
      };
      cars.push(new Car(setup, rng, track.length));
    }
    return cars;
  }

  /** DRS opens in a zone when the car entered it within a second of the car ahead, until it brakes. */
  private updateDrs(car: Car, cars: readonly Car[], control: RaceControl): void {
    const zone = zoneAt(this.track, car.s);
    if (zone !== car.inDrsZone) {
      car.inDrsZone = zone;
      car.drsEligible = zone >= 0 && car.lap >= DRS_FROM_LAP && control.drsAllowed && gapAhead(car, cars, this.track.length) < DRS_GAP_S;
    }
    if (car.brake > 0 || !control.drsAllowed) car.drsEligible = false;
    car.drsOpen = car.drsEligible;
  }
}

function compoundFor(type: F1SessionType, rng: Prng): Compound {
  if (type === 'QUALIFYING') return 'SOFT';
  if (type === 'RACE') return rng.chance(0.5) ? 'MEDIUM' : 'HARD';
  return (['SOFT', 'MEDIUM', 'HARD'] as const)[rng.int(0, 2)] as Compound;
}

function status(car: Car, sessionId: string, time: bigint, m: StatusMessage): F1Event {
  return systemEvent(car, sessionId, time, m.code, m.severity, m.message);
}

function zoneAt(track: Track, s: number): number {
  const zones = track.drsZones;
  for (let z = 0; z < zones.length; z++) {
    const { startM, endM } = zones[z] as { startM: number; endM: number };
    if (startM <= endM ? s >= startM && s < endM : s >= startM || s < endM) return z;
  }
  return -1;
}

/** Seconds to the nearest running car ahead on the road (any lap). */
function gapAhead(car: Car, cars: readonly Car[], length: number): number {
  let best = Infinity;
  for (const other of cars) {
    if (other === car || other.finished) continue;
    let d = other.s - car.s;
    if (d <= 0) d += length;
    if (d < best) best = d;
  }
  return best / (car.v > 10 ? car.v : 10);
}
