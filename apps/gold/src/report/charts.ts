/**
 * Gold tables → chart specs (pure): aligned x/y arrays uPlot draws as they are.
 * Each spec becomes one `data-chart` container in the page; `points` counts the
 * non-null y values it carries (what the e2e test checks drew).
 */
export type Cell = number | null;
export interface Series { readonly label: string; readonly values: readonly Cell[]; readonly bars?: boolean }
export interface ChartSpec {
  readonly name: string;
  readonly title: string;
  readonly group: 'satellite' | 'laps' | 'tyres' | 'quality';
  /** Seconds since the epoch when `time`, else plain numbers (lap, index). */
  readonly x: readonly number[];
  readonly time: boolean;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Labels of x positions for bar charts over categories. */
  readonly categories?: readonly string[];
}

export type GoldRow = Readonly<Record<string, unknown>>;

export interface ReportTables {
  readonly lapMetrics: readonly GoldRow[];
  readonly sessionMetrics: readonly GoldRow[];
  readonly satelliteHealth: readonly GoldRow[];
  readonly pipelineQuality: readonly GoldRow[];
  readonly pipelineExpectations: readonly GoldRow[];
  /** Silver satellite samples (decimated) for the raw series under the 1-minute means. */
  readonly satelliteSamples: readonly GoldRow[];
}

export const SATELLITE_FIELDS = [
  { field: 'temp_c', mean: 'temp_avg_c', label: 'temperature (°C)' },
  { field: 'battery_charge_pct', mean: 'battery_avg_pct', label: 'battery (%)' },
  { field: 'altitude', mean: 'altitude_avg_km', label: 'altitude (km)' },
  { field: 'sensor1', mean: 'sensor1_avg', label: 'sensor1' },
  { field: 'sensor2', mean: 'sensor2_avg', label: 'sensor2' },
  { field: 'sensor3', mean: 'sensor3_avg', label: 'sensor3' },
] as const;

export const QUARANTINE_REASONS = ['truncated', 'bad_magic', 'unknown_schema', 'invalid_buffer', 'invalid_event', 'expectation_failed', 'duplicate', 'unknown_session', 'other'] as const;

export const num = (v: unknown): Cell => (v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() / 1000 : Number.isFinite(Number(v)) ? Number(v) : null);
const str = (v: unknown): string => String(v ?? '');
const sortedUnique = <T>(xs: Iterable<T>, cmp?: (a: T, b: T) => number): T[] => [...new Set(xs)].sort(cmp);
const byNumber = (a: number, b: number): number => a - b;

/** Aligns several (x, y) series on the union of their x values (null where a series has none). */
export function align(parts: readonly { label: string; points: readonly (readonly [number, Cell])[] }[]): { x: number[]; series: Series[] } {
  const x = sortedUnique(parts.flatMap((p) => p.points.map(([t]) => t)), byNumber);
  const index = new Map(x.map((t, i) => [t, i]));
  const series = parts.map((p) => {
    const values: Cell[] = new Array<Cell>(x.length).fill(null);
    for (const [t, y] of p.points) values[index.get(t) as number] = y;
    return { label: p.label, values };
  });
  return { x, series };
}

export const pointCount = (spec: ChartSpec): number => spec.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);

/** Satellites drawn (in natural name order): a fleet of 1,000 would make a 30 MB page of 6,000 charts. */
export const MAX_REPORT_SATELLITES = 4;

export function satelliteCharts(t: ReportTables): ChartSpec[] {
  const all = sortedUnique([...t.satelliteHealth, ...t.satelliteSamples].map((r) => str(r['satellite'])));
  const names = [...all].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).slice(0, MAX_REPORT_SATELLITES);
  return names.flatMap((sat) =>
    SATELLITE_FIELDS.map(({ field, mean, label }) => {
      const raw = t.satelliteSamples.filter((r) => r['satellite'] === sat).map((r) => [num(r['event_time']) as number, num(r[field])] as const);
      // A minute's mean is drawn at the middle of its minute.
      const means = t.satelliteHealth.filter((r) => r['satellite'] === sat).map((r) => [(num(r['minute_start']) as number) + 30, num(r[mean])] as const);
      const { x, series } = align([{ label: 'samples', points: raw }, { label: '1-minute mean', points: means }]);
      return { name: `satellite-${sat}-${field}`, title: `${sat} — ${label}`, group: 'satellite', x, time: true, xLabel: 'time (UTC)', yLabel: label, series };
    }),
  );
}

export function lapTimeCharts(t: ReportTables): ChartSpec[] {
  const sessions = sortedUnique(t.lapMetrics.map((r) => str(r['session_id'])));
  return sessions.map((session) => {
    const laps = t.lapMetrics.filter((r) => r['session_id'] === session && num(r['lap']) !== null && (num(r['lap']) as number) >= 1);
    const cars = sortedUnique(laps.map((r) => num(r['car_number']) as number), byNumber);
    const { x, series } = align(cars.map((car) => ({ label: `#${car}`, points: laps.filter((r) => num(r['car_number']) === car).map((r) => [num(r['lap']) as number, num(r['lap_time_s'])] as const) })));
    return { name: `lap-times-${session}`, title: `${session} — lap time per car`, group: 'laps', x, time: false, xLabel: 'lap', yLabel: 'lap time (s)', series };
  });
}

/** Tyre surface temperature per corner over the first stint (laps on the first compound) of each session's leader. */
export function tyreCharts(t: ReportTables): ChartSpec[] {
  const leaders = t.sessionMetrics.filter((r) => num(r['position_by_best_lap']) === 1);
  return leaders.map((leader) => {
    const laps = t.lapMetrics
      .filter((r) => r['session_id'] === leader['session_id'] && num(r['car_number']) === num(leader['car_number']))
      .sort((a, b) => (num(a['lap']) as number) - (num(b['lap']) as number));
    const compound = laps.find((r) => r['tyre_compound'])?.['tyre_compound'];
    const stint: GoldRow[] = [];
    for (const r of laps) {
      if (r['tyre_compound'] && r['tyre_compound'] !== compound) break;
      stint.push(r);
    }
    const { x, series } = align(
      (['fl', 'fr', 'rl', 'rr'] as const).map((c) => ({ label: c.toUpperCase(), points: stint.map((r) => [num(r['lap']) as number, num(r[`tyre_temp_avg_${c}`])] as const) })),
    );
    const session = str(leader['session_id']);
    return { name: `tyre-temps-${session}`, title: `${session} — car #${num(leader['car_number'])} tyre surface temperature per corner, first stint (${str(compound)})`, group: 'tyres', x, time: false, xLabel: 'lap', yLabel: 'mean surface temperature (°C)', series };
  });
}

export function qualityCharts(t: ReportTables): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const windows = sortedUnique(t.pipelineQuality.map((r) => num(r['window_start']) as number), byNumber);
  const sources = sortedUnique(t.pipelineQuality.map((r) => str(r['source'])));
  const passRates = align(sources.map((s) => ({ label: `${s} pass rate %`, points: t.pipelineQuality.filter((r) => r['source'] === s).map((r) => [num(r['window_start']) as number, num(r['pass_rate_pct'])] as const) })));
  charts.push({ name: 'quality-pass-rates', title: 'Events passing every error expectation, per 1-minute window (%)', group: 'quality', ...passRates, time: true, xLabel: 'window (UTC)', yLabel: '%' });
  const reasons = QUARANTINE_REASONS.map((reason) => ({
    label: reason.toUpperCase(),
    values: windows.map((w) => t.pipelineQuality.filter((r) => num(r['window_start']) === w).reduce((n, r) => n + (num(r[`quarantined_${reason}`]) ?? 0), 0)),
  })).filter((s) => s.values.some((v) => v > 0));
  charts.push({ name: 'quarantine-reasons', title: 'Quarantined records per 1-minute window, by reason', group: 'quality', x: windows, time: true, xLabel: 'window (UTC)', yLabel: 'records', series: reasons });
  // Pass rate per expectation over all windows: Σ(evaluated − unexpected) / Σ evaluated.
  const keys = sortedUnique(t.pipelineExpectations.map((r) => `${str(r['source'])} · ${str(r['expectation'])}`));
  const rates = keys.map((k) => {
    const rows = t.pipelineExpectations.filter((r) => `${str(r['source'])} · ${str(r['expectation'])}` === k);
    const evaluated = rows.reduce((n, r) => n + (num(r['evaluated']) ?? 0), 0);
    const unexpected = rows.reduce((n, r) => n + (num(r['unexpected']) ?? 0), 0);
    return evaluated > 0 ? (100 * (evaluated - unexpected)) / evaluated : null;
  });
  charts.push({ name: 'expectation-pass-rates', title: 'Pass rate per expectation, all windows (%)', group: 'quality', x: keys.map((_, i) => i), time: false, xLabel: 'expectation', yLabel: '%', categories: keys, series: [{ label: 'pass rate %', values: rates, bars: true }] });
  return charts;
}

export function reportCharts(t: ReportTables): ChartSpec[] {
  return [...satelliteCharts(t), ...lapTimeCharts(t), ...tyreCharts(t), ...qualityCharts(t)];
}
