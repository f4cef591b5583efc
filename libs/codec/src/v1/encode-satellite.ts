import type { SatelliteSample } from '@lakestream/schema';
import type { ByteWriter } from '../writer.js';
import { f64, i64 } from './checks.js';
import { SATELLITE_SAMPLE } from './layout.js';

/** Writes one SatelliteSample table (layout.ts); returns its distance from the end. */
export function writeSatelliteSample(w: ByteWriter, s: SatelliteSample): number {
  const name = w.string(s.satellite, 'satellite');
  const ts = i64(s.timestamp_ns, 'timestamp_ns');
  const temp = f64(s.temp_c, 'temp_c');
  const battery = f64(s.battery_charge_pct, 'battery_charge_pct');
  const altitude = f64(s.altitude, 'altitude');
  const s1 = f64(s.sensor1, 'sensor1');
  const s2 = f64(s.sensor2, 'sensor2');
  const s3 = f64(s.sensor3, 'sensor3');
  const t = w.table(SATELLITE_SAMPLE);
  const v = w.view;
  w.setOffset(t + 4, name);
  v.setBigInt64(t + 8, ts, true);
  v.setFloat64(t + 16, temp, true);
  v.setFloat64(t + 24, battery, true);
  v.setFloat64(t + 32, altitude, true);
  v.setFloat64(t + 40, s1, true);
  v.setFloat64(t + 48, s2, true);
  v.setFloat64(t + 56, s3, true);
  return w.buf.length - t;
}
