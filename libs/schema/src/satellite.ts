import { z } from 'zod';
import { float64, int64, INT64_MAX, string } from './columns.js';

/** One satellite sample as produced by the seed's generator, stamped when sent. */
export const SatelliteSample = z.strictObject({
  satellite: string('Satellite name: the CSV file name without extension, e.g. sat0', 1, 64),
  timestamp_ns: int64('Event time in nanoseconds since the Unix epoch (UTC), taken when the event is sent', 0n, INT64_MAX, 'ns'),
  temp_c: float64('Temperature in degrees Celsius', -100, 120, 'degC'),
  battery_charge_pct: float64('Battery charge in percent', 0, 100, '%'),
  altitude: float64('Altitude above the surface in kilometres', 160, 2000, 'km'),
  sensor1: float64('Sensor 1 reading, normalised', -1, 1),
  sensor2: float64('Sensor 2 reading, normalised', -1, 1),
  sensor3: float64('Sensor 3 reading, normalised', -1, 1),
});
export type SatelliteSample = z.infer<typeof SatelliteSample>;

/** CSV columns of a `sat<i>.csv` file, in order (the seed's layout; no index column). */
export const SATELLITE_CSV_COLUMNS = [
  'temp_c',
  'battery_charge_pct',
  'altitude',
  'sensor1',
  'sensor2',
  'sensor3',
] as const satisfies readonly (keyof SatelliteSample)[];
