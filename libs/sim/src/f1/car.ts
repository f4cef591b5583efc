/**
 * One car's state and its physics step. The driver follows the track's
 * speed limit (scaled by their pace): full throttle below it, brakes above
 * it, a little throttle to hold it. Speed integrates from throttle, brake and
 * drag; everything else (gear, rpm, ERS, fuel, temperatures, tyres) follows
 * from speed and pedals. Plain numeric fields only: this runs 100 times per
 * simulated second per car.
 */
import { type COMPOUNDS, FLAGS } from '@lakestream/schema';
import { Prng } from '../random/prng.js';
import { brakeDecel, CAR, downforce, dragDecel, driveAccel, G } from './physics.js';
import type { Track } from './track.js';

export type Compound = (typeof COMPOUNDS)[number];
export type FlagIndex = number;

const RAD_TO_DEG = 57.29577951308232;
const STRAIGHT_KAPPA = 0.0025;
/** Tread wear per metre (%) by compound, before load and temperature factors. */
const WEAR_PER_M: Record<Compound, number> = { SOFT: 2.4e-4, MEDIUM: 1.7e-4, HARD: 1.25e-4, INTERMEDIATE: 2e-4, WET: 1.6e-4 };
const TYRE_BLANKET_C = 70;
const OIL_TAU_S = 40;
const WATER_TAU_S = 25;
const SURFACE_TAU_S = 1.5;
const INNER_TAU_S = 25;
const GREEN = FLAGS.indexOf('GREEN');
const ERS_DEPLOY_MAX_MS = 70;
const MGU_H_HARVEST_W = 40_000;

export interface CarSetup {
  readonly carNumber: number;
  /** Driver and car pace: fraction of the track's speed limit they use (0.95..1). */
  readonly pace: number;
  readonly powerFactor: number;
  readonly compound: Compound;
  readonly fuelKg: number;
  readonly frontWingDeg: number;
  readonly rearWingDeg: number;
  readonly brakeBalancePct: number;
  /** Cold pressures FL, FR, RL, RR (psi at blanket temperature). */
  readonly coldPressurePsi: readonly [number, number, number, number];
  /** Where the car starts on the lap, and how fast. */
  readonly startM: number;
  readonly startSpeedMs: number;
}

export class Car {
  readonly carNumber: number;
  readonly rng: Prng;
  readonly setup: CarSetup;
  // Motion
  s: number;
  v: number;
  lap = 0;
  /** Laps done plus fraction: race order and gaps. */
  distance: number;
  accel = 0;
  throttle = 0;
  brake = 0;
  gear = 1;
  rpm: number = CAR.idleRpm;
  kappa = 0;
  lapPace = 1;
  // Power unit
  ersStoreJ: number = CAR.ersStoreJ * 0.6;
  ersDeployW = 0;
  ersHarvestW = 0;
  fuelKg: number;
  fuelFlowKgH = 0;
  oilC = 95;
  waterC = 85;
  // Aero
  drsOpen = false;
  drsEligible = false;
  inDrsZone = -1;
  // Tyres (FL, FR, RL, RR)
  readonly wear = new Float64Array(4);
  readonly surfaceC = new Float64Array(4).fill(TYRE_BLANKET_C + 10);
  readonly innerC = new Float64Array(4).fill(TYRE_BLANKET_C + 5);
  tyreDistance = 0;
  // Session
  flag: FlagIndex = GREEN;
  finished = false;
  nextEventId = 0;
  /** Bit set of warnings already raised (see status.ts). */
  warnings = 0;

  constructor(setup: CarSetup, rng: Prng, lapLength: number) {
    this.setup = setup;
    this.carNumber = setup.carNumber;
    this.rng = rng;
    this.s = setup.startM;
    this.v = setup.startSpeedMs;
    this.fuelKg = setup.fuelKg;
    this.distance = setup.startM / lapLength;
  }

  /**
   * Advances dt seconds. `cap` limits speed (m/s, VSC / safety car) and
   * `flagPace` scales the driver's pace (yellow flags). Returns true when
   * the car crossed the start/finish line.
   */
  step(track: Track, dt: number, cap: number, flagPace: number): boolean {
    const n = track.samples;
    const here = track.index(this.s);
    this.kappa = track.curvature[here] as number;
    const look = (here + 2 + Math.floor((this.v * dt * 2) / track.step)) % n;
    const wearGrip = 1 - 0.0006 * (this.wear[0] as number);
    let limit = (track.speedLimit[look] as number) * this.setup.pace * this.lapPace * wearGrip * flagPace;
    if (limit > cap) limit = cap;
    const err = limit - this.v;
    if (err < -0.3) {
      this.throttle = 0;
      const b = (-err - 0.3) / 1.2;
      this.brake = b > 1 ? 1 : b;
    } else if (err < 3) {
      this.brake = 0;
      this.throttle = err <= 0 ? 0 : err / 3;
    } else {
      this.brake = 0;
      this.throttle = 1;
    }

    // ERS: deploy on the exits and straights up to ERS_DEPLOY_MAX_MS, tapering when the store runs low;
    // harvest under braking (MGU-K) and a little at full throttle at top speed (MGU-H).
    const straight = this.kappa < STRAIGHT_KAPPA && this.kappa > -STRAIGHT_KAPPA;
    const charge = this.ersStoreJ / CAR.ersStoreJ;
    this.ersDeployW = this.throttle > 0.99 && straight && this.v > 25 && this.v < ERS_DEPLOY_MAX_MS ? CAR.ersPowerW * (charge < 0.3 ? charge / 0.3 : 1) : 0;
    if (this.brake > 0) this.ersHarvestW = (this.brake * 1.5 < 1 ? this.brake * 1.5 : 1) * CAR.ersPowerW;
    else this.ersHarvestW = this.throttle > 0.99 && this.v >= ERS_DEPLOY_MAX_MS && charge < 0.95 ? MGU_H_HARVEST_W : 0;
    this.ersStoreJ += (this.ersHarvestW - this.ersDeployW) * dt;
    if (this.ersStoreJ < 0) this.ersStoreJ = 0;
    else if (this.ersStoreJ > CAR.ersStoreJ) this.ersStoreJ = CAR.ersStoreJ;

    const mass = CAR.dryMassKg + this.fuelKg;
    const v = this.v;
    const power = CAR.icePowerW * this.setup.powerFactor + this.ersDeployW;
    this.accel = this.throttle * driveAccel(v, power, mass) - this.brake * brakeDecel(v) - dragDecel(v, mass, this.drsOpen);
    let nv = v + this.accel * dt;
    if (nv < 0) {
      nv = 0;
      this.accel = -v / dt;
    }
    this.v = nv;
    const ds = nv * dt;
    this.tyreDistance += ds;
    this.s += ds;
    this.distance += ds / track.length;

    const top = CAR.gearTopSpeed;
    if (this.gear < 8 && nv > (top[this.gear] as number) * 0.985) this.gear++;
    else if (this.gear > 1 && nv < (top[this.gear - 1] as number) * 0.9) this.gear--;
    const rpm = (nv / (top[this.gear] as number)) * CAR.shiftRpm;
    this.rpm = rpm < CAR.idleRpm ? CAR.idleRpm : rpm;

    const load = this.throttle * (this.rpm / CAR.shiftRpm);
    const flow = 3 + (CAR.maxFuelFlowKgH - 3) * this.throttle * (this.rpm > 10_500 ? 1 : this.rpm / 10_500);
    this.fuelFlowKgH = flow;
    this.fuelKg -= (flow * dt) / 3600;
    if (this.fuelKg < 0) this.fuelKg = 0;
    this.oilC += ((95 + 30 * load - this.oilC) * dt) / (OIL_TAU_S + dt);
    this.waterC += ((86 + 22 * load - this.waterC) * dt) / (WATER_TAU_S + dt);

    if (this.s >= track.length) {
      this.s -= track.length;
      return true;
    }
    return false;
  }

  /** Tyre temperatures and wear over the last `dt` seconds (called at the tyre event rate). */
  stepTyres(dt: number): void {
    const latG = this.lateralG();
    const lonG = this.accel / G;
    const speedHeat = this.v * 0.1;
    for (let c = 0; c < 4; c++) {
      const left = c === 0 || c === 2;
      const front = c < 2;
      // Right turns (latG > 0) load the left tyres; braking loads the fronts, traction the rears.
      const lat = (left ? latG : -latG) > 0 ? Math.abs(latG) : 0.3 * Math.abs(latG);
      const lon = front ? (lonG < 0 ? -lonG : 0.2 * lonG) : lonG > 0 ? 1.2 * lonG : -0.2 * lonG;
      const work = lat + lon;
      const surface = this.surfaceC[c] as number;
      const surfaceTarget = 78 + 20 * work + speedHeat;
      const nextSurface = surface + ((surfaceTarget - surface) * dt) / (SURFACE_TAU_S + dt);
      this.surfaceC[c] = nextSurface;
      const inner = this.innerC[c] as number;
      this.innerC[c] = inner + ((0.55 * nextSurface + 45 - inner) * dt) / (INNER_TAU_S + dt);
      const hot = nextSurface > 110 ? 1 + (nextSurface - 110) / 40 : 1;
      const worn = (this.wear[c] as number) + this.tyreDistance * WEAR_PER_M[this.setup.compound] * (1 + 0.35 * work) * hot;
      this.wear[c] = worn > 100 ? 100 : worn;
    }
    this.tyreDistance = 0;
  }

  pressurePsi(corner: number): number {
    return (this.setup.coldPressurePsi[corner] as number) * ((273.15 + (this.innerC[corner] as number)) / (273.15 + TYRE_BLANKET_C));
  }

  /** Lateral (centripetal) acceleration in g, positive right: a right turn (kappa < 0) gives a positive value. */
  lateralG(): number {
    return (-this.v * this.v * this.kappa) / G;
  }

  steeringDeg(): number {
    return -this.kappa * CAR.wheelbaseM * CAR.steeringRatio * RAD_TO_DEG;
  }

  downforceN(): number {
    return downforce(this.v, this.drsOpen);
  }
}
