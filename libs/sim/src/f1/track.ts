/**
 * Track model: a closed loop of straights and circular corners, scaled to the lap length and sampled every ~1 m into tables
 * (position, heading, curvature, elevation, lat/lon, speed limit) so the
 * cars' hot loop only indexes arrays. The speed limit is the fastest a car
 * may go at each point and still make every corner ahead (corner limit, then
 * a backward braking pass).
 */
import { InvalidSimOptionsError } from '../errors.js';
import { atan2, cos, sin } from '../random/det-math.js';
import { brakeDecel, CAR, cornerSpeedLimit, dragDecel, driveAccel } from './physics.js';

/** [x, y, radius] in metres. */
export type TrackCorner = readonly [x: number, y: number, radius: number];

export interface TrackDefinition {
  /** Track name as it appears in F1Session.track and session ids (lowercase, dashes). */
  readonly name: string;
  /** Lap length in metres (1000..10000); the control points are scaled to it. */
  readonly lengthM: number;
  /**
   * Corner points of the closed loop in driving order, in metres (any scale:
   * the loop is scaled to lengthM): [x, y, radius]. Each corner is rounded
   * by an arc of that radius; radius 0 is a point on a straight. The lap
   * starts at the first point, which should sit on a straight (radius 0).
   */
  readonly corners: readonly TrackCorner[];
  /** WGS84 position of the start line (x = y = 0). */
  readonly originLatDeg: number;
  readonly originLonDeg: number;
  /** Elevation swing in metres (default 8). */
  readonly elevationM?: number;
}

/**
 * The default circuit: a made-up 5.412 km, 12-corner layout in the desert at
 * Sakhir's coordinates (not the real Bahrain geometry). Driven anticlockwise.
 */
export const DEFAULT_TRACK: TrackDefinition = {
  name: 'lakestream-ring',
  lengthM: 5412,
  originLatDeg: 26.0325,
  originLonDeg: 50.5106,
  elevationM: 8,
  corners: [
    [0, 0, 0], [1050, 0, 22], [880, 260, 70], [1400, 330, 45], [1480, 760, 30], [1050, 820, 160],
    [700, 980, 40], [480, 700, 28], [160, 760, 90], [-250, 560, 45], [-300, 300, 25], [-560, 220, 60],
    [-600, 0, 50],
  ],
};

const EARTH_RADIUS_M = 6_371_008.8;
const RAD_TO_DEG = 57.29577951308232;
const TWO_PI = 6.283185307179586;
/** Cap on the speed profile: above any car's top speed, so drag decides top speed. */
const PROFILE_CAP_MS = 110;
/** Curvature below which a sample counts as straight (radius > 400 m). */
const STRAIGHT_KAPPA = 0.0025;
const CURVATURE_SMOOTHING = 5;

export interface DrsZone {
  readonly startM: number;
  readonly endM: number;
}

export class Track {
  readonly name: string;
  readonly length: number;
  /** Samples per lap; sample i sits at i * step metres. */
  readonly samples: number;
  readonly step: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** Compass heading of the direction of travel, degrees clockwise from north, [0, 360). */
  readonly heading: Float64Array;
  /** Signed curvature (1/m), positive turning left. */
  readonly curvature: Float64Array;
  /** Fastest speed (m/s) that still makes the corners ahead. */
  readonly speedLimit: Float64Array;
  readonly drsZones: readonly DrsZone[];
  /** Lap distance where sectors 2 and 3 start. */
  readonly sector2StartM: number;
  readonly sector3StartM: number;
  /** Lap time of the reference car at full pace (s), for session planning. */
  readonly referenceLapTimeS: number;

  constructor(definition: TrackDefinition = DEFAULT_TRACK) {
    validate(definition);
    this.name = definition.name;
    this.length = definition.lengthM;
    const loop = pieces(definition.corners);
    const loopLength = loop.reduce((sum, p) => sum + p.length, 0);
    const scale = definition.lengthM / loopLength;
    this.samples = Math.round(definition.lengthM);
    this.step = definition.lengthM / this.samples;
    const n = this.samples;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    const first = definition.corners[0] as TrackCorner;
    sample(loop, scale, this.step, this.x, this.y, first[0], first[1]);

    this.heading = new Float64Array(n);
    const theta = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const dx = (this.x[j] as number) - (this.x[i] as number);
      const dy = (this.y[j] as number) - (this.y[i] as number);
      theta[i] = atan2(dy, dx);
      const compass = atan2(dx, dy) * RAD_TO_DEG;
      this.heading[i] = compass < 0 ? compass + 360 : compass >= 360 ? compass - 360 : compass;
    }
    this.curvature = smoothCurvature(theta, this.step);

    const elevation = definition.elevationM ?? 8;
    this.z = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    const lonScale = RAD_TO_DEG / (EARTH_RADIUS_M * cos(definition.originLatDeg / RAD_TO_DEG));
    for (let i = 0; i < n; i++) {
      const u = (TWO_PI * i) / n;
      this.z[i] = elevation * (0.6 * sin(u) + 0.4 * sin(3 * u + 1) - 0.4 * sin(1));
      this.lat[i] = definition.originLatDeg + ((this.y[i] as number) / EARTH_RADIUS_M) * RAD_TO_DEG;
      this.lon[i] = definition.originLonDeg + (this.x[i] as number) * lonScale;
    }

    this.speedLimit = speedProfile(this.curvature, this.step);
    this.referenceLapTimeS = lapTime(this.speedLimit, this.step);
    this.drsZones = findDrsZones(this.curvature, this.step);
    this.sector2StartM = this.length / 3;
    this.sector3StartM = (2 * this.length) / 3;
  }

  /** Sample index at lap distance s (0 <= s < length). */
  index(s: number): number {
    const i = Math.floor(s / this.step);
    return i >= this.samples ? this.samples - 1 : i;
  }

  /** Sector 1..3 at lap distance s. */
  sector(s: number): 1 | 2 | 3 {
    return s < this.sector2StartM ? 1 : s < this.sector3StartM ? 2 : 3;
  }
}

function validate(d: TrackDefinition): void {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(d.name)) throw new InvalidSimOptionsError('track.name', `expected lowercase letters, digits and dashes, got '${d.name}'`);
  if (!(d.lengthM >= 1000 && d.lengthM <= 10_000)) throw new InvalidSimOptionsError('track.lengthM', `expected 1000..10000 m, got ${d.lengthM}`);
  if (d.corners.length < 3) throw new InvalidSimOptionsError('track.corners', 'need at least 3 points');
  if (!(Math.abs(d.originLatDeg) <= 85) || !(Math.abs(d.originLonDeg) <= 179)) throw new InvalidSimOptionsError('track.origin', 'latitude within ±85, longitude within ±179');
  if (d.elevationM !== undefined && !(d.elevationM >= 0 && d.elevationM <= 200)) throw new InvalidSimOptionsError('track.elevationM', 'expected 0..200 m');
}

interface Piece {
  /** Start point and direction (unit vector) of a straight, or centre, radius and start angle of an arc. */
  readonly x: number;
  readonly y: number;
  readonly dx: number;
  readonly dy: number;
  readonly radius: number;
  readonly startAngle: number;
  /** +1 turning left (anticlockwise), -1 right; 0 for a straight. */
  readonly turn: number;
  readonly length: number;
}

/**
 * The loop as straights and circular arcs: each corner point with radius r
 * is rounded by an arc tangent to its two straights (a fillet).
 */
function pieces(corners: readonly TrackCorner[]): Piece[] {
  const n = corners.length;
  const at = (i: number): TrackCorner => corners[((i % n) + n) % n] as TrackCorner;
  const ends: { ax: number; ay: number; bx: number; by: number; arc: Piece | undefined }[] = [];
  for (let i = 0; i < n; i++) {
    const [px, py] = at(i - 1);
    const [vx, vy, radius] = at(i);
    const [qx, qy] = at(i + 1);
    const l1 = Math.hypot(vx - px, vy - py);
    const l2 = Math.hypot(qx - vx, qy - vy);
    const d1x = (vx - px) / l1;
    const d1y = (vy - py) / l1;
    const d2x = (qx - vx) / l2;
    const d2y = (qy - vy) / l2;
    const cross = d1x * d2y - d1y * d2x;
    const dot = d1x * d2x + d1y * d2y;
    const angle = atan2(cross, dot); // signed turn, (-π, π)
    if (radius <= 0 || Math.abs(angle) < 1e-9) {
      ends.push({ ax: vx, ay: vy, bx: vx, by: vy, arc: undefined });
      continue;
    }
    const half = Math.abs(angle) / 2;
    const tangent = (radius * sin(half)) / cos(half);
    if (tangent > l1 / 2 + 1e-6 || tangent > l2 / 2 + 1e-6) {
      throw new InvalidSimOptionsError('track.corners', `corner ${i} radius ${radius} does not fit between its neighbours`);
    }
    const turn = angle > 0 ? 1 : -1;
    const ax = vx - d1x * tangent;
    const ay = vy - d1y * tangent;
    // Centre lies to the left of the incoming direction for a left turn.
    const cx = ax - turn * d1y * radius;
    const cy = ay + turn * d1x * radius;
    ends.push({
      ax,
      ay,
      bx: vx + d2x * tangent,
      by: vy + d2y * tangent,
      arc: { x: cx, y: cy, dx: 0, dy: 0, radius, startAngle: atan2(ay - cy, ax - cx), turn, length: radius * Math.abs(angle) },
    });
  }
  const out: Piece[] = [];
  for (let i = 0; i < n; i++) {
    const from = ends[i] as (typeof ends)[number];
    const to = ends[(i + 1) % n] as (typeof ends)[number];
    if (from.arc) out.push(from.arc);
    const length = Math.hypot(to.ax - from.bx, to.ay - from.by);
    if (length > 0) {
      out.push({ x: from.bx, y: from.by, dx: (to.ax - from.bx) / length, dy: (to.ay - from.by) / length, radius: 0, startAngle: 0, turn: 0, length });
    }
  }
  return out;
}

/** Points every `step` metres along the loop scaled by `scale`, relative to the first corner point. */
function sample(loop: readonly Piece[], scale: number, step: number, outX: Float64Array, outY: Float64Array, x0: number, y0: number): void {
  let piece = 0;
  let pieceStart = 0;
  for (let i = 0; i < outX.length; i++) {
    const s = (i * step) / scale;
    while (piece < loop.length - 1 && s >= pieceStart + (loop[piece] as Piece).length) pieceStart += (loop[piece++] as Piece).length;
    const p = loop[piece] as Piece;
    const along = s - pieceStart;
    let x: number;
    let y: number;
    if (p.turn === 0) {
      x = p.x + p.dx * along;
      y = p.y + p.dy * along;
    } else {
      const a = p.startAngle + (p.turn * along) / p.radius;
      x = p.x + p.radius * cos(a);
      y = p.y + p.radius * sin(a);
    }
    outX[i] = scale * (x - x0);
    outY[i] = scale * (y - y0);
  }
}

/** Heading change per metre, averaged over a small window to hide resampling noise. */
function smoothCurvature(theta: Float64Array, step: number): Float64Array {
  const n = theta.length;
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = (theta[i] as number) - (theta[(i - 1 + n) % n] as number);
    if (d > Math.PI) d -= TWO_PI;
    else if (d < -Math.PI) d += TWO_PI;
    raw[i] = d / step;
  }
  const out = new Float64Array(n);
  const w = CURVATURE_SMOOTHING;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = -w; k <= w; k++) sum += raw[(i + k + n) % n] as number;
    out[i] = sum / (2 * w + 1);
  }
  return out;
}

/** Corner limits, then a backward braking pass (twice round the loop so the wrap is settled). */
function speedProfile(curvature: Float64Array, step: number): Float64Array {
  const n = curvature.length;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.min(PROFILE_CAP_MS, cornerSpeedLimit(Math.abs(curvature[i] as number)));
  const mass = CAR.dryMassKg + 50;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = n - 1; i >= 0; i--) {
      const next = v[(i + 1) % n] as number;
      const reachable = Math.sqrt(next * next + 2 * (brakeDecel(next) + dragDecel(next, mass, false)) * step);
      if (reachable < (v[i] as number)) v[i] = reachable;
    }
  }
  return v;
}

/** Lap time of the reference car accelerating flat out wherever the limit allows. */
function lapTime(limit: Float64Array, step: number): number {
  const n = limit.length;
  const mass = CAR.dryMassKg + 50;
  const power = CAR.icePowerW + CAR.ersPowerW / 2;
  let v = limit[0] as number;
  let time = 0;
  for (let pass = 0; pass < 2; pass++) {
    time = 0;
    for (let i = 0; i < n; i++) {
      const a = driveAccel(v, power, mass) - dragDecel(v, mass, false);
      v = Math.min(limit[(i + 1) % n] as number, Math.sqrt(Math.max(1, v * v + 2 * a * step)));
      time += step / v;
    }
  }
  return time;
}

/** The two longest straights (at least 400 m) get a DRS zone from 100 m in to 60 m before their end. */
function findDrsZones(curvature: Float64Array, step: number): DrsZone[] {
  const n = curvature.length;
  const straight = (i: number): boolean => Math.abs(curvature[((i % n) + n) % n] as number) < STRAIGHT_KAPPA;
  let begin = 0;
  while (straight(begin) && begin < n) begin++; // start scanning at a corner so no run is split by the wrap
  const runs: { start: number; length: number }[] = [];
  let runStart = -1;
  for (let k = 1; k <= n; k++) {
    const i = begin + k;
    if (straight(i) && runStart < 0) runStart = i;
    if ((!straight(i) || k === n) && runStart >= 0) {
      runs.push({ start: runStart, length: i - runStart });
      runStart = -1;
    }
  }
  return runs
    .filter((r) => r.length * step >= 400)
    .sort((a, b) => b.length - a.length || a.start - b.start)
    .slice(0, 2)
    .map((r) => ({ startM: (((r.start % n) * step + 100) % (n * step)), endM: ((((r.start + r.length) % n) * step - 60 + n * step) % (n * step)) }));
}
