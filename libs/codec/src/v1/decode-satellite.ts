import type { SatelliteSample } from '@lakestream/schema';
import { f64, type DecodeContext } from './decode-context.js';

/** Reads the SatelliteSample table at `t`; absent scalars take their FlatBuffers default (0). */
export function readSatelliteSample(c: DecodeContext, t: number): SatelliteSample {
  const r = c.r;
  c.satelliteSample.at(r, t);
  const o = c.satelliteSample.offsets;
  const v = r.view;
  const name = o[0] ?? 0;
  if (name === 0) r.fail('SatelliteSample.satellite is missing', t);
  const ts = o[1] ?? 0;
  return {
    satellite: r.string(t + name, 'satellite', c.strings),
    timestamp_ns: ts === 0 ? 0n : v.getBigInt64(t + ts, true),
    temp_c: f64(v, t, o[2] ?? 0),
    battery_charge_pct: f64(v, t, o[3] ?? 0),
    altitude: f64(v, t, o[4] ?? 0),
    sensor1: f64(v, t, o[5] ?? 0),
    sensor2: f64(v, t, o[6] ?? 0),
    sensor3: f64(v, t, o[7] ?? 0),
  };
}

/** Reads a SatelliteFrame root; an absent samples vector is an empty frame. */
export function readSatelliteFrame(c: DecodeContext, out: SatelliteSample[]): void {
  const r = c.r;
  const root = c.root();
  c.satelliteFrame.at(r, root);
  const field = c.satelliteFrame.offsets[0] ?? 0;
  if (field === 0) return;
  const vec = r.vector(root + field, 'samples', 4);
  const n = r.view.getUint32(vec, true);
  for (let i = 0; i < n; i++) {
    r.eventIndex = i;
    const at = vec + 4 + 4 * i;
    out.push(readSatelliteSample(c, r.deref(at, 'samples[i]')));
  }
}
