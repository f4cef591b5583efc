import { StringCache } from '../utf8.js';
import { Reader, TableReader } from '../verify.js';
import {
  AERODYNAMICS,
  DYNAMICS,
  F1_EVENT,
  F1_FRAME,
  POSITION,
  POWER_UNIT,
  SATELLITE_FRAME,
  SATELLITE_SAMPLE,
  SYSTEM_STATUS,
  TIRE,
} from './layout.js';

/**
 * Everything one decoder keeps between messages: the reader, a vtable cache
 * per table type and one string cache. Reused so decoding a
 * message allocates only the events it returns.
 */
export class DecodeContext {
  readonly r = new Reader();
  readonly satelliteFrame = new TableReader(SATELLITE_FRAME);
  readonly satelliteSample = new TableReader(SATELLITE_SAMPLE);
  readonly f1Frame = new TableReader(F1_FRAME);
  readonly f1Event = new TableReader(F1_EVENT);
  readonly position = new TableReader(POSITION);
  readonly dynamics = new TableReader(DYNAMICS);
  readonly powerUnit = new TableReader(POWER_UNIT);
  readonly tire = new TableReader(TIRE);
  readonly aerodynamics = new TableReader(AERODYNAMICS);
  readonly systemStatus = new TableReader(SYSTEM_STATUS);
  readonly strings = new StringCache();

  private readonly tables = [
    this.satelliteFrame,
    this.satelliteSample,
    this.f1Frame,
    this.f1Event,
    this.position,
    this.dynamics,
    this.powerUnit,
    this.tire,
    this.aerodynamics,
    this.systemStatus,
  ];

  /** Points every part at a new message; cached positions of the last one are dropped. */
  reset(message: Uint8Array, schemaId: number): void {
    this.r.reset(message, schemaId);
    for (const t of this.tables) t.rebase();
    this.strings.rebase();
  }

  /** The root table's position. */
  root(): number {
    return this.r.deref(this.r.start, 'root table');
  }
}

/** The double at field offset `off` of the table at `t`; an absent field (offset 0) is the default 0. */
export function f64(v: DataView, t: number, off: number): number {
  return off === 0 ? 0 : v.getFloat64(t + off, true);
}
