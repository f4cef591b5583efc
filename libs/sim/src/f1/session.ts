/**
 * Race weekends: the F1Session records (schema) of a weekend at a track,
 * with UTC start times. Session ids look like `2026-lakestream-ring-race`.
 */
import { F1Session, type SESSION_TYPES } from '@lakestream/schema';
import { InvalidSimOptionsError } from '../errors.js';
import { DEFAULT_TRACK, Track, type TrackDefinition } from './track.js';

export type F1SessionType = (typeof SESSION_TYPES)[number];

/** Friday of the default weekend. */
export const DEFAULT_WEEKEND_DATE = '2026-03-06';

/** Scheduled length of each session type; a race also ends at its lap count. */
export const F1_SESSION_DURATION_S: Readonly<Record<F1SessionType, number>> = {
  PRACTICE: 3600,
  QUALIFYING: 3600,
  RACE: 7200,
};

/** A race is the fewest laps that exceed 305 km (the sporting regulations). */
const RACE_DISTANCE_M = 305_000;

interface Slot {
  readonly slug: string;
  readonly type: F1SessionType;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** Friday FP1/FP2, Saturday FP3/qualifying, Sunday race (UTC). */
const WEEKEND: readonly Slot[] = [
  { slug: 'fp1', type: 'PRACTICE', day: 0, hour: 11, minute: 30 },
  { slug: 'fp2', type: 'PRACTICE', day: 0, hour: 15, minute: 0 },
  { slug: 'fp3', type: 'PRACTICE', day: 1, hour: 11, minute: 30 },
  { slug: 'qualifying', type: 'QUALIFYING', day: 1, hour: 15, minute: 0 },
  { slug: 'race', type: 'RACE', day: 2, hour: 15, minute: 0 },
];

export interface F1WeekendOptions {
  /** First day of the weekend (UTC), YYYY-MM-DD; default 2026-03-06. */
  readonly date?: string;
  /** Circuit (default DEFAULT_TRACK). */
  readonly track?: TrackDefinition | Track;
}

/** The five sessions of a weekend, in order: fp1, fp2, fp3, qualifying, race. */
export function buildF1Weekend(options: F1WeekendOptions = {}): F1Session[] {
  const date = options.date ?? DEFAULT_WEEKEND_DATE;
  const dayZero = parseDate(date);
  const track = options.track instanceof Track ? options.track : new Track(options.track ?? DEFAULT_TRACK);
  return WEEKEND.map((slot) => {
    const startMs = dayZero + slot.day * 86_400_000 + (slot.hour * 60 + slot.minute) * 60_000;
    const session: F1Session = {
      session_id: `${date.slice(0, 4)}-${track.name}-${slot.slug}`,
      session_type: slot.type,
      session_date: new Date(startMs).toISOString().slice(0, 10),
      track: track.name,
      lap_length_m: track.length,
      total_laps: plannedLaps(slot.type, track),
      start_time_ns: BigInt(startMs) * 1_000_000n,
    };
    return F1Session.parse(session);
  });
}

/** The weekend's first session of a type (PRACTICE gives FP1). */
export function buildF1Session(type: F1SessionType, options: F1WeekendOptions = {}): F1Session {
  return buildF1Weekend(options).find((s) => s.session_type === type) as F1Session;
}

function plannedLaps(type: F1SessionType, track: Track): number {
  const laps = type === 'RACE' ? Math.ceil(RACE_DISTANCE_M / track.length) : Math.floor(F1_SESSION_DURATION_S[type] / track.referenceLapTimeS);
  return Math.min(200, Math.max(1, laps));
}

function parseDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || new Date(ms).toISOString().slice(0, 10) !== date || Number(match[1]) < 1970) {
    throw new InvalidSimOptionsError('date', `expected a calendar date YYYY-MM-DD from 1970, got '${date}'`);
  }
  return ms;
}
