/**
 * The numbers lap_metrics and session_metrics must hold for the hand-built rows,
 * computed here in plain TypeScript from the plans and sample rules (f1-silver.ts),
 * by the definitions in project/models/marts/schema.yml.
 */
import { brakeAt, CAR_PLANS, CORNERS, deployKwAt, drsAt, gearAt, harvestKwAt, rpmAt, speedAt, throttleAt, timelines, tyrePressureAt, tyreTempAt, type CarPlan, type SampleTimeline } from './f1-silver.js';

export interface ExpectedLap {
  readonly car: number;
  readonly lap: number;
  readonly lapTime: number | null;
  readonly sectors: readonly [number | null, number | null, number | null];
  readonly avgSpeed: number;
  readonly topSpeed: number;
  readonly avgThrottle: number;
  readonly fullThrottlePct: number;
  readonly avgBrake: number;
  readonly brakingPct: number;
  readonly maxRpm: number;
  readonly ersDeployedKj: number;
  readonly ersHarvestedKj: number;
  readonly drsOpenS: number;
  readonly gearShifts: number;
  readonly warnings: number;
  readonly errors: number;
  readonly tyreTempAvg: Readonly<Record<string, number>>;
  readonly tyreTempMax: Readonly<Record<string, number>>;
  readonly tyrePressureAvg: Readonly<Record<string, number>>;
  readonly tyrePressureMax: Readonly<Record<string, number>>;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const byLap = (xs: readonly SampleTimeline[], lap: number): SampleTimeline[] => xs.filter((s) => s.lap === lap);

/** Σ value(sample) × (next sample's time − its time), per lap of the sample; the last sample holds 0 s. */
function holdSum(xs: readonly SampleTimeline[], value: (s: SampleTimeline) => number): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i + 1 < xs.length; i++) {
    const s = xs[i] as SampleTimeline;
    const hold = Number((xs[i + 1] as SampleTimeline).t - s.t) / 1e9;
    out.set(s.lap, (out.get(s.lap) ?? 0) + value(s) * hold);
  }
  return out;
}

export function expectedLaps(plan: CarPlan): ExpectedLap[] {
  const { positions, fast, power } = timelines(plan);
  const deployed = holdSum(power, deployKwAt);
  const harvested = holdSum(power, harvestKwAt);
  const drs = holdSum(fast, (s) => (drsAt(s) ? 1 : 0));
  const shifts = new Map<number, number>();
  for (let i = 1; i < fast.length; i++) {
    const s = fast[i] as SampleTimeline;
    if (gearAt(s) !== gearAt(fast[i - 1] as SampleTimeline)) shifts.set(s.lap, (shifts.get(s.lap) ?? 0) + 1);
  }
  const laps: ExpectedLap[] = [];
  for (let lap = 0; lap <= plan.sectors.length; lap++) {
    const sectors = plan.sectors[lap];
    const pos = byLap(positions, lap);
    const dyn = byLap(fast, lap);
    const pu = byLap(power, lap);
    const corner = <T>(f: (c: (typeof CORNERS)[number]) => T): Record<string, T> => Object.fromEntries(CORNERS.map((c) => [c, f(c)]));
    laps.push({
      car: plan.car,
      lap,
      lapTime: sectors ? sectors[0] + sectors[1] + sectors[2] : null,
      sectors: sectors ? [sectors[0], sectors[1], sectors[2]] : [null, null, null],
      avgSpeed: mean(pos.map((s) => speedAt(plan, s))),
      topSpeed: Math.max(...pos.map((s) => speedAt(plan, s))),
      avgThrottle: mean(dyn.map(throttleAt)),
      fullThrottlePct: (100 * dyn.filter((s) => throttleAt(s) >= 99).length) / dyn.length,
      avgBrake: mean(dyn.map(brakeAt)),
      brakingPct: (100 * dyn.filter((s) => brakeAt(s) > 0).length) / dyn.length,
      maxRpm: Math.max(...pu.map((s) => rpmAt(plan, s))),
      ersDeployedKj: deployed.get(lap) ?? 0,
      ersHarvestedKj: harvested.get(lap) ?? 0,
      drsOpenS: drs.get(lap) ?? 0,
      gearShifts: shifts.get(lap) ?? 0,
      warnings: plan.warningLaps.filter((l) => l === lap).length,
      errors: plan.errorLap === lap ? 1 : 0,
      tyreTempAvg: corner((c) => mean(dyn.map((s) => tyreTempAt(c, s)))),
      tyreTempMax: corner((c) => Math.max(...dyn.map((s) => tyreTempAt(c, s)))),
      tyrePressureAvg: corner((c) => mean(dyn.map((s) => tyrePressureAt(c, s)))),
      tyrePressureMax: corner((c) => Math.max(...dyn.map((s) => tyrePressureAt(c, s)))),
    });
  }
  return laps;
}

export interface ExpectedSession {
  readonly car: number;
  readonly laps: number;
  readonly best: number | null;
  readonly avg: number | null;
  readonly stddev: number | null;
  readonly topSpeed: number;
  readonly warnings: number;
  readonly errors: number;
  readonly position: number | null;
}

export function expectedSessions(plans: readonly CarPlan[] = CAR_PLANS): ExpectedSession[] {
  const rows = plans.map((plan) => {
    const laps = expectedLaps(plan);
    const timed = laps.filter((l) => l.lap >= 1 && l.lapTime !== null).map((l) => l.lapTime as number);
    const avg = timed.length > 0 ? mean(timed) : null;
    const stddev = timed.length > 1 && avg !== null ? Math.sqrt(timed.reduce((a, x) => a + (x - avg) ** 2, 0) / (timed.length - 1)) : null;
    return {
      car: plan.car,
      laps: timed.length,
      best: timed.length > 0 ? Math.min(...timed) : null,
      avg,
      stddev,
      topSpeed: Math.max(...laps.map((l) => l.topSpeed)),
      warnings: laps.reduce((a, l) => a + l.warnings, 0),
      errors: laps.reduce((a, l) => a + l.errors, 0),
    };
  });
  return rows.map((r) => ({ ...r, position: r.best === null ? null : 1 + rows.filter((o) => o.best !== null && o.best < (r.best as number)).length }));
}
