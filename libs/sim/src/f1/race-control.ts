/**
 * Race control: the track-wide flag state. Incidents arrive at random
 * (Poisson): a local yellow in one sector, and in races a virtual safety car
 * or a safety car that caps speed. The chequered flag ends the session.
 */
import { FLAGS } from '@lakestream/schema';
import type { F1SessionType } from './session.js';
import { log } from '../random/det-math.js';
import type { Prng } from '../random/prng.js';

export type Flag = (typeof FLAGS)[number];

export const FLAG = {
  GREEN: FLAGS.indexOf('GREEN'),
  YELLOW: FLAGS.indexOf('YELLOW'),
  VSC: FLAGS.indexOf('VIRTUAL_SAFETY_CAR'),
  SC: FLAGS.indexOf('SAFETY_CAR'),
  CHEQUERED: FLAGS.indexOf('CHEQUERED'),
} as const;

/** Mean time between incidents. */
const INCIDENT_MEAN_S = 480;
const VSC_CAP_MS = 160 / 3.6;
const SC_CAP_MS = 130 / 3.6;
/** Drivers lift in a yellow sector. */
const YELLOW_PACE = 0.9;

export class RaceControl {
  /** Track-wide flag: GREEN, VSC, SC or CHEQUERED (yellows are per sector). */
  flag: number = FLAG.GREEN;
  /** Sector under a local yellow, 0 for none. */
  yellowSector = 0;
  /** Speed cap for every car (m/s). */
  cap = Infinity;
  chequered = false;
  private incidentEnd = Infinity;
  private nextIncident: number;

  constructor(
    private readonly rng: Prng,
    private readonly sessionType: F1SessionType,
    private readonly tickHz: number,
  ) {
    this.nextIncident = this.drawGap(0);
  }

  /** Advances to `tick`; cheap when nothing happens. */
  update(tick: number): void {
    if (tick < this.nextIncident && tick < this.incidentEnd) return;
    if (tick >= this.incidentEnd) {
      this.clear();
      this.nextIncident = this.drawGap(tick);
      return;
    }
    if (this.chequered) return;
    const roll = this.rng.float();
    const race = this.sessionType === 'RACE';
    if (race && roll < 0.08) this.start(FLAG.SC, SC_CAP_MS, tick, 120, 240);
    else if (race && roll < 0.25) this.start(FLAG.VSC, VSC_CAP_MS, tick, 45, 90);
    else {
      this.yellowSector = this.rng.int(1, 3);
      this.incidentEnd = tick + Math.round(this.rng.uniform(15, 45) * this.tickHz);
    }
    this.nextIncident = Infinity;
  }

  /** Shows the chequered flag: every car finishes when it next crosses the line. */
  finish(): void {
    this.chequered = true;
    this.clear();
    this.flag = FLAG.CHEQUERED;
    this.nextIncident = Infinity;
  }

  /** The flag a car in `sector` sees. */
  flagFor(sector: number): number {
    return sector === this.yellowSector && this.flag === FLAG.GREEN ? FLAG.YELLOW : this.flag;
  }

  /** Pace multiplier for a car in `sector`. */
  paceFor(sector: number): number {
    return sector === this.yellowSector ? YELLOW_PACE : 1;
  }

  /** DRS may only open under green. */
  get drsAllowed(): boolean {
    return this.flag === FLAG.GREEN;
  }

  private start(flag: number, cap: number, tick: number, minS: number, maxS: number): void {
    this.flag = flag;
    this.cap = cap;
    this.incidentEnd = tick + Math.round(this.rng.uniform(minS, maxS) * this.tickHz);
  }

  private clear(): void {
    if (!this.chequered) this.flag = FLAG.GREEN;
    this.yellowSector = 0;
    this.cap = Infinity;
    this.incidentEnd = Infinity;
  }

  private drawGap(tick: number): number {
    const u = (this.rng.nextUint32() + 1) / 4294967297;
    return tick + Math.max(1, Math.round(-INCIDENT_MEAN_S * log(u) * this.tickHz));
  }
}
