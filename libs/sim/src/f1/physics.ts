/**
 * The car model shared by the track's speed profile and the cars: a point
 * mass with engine power, aerodynamic drag and downforce, tyre grip and
 * brakes. Numbers are round figures for a 2020s F1 car; the aim is plausible
 * telemetry, not lap-time prediction.
 */

export const G = 9.80665;
const AIR_DENSITY = 1.2;

export const CAR = {
  dryMassKg: 798,
  /** Internal combustion engine power at full throttle. */
  icePowerW: 640_000,
  /** MGU-K deploy and harvest limit. */
  ersPowerW: 120_000,
  /** Usable ERS energy store. */
  ersStoreJ: 4_000_000,
  /** Drag area Cd·A (m²); DRS multiplies it. */
  dragArea: 1.55,
  drsDragFactor: 0.86,
  /** Lift area Cl·A (m²) for downforce; DRS multiplies it. */
  liftArea: 3.2,
  drsLiftFactor: 0.8,
  rollingAccel: 0.15,
  /** Mechanical grip (g) and aerodynamic grip per (m/s)² (g), lateral and braking. */
  gripMech: 1.6,
  gripAeroPerV2: 0.00053,
  brakeMech: 1.9,
  brakeAeroPerV2: 0.0004,
  tractionMech: 1.3,
  /** Top speed of each gear at the shift point (m/s); index = gear. */
  gearTopSpeed: [0, 24, 33, 42, 51, 60, 70, 81, 100],
  shiftRpm: 11_800,
  idleRpm: 4_500,
  /** Steering wheel degrees per degree of road wheel angle, and wheelbase (m). */
  steeringRatio: 11,
  wheelbaseM: 3.6,
  maxFuelFlowKgH: 100,
} as const;

/** Deceleration from drag and rolling resistance (m/s², positive). */
export function dragDecel(v: number, massKg: number, drsOpen: boolean): number {
  const area = drsOpen ? CAR.dragArea * CAR.drsDragFactor : CAR.dragArea;
  return (0.5 * AIR_DENSITY * area * v * v) / massKg + CAR.rollingAccel;
}

/** Forward acceleration at full throttle from `powerW`, limited by traction (m/s²). */
export function driveAccel(v: number, powerW: number, massKg: number): number {
  const traction = G * (CAR.tractionMech + CAR.gripAeroPerV2 * v * v);
  const power = powerW / (massKg * (v < 5 ? 5 : v));
  return power < traction ? power : traction;
}

/** Deceleration at full brake pressure, aero-assisted (m/s², positive). */
export function brakeDecel(v: number): number {
  return G * (CAR.brakeMech + CAR.brakeAeroPerV2 * v * v);
}

/** Highest speed (m/s) through curvature |kappa| (1/m); Infinity when downforce alone holds the car. */
export function cornerSpeedLimit(kappaAbs: number): number {
  const excess = kappaAbs - G * CAR.gripAeroPerV2;
  return excess <= 0 ? Infinity : Math.sqrt((G * CAR.gripMech) / excess);
}

/** Downforce in newtons. */
export function downforce(v: number, drsOpen: boolean): number {
  return 0.5 * AIR_DENSITY * (drsOpen ? CAR.liftArea * CAR.drsLiftFactor : CAR.liftArea) * v * v;
}
