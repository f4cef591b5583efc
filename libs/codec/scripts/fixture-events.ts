import type { F1Event, SatelliteSample } from '@lakestream/schema';

/**
 * The events behind the wire-v1 golden fixtures: every event type, edge
 * values (int64 max, negative doubles, gear -1, empty and non-ASCII strings)
 * and frames with shared strings. Append new fixtures; never edit old ones.
 */
const t0 = 1_767_225_600_000_000_000n;
const common = { session_id: '2026-bahrain-race', car_number: 44, lap: 12 };

export const position: F1Event = { type: 'position', ...common, event_id: 0n, event_time_ns: t0, x_m: -1234.5678, y_m: 987.654321, z_m: -3.25, lat_deg: 26.0325, lon_deg: 50.5106, speed_kph: 312.4, heading_deg: 359.999, lap_distance_m: 5411.9, sector: 3 };
export const dynamics: F1Event = { type: 'dynamics', ...common, event_id: 1n, event_time_ns: t0 + 50_000_000n, throttle_pct: 0, brake_pct: 100, gear: -1, steering_deg: -360, lateral_g: 4.5, longitudinal_g: -6.125 };
export const powerUnit: F1Event = { type: 'power_unit', ...common, event_id: 2n, event_time_ns: t0 + 20_000_000n, rpm: 16_000, ers_deploy_kw: 120, ers_harvest_kw: 0.1, ers_store_pct: 33.333333333333336, oil_temp_c: 131.7, water_temp_c: 104.2, fuel_kg: 0, fuel_flow_kg_h: 100 };
export const tire: F1Event = { type: 'tire', ...common, event_id: 3n, event_time_ns: t0 + 200_000_000n, corner: 'RR', compound: 'WET', pressure_psi: 21.5, surface_temp_c: 98.6, inner_temp_c: 101.1, wear_pct: 42 };
export const aerodynamics: F1Event = { type: 'aerodynamics', ...common, event_id: 4n, event_time_ns: t0 + 100_000_000n, drs_open: true, front_wing_deg: 12.5, rear_wing_deg: 8.75, brake_balance_pct: 57.5, downforce_n: 18_500 };
export const system: F1Event = { type: 'system', ...common, car_number: 99, lap: 500, event_id: 9_223_372_036_854_775_807n, event_time_ns: 9_223_372_036_854_775_807n, code: 'ERS_OVERHEAT', severity: 'CRITICAL', message: 'Température ERS > 150 °C — box 🏁', flag: 'CHEQUERED' };
const systemEmpty: F1Event = { ...system, event_id: 5n, event_time_ns: t0, car_number: 1, lap: 0, code: 'OK', severity: 'INFO', message: '', flag: 'GREEN' };

const sample = (satellite: string, i: number): SatelliteSample => ({
  satellite,
  timestamp_ns: t0 + BigInt(i) * 1_000_000_000n,
  temp_c: -100 + i * 12.34,
  battery_charge_pct: 99.99 - i,
  altitude: 160 + i * 100.5,
  sensor1: -1,
  sensor2: 0.5,
  sensor3: i === 0 ? 1 : -0.25,
});

/** Fixture name → what it encodes. Shape `single` holds exactly one event. */
export const FIXTURES = {
  'satellite-sample': { schemaId: 1, events: [sample('sat0', 0)] },
  'f1-event-position': { schemaId: 2, events: [position] },
  'f1-event-dynamics': { schemaId: 2, events: [dynamics] },
  'f1-event-power_unit': { schemaId: 2, events: [powerUnit] },
  'f1-event-tire': { schemaId: 2, events: [tire] },
  'f1-event-aerodynamics': { schemaId: 2, events: [aerodynamics] },
  'f1-event-system': { schemaId: 2, events: [system] },
  'satellite-frame': { schemaId: 3, events: [sample('sat0', 0), sample('sat1', 1), sample('sat0', 2)] },
  'satellite-frame-empty': { schemaId: 3, events: [] },
  'f1-frame': { schemaId: 4, events: [powerUnit, position, dynamics, tire, aerodynamics, system, systemEmpty, { ...powerUnit, event_id: 6n }] },
} as const satisfies Record<string, { schemaId: 1 | 2 | 3 | 4; events: readonly (F1Event | SatelliteSample)[] }>;
