/**
 * The same events through the flatbuffers runtime and the flatc-generated
 * classes (no code of ours): a reference writer (Builder, which omits fields
 * equal to their default, so it exercises absent-field decoding) and a
 * reference reader.
 */
import { Builder, ByteBuffer } from 'flatbuffers';
import {
  COMPOUNDS,
  CORNERS,
  F1_EVENT_TYPES,
  FLAGS,
  SEVERITIES,
  fbv1,
  type F1Event,
  type SatelliteSample,
} from '@lakestream/schema';

const header = (id: number) => [0, id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];

function frame(id: number, b: Builder): Uint8Array {
  return Uint8Array.from([...header(id), ...b.asUint8Array()]);
}

function buildSample(b: Builder, s: SatelliteSample): number {
  const name = b.createString(s.satellite);
  return fbv1.SatelliteSample.createSatelliteSample(b, name, s.timestamp_ns, s.temp_c, s.battery_charge_pct, s.altitude, s.sensor1, s.sensor2, s.sensor3);
}

function buildPayload(b: Builder, e: F1Event): number {
  switch (e.type) {
    case 'position':
      return fbv1.Position.createPosition(b, e.x_m, e.y_m, e.z_m, e.lat_deg, e.lon_deg, e.speed_kph, e.heading_deg, e.lap_distance_m, e.sector);
    case 'dynamics':
      return fbv1.Dynamics.createDynamics(b, e.throttle_pct, e.brake_pct, e.gear, e.steering_deg, e.lateral_g, e.longitudinal_g);
    case 'power_unit':
      return fbv1.PowerUnit.createPowerUnit(b, e.rpm, e.ers_deploy_kw, e.ers_harvest_kw, e.ers_store_pct, e.oil_temp_c, e.water_temp_c, e.fuel_kg, e.fuel_flow_kg_h);
    case 'tire':
      return fbv1.Tire.createTire(b, CORNERS.indexOf(e.corner), COMPOUNDS.indexOf(e.compound), e.pressure_psi, e.surface_temp_c, e.inner_temp_c, e.wear_pct);
    case 'aerodynamics':
      return fbv1.Aerodynamics.createAerodynamics(b, e.drs_open, e.front_wing_deg, e.rear_wing_deg, e.brake_balance_pct, e.downforce_n);
    case 'system': {
      const code = b.createString(e.code);
      const message = b.createString(e.message);
      return fbv1.SystemStatus.createSystemStatus(b, code, SEVERITIES.indexOf(e.severity), message, FLAGS.indexOf(e.flag));
    }
  }
}

function buildEvent(b: Builder, e: F1Event): number {
  const payload = buildPayload(b, e);
  const session = b.createSharedString(e.session_id);
  const tag = F1_EVENT_TYPES.indexOf(e.type) + 1;
  return fbv1.F1Event.createF1Event(b, session, e.car_number, e.lap, e.event_id, e.event_time_ns, tag, payload);
}

export function builderF1Event(e: F1Event): Uint8Array {
  const b = new Builder(256);
  b.finish(buildEvent(b, e));
  return frame(2, b);
}

export function builderF1Frame(events: readonly F1Event[]): Uint8Array {
  const b = new Builder(1024);
  const offsets = events.map((e) => buildEvent(b, e));
  const vector = fbv1.F1Frame.createEventsVector(b, offsets);
  b.finish(fbv1.F1Frame.createF1Frame(b, vector));
  return frame(4, b);
}

export function builderSatelliteSample(s: SatelliteSample): Uint8Array {
  const b = new Builder(128);
  b.finish(buildSample(b, s));
  return frame(1, b);
}

// fbv1 does not export SatelliteFrame (flatc 2.0.8's telemetry_generated.ts
// only re-exports what the root_type reaches), so that one-field table is
// built and read with the runtime's generic calls, as the generated code does.
export function builderSatelliteFrame(samples: readonly SatelliteSample[]): Uint8Array {
  const b = new Builder(1024);
  const offsets = samples.map((s) => buildSample(b, s));
  b.startVector(4, offsets.length, 4);
  for (const offset of [...offsets].reverse()) b.addOffset(offset);
  const vector = b.endVector();
  b.startObject(1);
  b.addFieldOffset(0, vector, 0);
  b.finish(b.endObject());
  return frame(3, b);
}

function readSample(s: fbv1.SatelliteSample): SatelliteSample {
  return {
    satellite: s.satellite() ?? '<null>',
    timestamp_ns: s.timestampNs(),
    temp_c: s.tempC(),
    battery_charge_pct: s.batteryChargePct(),
    altitude: s.altitude(),
    sensor1: s.sensor1(),
    sensor2: s.sensor2(),
    sensor3: s.sensor3(),
  };
}

function readEvent(e: fbv1.F1Event): F1Event {
  const common = { session_id: e.sessionId() ?? '<null>', car_number: e.carNumber(), lap: e.lap(), event_id: e.eventId(), event_time_ns: e.eventTimeNs() };
  switch (e.payloadType()) {
    case fbv1.EventPayload.Position: {
      const p = e.payload(new fbv1.Position()) as fbv1.Position;
      return { type: 'position', ...common, x_m: p.xM(), y_m: p.yM(), z_m: p.zM(), lat_deg: p.latDeg(), lon_deg: p.lonDeg(), speed_kph: p.speedKph(), heading_deg: p.headingDeg(), lap_distance_m: p.lapDistanceM(), sector: p.sector() };
    }
    case fbv1.EventPayload.Dynamics: {
      const p = e.payload(new fbv1.Dynamics()) as fbv1.Dynamics;
      return { type: 'dynamics', ...common, throttle_pct: p.throttlePct(), brake_pct: p.brakePct(), gear: p.gear(), steering_deg: p.steeringDeg(), lateral_g: p.lateralG(), longitudinal_g: p.longitudinalG() };
    }
    case fbv1.EventPayload.PowerUnit: {
      const p = e.payload(new fbv1.PowerUnit()) as fbv1.PowerUnit;
      return { type: 'power_unit', ...common, rpm: p.rpm(), ers_deploy_kw: p.ersDeployKw(), ers_harvest_kw: p.ersHarvestKw(), ers_store_pct: p.ersStorePct(), oil_temp_c: p.oilTempC(), water_temp_c: p.waterTempC(), fuel_kg: p.fuelKg(), fuel_flow_kg_h: p.fuelFlowKgH() };
    }
    case fbv1.EventPayload.Tire: {
      const p = e.payload(new fbv1.Tire()) as fbv1.Tire;
      return { type: 'tire', ...common, corner: member(CORNERS, p.corner()), compound: member(COMPOUNDS, p.compound()), pressure_psi: p.pressurePsi(), surface_temp_c: p.surfaceTempC(), inner_temp_c: p.innerTempC(), wear_pct: p.wearPct() };
    }
    case fbv1.EventPayload.Aerodynamics: {
      const p = e.payload(new fbv1.Aerodynamics()) as fbv1.Aerodynamics;
      return { type: 'aerodynamics', ...common, drs_open: p.drsOpen(), front_wing_deg: p.frontWingDeg(), rear_wing_deg: p.rearWingDeg(), brake_balance_pct: p.brakeBalancePct(), downforce_n: p.downforceN() };
    }
    case fbv1.EventPayload.SystemStatus: {
      const p = e.payload(new fbv1.SystemStatus()) as fbv1.SystemStatus;
      return { type: 'system', ...common, code: p.code() ?? '<null>', severity: member(SEVERITIES, p.severity()), message: p.message() ?? '<null>', flag: member(FLAGS, p.flag()) };
    }
    default:
      throw new Error(`payload type ${e.payloadType()}`);
  }
}

function member<V extends readonly string[]>(values: V, index: number): V[number] {
  const value = values[index];
  if (value === undefined) throw new Error(`enum index ${index} out of range`);
  return value;
}

function present<T>(value: T | null): T {
  if (value === null) throw new Error('absent table');
  return value;
}

const payloadOf = (message: Uint8Array) => new ByteBuffer(message.subarray(5));

export function runtimeReadF1Frame(message: Uint8Array): F1Event[] {
  const f = fbv1.F1Frame.getRootAsF1Frame(payloadOf(message));
  return Array.from({ length: f.eventsLength() }, (_, i) => readEvent(present(f.events(i))));
}

export function runtimeReadF1Event(message: Uint8Array): F1Event {
  return readEvent(fbv1.F1Event.getRootAsF1Event(payloadOf(message)));
}

export function runtimeReadSatelliteFrame(message: Uint8Array): SatelliteSample[] {
  const bb = payloadOf(message);
  const root = bb.readInt32(0);
  const field = bb.__offset(root, 4);
  if (!field) return [];
  const vector = bb.__vector(root + field);
  return Array.from({ length: bb.__vector_len(root + field) }, (_, i) =>
    readSample(new fbv1.SatelliteSample().__init(bb.__indirect(vector + 4 * i), bb)),
  );
}

export function runtimeReadSatelliteSample(message: Uint8Array): SatelliteSample {
  return readSample(fbv1.SatelliteSample.getRootAsSatelliteSample(payloadOf(message)));
}
