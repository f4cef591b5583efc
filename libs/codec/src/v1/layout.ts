/**
 * Wire version 1: the tables of libs/schema/fbs/telemetry.fbs as this codec
 * lays them out. Field lists are in FlatBuffers field-id order (the .fbs
 * declaration order), which fixes the vtable; `at` is where our writer puts
 * each field inside the table. The writer always writes every field (no
 * default elision), so each table has one fixed size and one vtable, and
 * 8-byte fields sit 8-aligned. Readers must still accept any legal layout
 * (absent fields, other orders): the decoder only trusts the vtable.
 */
export type FieldKind = 'bool' | 'u8' | 'i8' | 'u16' | 'i64' | 'f64' | 'offset';

export const KIND_SIZE: Readonly<Record<FieldKind, number>> = {
  bool: 1,
  u8: 1,
  i8: 1,
  u16: 2,
  i64: 8,
  f64: 8,
  offset: 4,
};

export type FieldLayout = readonly [name: string, kind: FieldKind, at: number];

export interface TableLayout {
  /** Index into per-message vtable bookkeeping. */
  readonly id: number;
  /** FlatBuffers table name, for error messages. */
  readonly name: string;
  /** Bytes of the table as our writer lays it out: soffset, fields, padding; a multiple of 8. */
  readonly size: number;
  readonly fields: readonly FieldLayout[];
  /** The vtable our writer emits for it: [vtable size, table size, field offsets...], little-endian u16s. */
  readonly vtable: Uint8Array;
}

let nextId = 0;
function table(name: string, size: number, fields: readonly FieldLayout[]): TableLayout {
  const words = [4 + 2 * fields.length, size, ...fields.map(([, , at]) => at)];
  const vtable = new Uint8Array(words.length * 2);
  words.forEach((w, i) => {
    vtable[2 * i] = w & 0xff;
    vtable[2 * i + 1] = w >>> 8;
  });
  return { id: nextId++, name, size, fields, vtable };
}

export const SATELLITE_SAMPLE = table('SatelliteSample', 64, [
  ['satellite', 'offset', 4],
  ['timestamp_ns', 'i64', 8],
  ['temp_c', 'f64', 16],
  ['battery_charge_pct', 'f64', 24],
  ['altitude', 'f64', 32],
  ['sensor1', 'f64', 40],
  ['sensor2', 'f64', 48],
  ['sensor3', 'f64', 56],
]);

export const F1_EVENT = table('F1Event', 32, [
  ['session_id', 'offset', 4],
  ['car_number', 'u8', 30],
  ['lap', 'u16', 28],
  ['event_id', 'i64', 8],
  ['event_time_ns', 'i64', 16],
  ['payload_type', 'u8', 31],
  ['payload', 'offset', 24],
]);

export const POSITION = table('Position', 72, [
  ['x_m', 'f64', 8],
  ['y_m', 'f64', 16],
  ['z_m', 'f64', 24],
  ['lat_deg', 'f64', 32],
  ['lon_deg', 'f64', 40],
  ['speed_kph', 'f64', 48],
  ['heading_deg', 'f64', 56],
  ['lap_distance_m', 'f64', 64],
  ['sector', 'u8', 4],
]);

export const DYNAMICS = table('Dynamics', 48, [
  ['throttle_pct', 'f64', 8],
  ['brake_pct', 'f64', 16],
  ['gear', 'i8', 4],
  ['steering_deg', 'f64', 24],
  ['lateral_g', 'f64', 32],
  ['longitudinal_g', 'f64', 40],
]);

export const POWER_UNIT = table('PowerUnit', 64, [
  ['rpm', 'u16', 4],
  ['ers_deploy_kw', 'f64', 8],
  ['ers_harvest_kw', 'f64', 16],
  ['ers_store_pct', 'f64', 24],
  ['oil_temp_c', 'f64', 32],
  ['water_temp_c', 'f64', 40],
  ['fuel_kg', 'f64', 48],
  ['fuel_flow_kg_h', 'f64', 56],
]);

export const TIRE = table('Tire', 40, [
  ['corner', 'u8', 4],
  ['compound', 'u8', 5],
  ['pressure_psi', 'f64', 8],
  ['surface_temp_c', 'f64', 16],
  ['inner_temp_c', 'f64', 24],
  ['wear_pct', 'f64', 32],
]);

export const AERODYNAMICS = table('Aerodynamics', 40, [
  ['drs_open', 'bool', 4],
  ['front_wing_deg', 'f64', 8],
  ['rear_wing_deg', 'f64', 16],
  ['brake_balance_pct', 'f64', 24],
  ['downforce_n', 'f64', 32],
]);

export const SYSTEM_STATUS = table('SystemStatus', 16, [
  ['code', 'offset', 4],
  ['severity', 'u8', 12],
  ['message', 'offset', 8],
  ['flag', 'u8', 13],
]);

export const SATELLITE_FRAME = table('SatelliteFrame', 8, [['samples', 'offset', 4]]);
export const F1_FRAME = table('F1Frame', 8, [['events', 'offset', 4]]);

/** Number of table layouts: sizes the per-message vtable bookkeeping. */
export const TABLE_COUNT = nextId;
