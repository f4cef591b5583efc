import { SATELLITE_CSV_COLUMNS, SatelliteSample } from '@lakestream/schema';
import { describe, expect, it } from 'vitest';
import { formatSatelliteCsv, SATELLITE_CSV_HEADER } from './format.js';
import { generateSatelliteRows, SATELLITE_COLUMN_RANGES, SATELLITE_DEFAULTS, satelliteFileName, satelliteName } from './generate.js';

const correlation = (a: number[], b: number[]): number => {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(a);
  const mb = mean(b);
  let cov = 0;
  let va = 0;
  let vb = 0;
  a.forEach((x, i) => {
    const y = b[i] as number;
    cov += (x - ma) * (y - mb);
    va += (x - ma) ** 2;
    vb += (y - mb) ** 2;
  });
  return cov / Math.sqrt(va * vb);
};

describe('satellite generator', () => {
  it('has the seed defaults and names', () => {
    expect(SATELLITE_DEFAULTS).toEqual({ satellites: 1000, samples: 1000, seed: 88 });
    expect(satelliteName(3)).toBe('sat3');
    expect(satelliteFileName(3)).toBe('sat3.csv');
    expect(SATELLITE_CSV_HEADER).toBe('temp_c,battery_charge_pct,altitude,sensor1,sensor2,sensor3');
  });

  it('is a pure function of index, samples and seed', () => {
    expect(generateSatelliteRows(5, { samples: 200, seed: 88 })).toEqual(generateSatelliteRows(5, { samples: 200, seed: 88 }));
    expect(generateSatelliteRows(5, { samples: 200, seed: 88 })).not.toEqual(generateSatelliteRows(6, { samples: 200, seed: 88 }));
    expect(generateSatelliteRows(5, { samples: 200, seed: 88 })).not.toEqual(generateSatelliteRows(5, { samples: 200, seed: 89 }));
    expect(generateSatelliteRows(0)).toHaveLength(1000);
  });

  it('is pinned: sat0.csv with the defaults starts with these rows on every machine', () => {
    expect(formatSatelliteCsv(generateSatelliteRows(0).slice(0, 3))).toMatchInlineSnapshot(`
      "temp_c,battery_charge_pct,altitude,sensor1,sensor2,sensor3
      -55.32,20.31,171.86,0.12,0.39,0.54
      -57.68,19.23,733.49,0.05,0.35,0.48
      -42.61,26.08,419.47,-0.01,0.32,0.43
      "
    `);
  });

  it('keeps every value in the schema range with at most 2 decimals, and rows validate as SatelliteSample', () => {
    const problems: string[] = [];
    for (const index of [0, 1, 17, 999]) {
      for (const row of generateSatelliteRows(index, { samples: 1000 })) {
        for (const column of SATELLITE_CSV_COLUMNS) {
          const value = row[column];
          const { min, max } = SATELLITE_COLUMN_RANGES[column];
          if (!(value >= min && value <= max) || Math.round(value * 100) / 100 !== value) problems.push(`sat${index} ${column} ${value}`);
        }
        if (!SatelliteSample.safeParse({ satellite: satelliteName(index), timestamp_ns: 1n, ...row }).success) problems.push(`sat${index} invalid`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('builds temperature and battery from the same noisy sine (they correlate), altitude uniform, sensors sines', () => {
    const rows = generateSatelliteRows(3, { samples: 5000 });
    const temp = rows.map((r) => r.temp_c);
    expect(correlation(temp, rows.map((r) => r.battery_charge_pct))).toBeGreaterThan(0.999);
    // Noisy: consecutive samples are not a smooth curve, but the sine dominates.
    const steps = temp.slice(1).map((t, i) => Math.abs(t - (temp[i] as number)));
    expect(Math.max(...steps)).toBeGreaterThan(5);
    expect(Math.min(...temp)).toBeLessThan(-60);
    expect(Math.max(...temp)).toBeGreaterThan(80);
    const altitude = rows.map((r) => r.altitude);
    const mean = altitude.reduce((s, x) => s + x, 0) / altitude.length;
    expect(Math.abs(mean - 1080)).toBeLessThan(40);
    expect(Math.min(...altitude)).toBeLessThan(200);
    expect(Math.max(...altitude)).toBeGreaterThan(1950);
    for (const sensor of ['sensor1', 'sensor2', 'sensor3'] as const) {
      const values = rows.map((r) => r[sensor]);
      expect(Math.min(...values)).toBeLessThan(-0.95);
      expect(Math.max(...values)).toBeGreaterThan(0.95);
      const jumps = values.slice(1).map((v, i) => Math.abs(v - (values[i] as number)));
      expect(Math.max(...jumps)).toBeLessThan(0.1); // smooth: no noise on the sensors
    }
  });

  it('rejects bad counts with a typed error', () => {
    expect(() => generateSatelliteRows(-1)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => generateSatelliteRows(0, { samples: 1.5 })).toThrow(/samples/);
  });
});
