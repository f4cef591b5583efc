/**
 * The seed's satellite sample generator: per satellite one noisy sine drives
 * both temperature and battery charge (so they correlate), altitude is
 * uniform, and three sensors are clean sines. Values are produced in
 * hundredths (the CSV keeps 2 decimals), so rows returned here are exactly
 * the numbers a reader parses back from the file.
 */
import { SATELLITE_CSV_COLUMNS, SatelliteSample } from '@lakestream/schema';
import { InvalidSimOptionsError } from '../errors.js';
import { sin } from '../random/det-math.js';
import { Prng } from '../random/prng.js';

/** One CSV row: the six measured values, without satellite name or timestamp (stamped when sent). */
export type SatelliteRow = Omit<SatelliteSample, 'satellite' | 'timestamp_ns'>;
export type SatelliteColumn = (typeof SATELLITE_CSV_COLUMNS)[number];

/** The seed's defaults: 1000 satellites × 1000 samples, seed 88. */
export const SATELLITE_DEFAULTS = { satellites: 1000, samples: 1000, seed: 88 } as const;

export interface SatelliteGeneratorOptions {
  /** Rows per satellite (default 1000). */
  readonly samples?: number;
  /** PRNG seed (default 88). */
  readonly seed?: number;
}

/** Inclusive value range of each column, read from the zod schema (the single source of truth). */
export const SATELLITE_COLUMN_RANGES: Readonly<Record<SatelliteColumn, { readonly min: number; readonly max: number }>> = Object.fromEntries(
  SATELLITE_CSV_COLUMNS.map((column) => {
    const field = SatelliteSample.shape[column];
    return [column, { min: field.minValue ?? -Number.MAX_VALUE, max: field.maxValue ?? Number.MAX_VALUE }];
  }),
) as Record<SatelliteColumn, { min: number; max: number }>;

const TWO_PI = 6.283185307179586;
const COLUMNS = SATELLITE_CSV_COLUMNS.length;
const CENTI_MIN = SATELLITE_CSV_COLUMNS.map((c) => Math.ceil(SATELLITE_COLUMN_RANGES[c].min * 100));
const CENTI_MAX = SATELLITE_CSV_COLUMNS.map((c) => Math.floor(SATELLITE_COLUMN_RANGES[c].max * 100));
/** Standard deviation of the noise on the shared sine, in sine units (amplitude 1). */
const NOISE_SD = 0.08;

/** The satellite's name: the CSV file name without extension. */
export function satelliteName(index: number): string {
  return `sat${index}`;
}

/** The CSV file name of satellite `index`. */
export function satelliteFileName(index: number): string {
  return `${satelliteName(index)}.csv`;
}

export function checkCount(option: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidSimOptionsError(option, `expected an integer in ${min}..${max}, got ${value}`);
  }
}

/**
 * Values of satellite `index` in hundredths, row-major (`samples × 6`). The
 * common core of the row API and the fast CSV writer.
 */
export function generateSatelliteCenti(index: number, samples: number, seed: number): Int32Array {
  checkCount('index', index, 0, 2 ** 31 - 1);
  checkCount('samples', samples, 0, 100_000_000);
  checkCount('seed', seed, -(2 ** 31), 2 ** 32 - 1);
  const rng = new Prng(seed, index);
  // Each satellite gets its own periods and phases, drawn in a fixed order.
  const cycles = rng.uniform(1, 4);
  const phase = rng.uniform(0, TWO_PI);
  const sensorCycles = [rng.uniform(0.5, 12), rng.uniform(0.5, 12), rng.uniform(0.5, 12)] as const;
  const sensorPhase = [rng.uniform(0, TWO_PI), rng.uniform(0, TWO_PI), rng.uniform(0, TWO_PI)] as const;
  const tempSpan = SATELLITE_COLUMN_RANGES.temp_c.max - SATELLITE_COLUMN_RANGES.temp_c.min;
  const batterySpan = SATELLITE_COLUMN_RANGES.battery_charge_pct.max - SATELLITE_COLUMN_RANGES.battery_charge_pct.min;
  const out = new Int32Array(samples * COLUMNS);
  for (let k = 0; k < samples; k++) {
    const x = (TWO_PI * k) / samples;
    let wave = sin(cycles * x + phase) + NOISE_SD * rng.gaussian();
    wave = wave < -1 ? -1 : wave > 1 ? 1 : wave;
    const level = (wave + 1) / 2;
    const o = k * COLUMNS;
    out[o] = centi(0, SATELLITE_COLUMN_RANGES.temp_c.min + tempSpan * level);
    out[o + 1] = centi(1, SATELLITE_COLUMN_RANGES.battery_charge_pct.min + batterySpan * level);
    out[o + 2] = centi(2, rng.uniform(SATELLITE_COLUMN_RANGES.altitude.min, SATELLITE_COLUMN_RANGES.altitude.max));
    out[o + 3] = centi(3, sin(sensorCycles[0] * x + sensorPhase[0]));
    out[o + 4] = centi(4, sin(sensorCycles[1] * x + sensorPhase[1]));
    out[o + 5] = centi(5, sin(sensorCycles[2] * x + sensorPhase[2]));
  }
  return out;
}

function centi(column: number, value: number): number {
  const c = Math.round(value * 100);
  const min = CENTI_MIN[column] as number;
  const max = CENTI_MAX[column] as number;
  return c < min ? min : c > max ? max : c;
}

/** The rows of satellite `index` (a pure function of index, samples and seed). */
export function generateSatelliteRows(index: number, options: SatelliteGeneratorOptions = {}): SatelliteRow[] {
  const samples = options.samples ?? SATELLITE_DEFAULTS.samples;
  const values = generateSatelliteCenti(index, samples, options.seed ?? SATELLITE_DEFAULTS.seed);
  const rows: SatelliteRow[] = new Array<SatelliteRow>(samples);
  for (let k = 0, o = 0; k < samples; k++, o += COLUMNS) {
    rows[k] = {
      temp_c: (values[o] as number) / 100,
      battery_charge_pct: (values[o + 1] as number) / 100,
      altitude: (values[o + 2] as number) / 100,
      sensor1: (values[o + 3] as number) / 100,
      sensor2: (values[o + 4] as number) / 100,
      sensor3: (values[o + 5] as number) / 100,
    };
  }
  return rows;
}
