import { z } from 'zod';
import { bool, enumeration, float64, int, int64, INT64_MAX, string } from './columns.js';

/** Fields every F1 event carries. (session_id, car_number, event_id) is unique. */
export const F1_COMMON_FIELDS = {
  session_id: string('Session id, e.g. 2026-bahrain-race', 1, 64),
  car_number: int('uint8', 'Car number as painted on the car', 1, 99),
  lap: int('uint16', 'Lap number; 0 is the out-lap before the first timed lap', 0, 500),
  event_id: int64('Sequence number of the event within its (session, car), from 0', 0n, INT64_MAX),
  event_time_ns: int64('Event time in nanoseconds since the Unix epoch (UTC)', 0n, INT64_MAX, 'ns'),
};

export const CORNERS = ['FL', 'FR', 'RL', 'RR'] as const;
export const COMPOUNDS = ['SOFT', 'MEDIUM', 'HARD', 'INTERMEDIATE', 'WET'] as const;
export const SEVERITIES = ['INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export const FLAGS = ['GREEN', 'YELLOW', 'DOUBLE_YELLOW', 'RED', 'SAFETY_CAR', 'VIRTUAL_SAFETY_CAR', 'BLUE', 'CHEQUERED'] as const;

/** Payload fields of each event type. Names are unique across types so silver can flatten them. */
export const F1_PAYLOAD_FIELDS = {
  position: {
    x_m: float64('Track x coordinate in metres from the track origin', -20_000, 20_000, 'm'),
    y_m: float64('Track y coordinate in metres from the track origin', -20_000, 20_000, 'm'),
    z_m: float64('Elevation in metres relative to the start line', -500, 500, 'm'),
    lat_deg: float64('Latitude in degrees (WGS84)', -90, 90, 'deg'),
    lon_deg: float64('Longitude in degrees (WGS84)', -180, 180, 'deg'),
    speed_kph: float64('Ground speed in km/h', 0, 400, 'km/h'),
    heading_deg: float64('Heading in degrees clockwise from north, [0, 360)', 0, 360, 'deg'),
    lap_distance_m: float64('Distance along the lap from the start line in metres', 0, 10_000, 'm'),
    sector: int('uint8', 'Track sector, 1..3', 1, 3),
  },
  dynamics: {
    throttle_pct: float64('Throttle pedal in percent', 0, 100, '%'),
    brake_pct: float64('Brake pedal in percent', 0, 100, '%'),
    gear: int('int8', 'Gear: -1 reverse, 0 neutral, 1..8', -1, 8),
    steering_deg: float64('Steering wheel angle in degrees, positive right', -360, 360, 'deg'),
    lateral_g: float64('Lateral acceleration in g, positive right', -8, 8, 'g'),
    longitudinal_g: float64('Longitudinal acceleration in g, positive forward', -8, 8, 'g'),
  },
  power_unit: {
    rpm: int('uint16', 'Engine speed in revolutions per minute', 0, 16_000, 'rpm'),
    ers_deploy_kw: float64('ERS deployment power in kW', 0, 120, 'kW'),
    ers_harvest_kw: float64('ERS harvesting power in kW', 0, 120, 'kW'),
    ers_store_pct: float64('ERS energy store state of charge in percent', 0, 100, '%'),
    oil_temp_c: float64('Oil temperature in degrees Celsius', 0, 200, 'degC'),
    water_temp_c: float64('Coolant temperature in degrees Celsius', 0, 200, 'degC'),
    fuel_kg: float64('Fuel on board in kg', 0, 120, 'kg'),
    fuel_flow_kg_h: float64('Fuel mass flow in kg/h (regulated maximum 100)', 0, 110, 'kg/h'),
  },
  tire: {
    corner: enumeration('Wheel position: front/rear, left/right', CORNERS),
    compound: enumeration('Tyre compound', COMPOUNDS),
    pressure_psi: float64('Tyre pressure in psi', 10, 40, 'psi'),
    surface_temp_c: float64('Tread surface temperature in degrees Celsius', 0, 200, 'degC'),
    inner_temp_c: float64('Carcass (inner liner) temperature in degrees Celsius', 0, 200, 'degC'),
    wear_pct: float64('Tread worn away in percent; 0 is a new tyre', 0, 100, '%'),
  },
  aerodynamics: {
    drs_open: bool('Drag reduction system flap open'),
    front_wing_deg: float64('Front wing flap angle in degrees', 0, 50, 'deg'),
    rear_wing_deg: float64('Rear wing angle in degrees', 0, 50, 'deg'),
    brake_balance_pct: float64('Brake balance: share of braking force at the front, in percent', 40, 70, '%'),
    downforce_n: float64('Estimated total downforce in newtons', 0, 40_000, 'N'),
  },
  system: {
    code: string('Machine-readable status code, e.g. ERS_OVERHEAT', 1, 64),
    severity: enumeration('Severity of the status', SEVERITIES),
    message: string('Human-readable status message', 0, 256),
    flag: enumeration('Track flag shown to the car', FLAGS),
  },
} as const;

export type F1EventType = keyof typeof F1_PAYLOAD_FIELDS;
/** Event types in wire order (FlatBuffers union tag = index + 1). */
export const F1_EVENT_TYPES = Object.keys(F1_PAYLOAD_FIELDS) as F1EventType[];

/** Nominal emission rates in Hz (per corner for tire); system events are emitted on change. */
export const F1_EVENT_RATES_HZ: Readonly<Record<F1EventType, number | 'on-change'>> = {
  position: 10,
  dynamics: 20,
  power_unit: 50,
  tire: 5,
  aerodynamics: 10,
  system: 'on-change',
};

const event = <T extends F1EventType>(type: T) =>
  z.strictObject({ type: z.literal(type), ...F1_COMMON_FIELDS, ...F1_PAYLOAD_FIELDS[type] });

export const PositionEvent = event('position');
export const DynamicsEvent = event('dynamics');
export const PowerUnitEvent = event('power_unit');
export const TireEvent = event('tire');
export const AerodynamicsEvent = event('aerodynamics');
export const SystemEvent = event('system');

export type PositionEvent = z.infer<typeof PositionEvent>;
export type DynamicsEvent = z.infer<typeof DynamicsEvent>;
export type PowerUnitEvent = z.infer<typeof PowerUnitEvent>;
export type TireEvent = z.infer<typeof TireEvent>;
export type AerodynamicsEvent = z.infer<typeof AerodynamicsEvent>;
export type SystemEvent = z.infer<typeof SystemEvent>;

export const F1_EVENT_SCHEMAS = {
  position: PositionEvent,
  dynamics: DynamicsEvent,
  power_unit: PowerUnitEvent,
  tire: TireEvent,
  aerodynamics: AerodynamicsEvent,
  system: SystemEvent,
} as const;

/** Any F1 telemetry event, discriminated by `type`. */
export const F1Event = z.discriminatedUnion('type', [
  PositionEvent,
  DynamicsEvent,
  PowerUnitEvent,
  TireEvent,
  AerodynamicsEvent,
  SystemEvent,
]);
export type F1Event = z.infer<typeof F1Event>;
export type F1EventOf<T extends F1EventType> = Extract<F1Event, { type: T }>;
