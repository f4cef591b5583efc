/**
 * Car status messages (system events): raised once when a condition starts,
 * plus the occasional random report (track limits, brake temperatures).
 * Checked at the tyre rate (5 Hz), so they cost nothing per event.
 */
import { CORNERS } from '@lakestream/schema';
import type { Car } from './car.js';
import type { Severity } from './emit.js';
import { FLAG } from './race-control.js';

export interface StatusMessage {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
}

const TYRE_WEAR = 1;
const FUEL_LOW = 2;
const ERS_LOW = 4;
const DRS_ENABLED = 8;

const TYRE_WEAR_WARN_PCT = 70;
const FUEL_LOW_KG = 3;
/** Mean time between random reports per car. */
const TRACK_LIMITS_MEAN_S = 1800;
const BRAKE_TEMP_MEAN_S = 7200;

const FUEL_LOW_MESSAGE: StatusMessage = { code: 'FUEL_LOW', severity: 'WARNING', message: `Fuel below ${FUEL_LOW_KG} kg: lift and coast` };
const ERS_LOW_MESSAGE: StatusMessage = { code: 'ERS_STORE_LOW', severity: 'INFO', message: 'ERS store below 5%: deployment limited' };
const DRS_MESSAGE: StatusMessage = { code: 'DRS_ENABLED', severity: 'INFO', message: 'DRS enabled' };
const BRAKE_MESSAGE: StatusMessage = { code: 'BRAKE_TEMP_HIGH', severity: 'WARNING', message: 'Front brake temperature high: adjust brake balance' };

const FLAG_MESSAGES: Readonly<Record<number, StatusMessage>> = {
  [FLAG.GREEN]: { code: 'TRACK_CLEAR', severity: 'INFO', message: 'Green flag: track clear' },
  [FLAG.YELLOW]: { code: 'YELLOW_FLAG', severity: 'WARNING', message: 'Yellow flag in this sector: slow down, no overtaking' },
  [FLAG.VSC]: { code: 'VSC_DEPLOYED', severity: 'WARNING', message: 'Virtual safety car deployed: keep to the delta' },
  [FLAG.SC]: { code: 'SAFETY_CAR_DEPLOYED', severity: 'WARNING', message: 'Safety car deployed: no overtaking' },
  [FLAG.CHEQUERED]: { code: 'CHEQUERED_FLAG', severity: 'INFO', message: 'Chequered flag: finish this lap' },
};

export const SESSION_START_MESSAGE: StatusMessage = { code: 'SESSION_START', severity: 'INFO', message: 'Session started: green flag' };

/** The message for a car's flag changing to `flag`. */
export function flagMessage(flag: number): StatusMessage {
  return FLAG_MESSAGES[flag] ?? { code: 'FLAG', severity: 'INFO', message: 'Flag changed' };
}

export function finishedMessage(car: Car): StatusMessage {
  return { code: 'FINISHED', severity: 'INFO', message: `Took the chequered flag after ${car.lap} laps` };
}

/**
 * New status messages of `car` since the last check, `dt` seconds ago;
 * undefined when there are none (the common case: no allocation).
 */
export function checkStatus(car: Car, dt: number, race: boolean): StatusMessage[] | undefined {
  let out: StatusMessage[] | undefined;
  if (!(car.warnings & TYRE_WEAR)) {
    for (let c = 0; c < 4; c++) {
      if ((car.wear[c] as number) >= TYRE_WEAR_WARN_PCT) {
        car.warnings |= TYRE_WEAR;
        out = add(out, { code: 'TYRE_WEAR_HIGH', severity: 'WARNING', message: `Tyre wear above ${TYRE_WEAR_WARN_PCT}% on ${CORNERS[c]}` });
        break;
      }
    }
  }
  if (!(car.warnings & FUEL_LOW) && car.fuelKg < FUEL_LOW_KG) {
    car.warnings |= FUEL_LOW;
    out = add(out, FUEL_LOW_MESSAGE);
  }
  const ersPct = car.ersStoreJ / 40_000;
  if (!(car.warnings & ERS_LOW) && ersPct < 5) {
    car.warnings |= ERS_LOW;
    out = add(out, ERS_LOW_MESSAGE);
  } else if (car.warnings & ERS_LOW && ersPct > 30) {
    car.warnings &= ~ERS_LOW;
  }
  if (race && !(car.warnings & DRS_ENABLED) && car.lap >= 3) {
    car.warnings |= DRS_ENABLED;
    out = add(out, DRS_MESSAGE);
  }
  if (car.flag === FLAG.GREEN) {
    const roll = car.rng.float();
    if (roll < dt / TRACK_LIMITS_MEAN_S) out = add(out, { code: 'TRACK_LIMITS', severity: 'WARNING', message: `Track limits exceeded on lap ${car.lap}` });
    else if (roll < dt / TRACK_LIMITS_MEAN_S + dt / BRAKE_TEMP_MEAN_S) out = add(out, BRAKE_MESSAGE);
  }
  return out;
}

function add(out: StatusMessage[] | undefined, message: StatusMessage): StatusMessage[] {
  if (!out) return [message];
  out.push(message);
  return out;
}
