/**
 * 1M-row silver F1 telemetry (the silver schema, below), deterministic: 20 cars of
 * one race session, six event types in their nominal rate mix, each row
 * carrying only its own event type's payload columns (the others null), as
 * the silver table holds them. Built column by column from typed arrays so
 * generating a million rows takes about a second and is never timed.
 */
import * as arrow from 'apache-arrow';

/**
 * A copy of `TABLES.f1Silver` from @lakestream/schema (same fields, types,
 * nullability and partitioning). Copied, not imported: sink does not depend
 * on schema, and an import here would make Nx add schema to sink's project
 * references. libs/schema's tables.spec.ts pins the original.
 */
type EventType = 'position' | 'dynamics' | 'power_unit' | 'tire' | 'aerodynamics' | 'system';
const PAYLOAD: Readonly<Record<EventType, readonly [string, arrow.DataType][]>> = {
  position: [['x_m', f64()], ['y_m', f64()], ['z_m', f64()], ['lat_deg', f64()], ['lon_deg', f64()], ['speed_kph', f64()], ['heading_deg', f64()], ['lap_distance_m', f64()], ['sector', new arrow.Int16()]],
  dynamics: [['throttle_pct', f64()], ['brake_pct', f64()], ['gear', new arrow.Int8()], ['steering_deg', f64()], ['lateral_g', f64()], ['longitudinal_g', f64()]],
  power_unit: [['rpm', new arrow.Int32()], ['ers_deploy_kw', f64()], ['ers_harvest_kw', f64()], ['ers_store_pct', f64()], ['oil_temp_c', f64()], ['water_temp_c', f64()], ['fuel_kg', f64()], ['fuel_flow_kg_h', f64()]],
  tire: [['corner', utf8()], ['compound', utf8()], ['pressure_psi', f64()], ['surface_temp_c', f64()], ['inner_temp_c', f64()], ['wear_pct', f64()]],
  aerodynamics: [['drs_open', new arrow.Bool()], ['front_wing_deg', f64()], ['rear_wing_deg', f64()], ['brake_balance_pct', f64()], ['downforce_n', f64()]],
  system: [['code', utf8()], ['severity', utf8()], ['message', utf8()], ['flag', utf8()]],
};
function f64(): arrow.DataType {
  return new arrow.Float64();
}
function utf8(): arrow.DataType {
  return new arrow.Utf8();
}
const ts = (name: string): arrow.Field => new arrow.Field(name, new arrow.TimestampMicrosecond('UTC'), false);

export const SCHEMA = new arrow.Schema([
  new arrow.Field('session_id', utf8(), false),
  new arrow.Field('car_number', new arrow.Int16(), false),
  new arrow.Field('lap', new arrow.Int32(), false),
  new arrow.Field('event_id', new arrow.Int64(), false),
  new arrow.Field('event_time_ns', new arrow.Int64(), false),
  ts('event_time'),
  new arrow.Field('event_type', utf8(), false),
  new arrow.Field('session_type', utf8(), false),
  new arrow.Field('track', utf8(), false),
  new arrow.Field('session_date', new arrow.DateDay(), false),
  ...Object.values(PAYLOAD).flatMap((fields) => fields.map(([name, type]) => new arrow.Field(name, type, true))),
  new arrow.Field('kafka_partition', new arrow.Int32(), false),
  new arrow.Field('kafka_offset', new arrow.Int64(), false),
  ts('ingested_at'),
]);
export const PARTITION_COLUMNS = ['session_date', 'car_number'];
const CARS = 20;
const SESSION_DAY = 20_518; // 2026-03-08
const SESSION_START_US = BigInt(SESSION_DAY) * 86_400_000_000n + 15n * 3_600_000_000n;

/** Rows per event type in 100 ms of one car: position 10 Hz, dynamics 20, power unit 50, tire 5 × 4 corners, aero 10, a rare system event. */
const MIX: readonly [EventType, number][] = [['position', 10], ['dynamics', 20], ['power_unit', 50], ['tire', 20], ['aerodynamics', 10], ['system', 1]];
const WHEEL: EventType[] = MIX.flatMap(([t, n]) => Array<EventType>(n).fill(t));

const OWNER = new Map<string, EventType>();
for (const [type, fields] of Object.entries(PAYLOAD)) for (const [name] of fields) OWNER.set(name, type as EventType);

const STRINGS: Readonly<Record<string, readonly string[]>> = {
  corner: ['FL', 'FR', 'RL', 'RR'],
  compound: ['SOFT', 'MEDIUM', 'HARD'],
  code: ['PU_TEMP', 'ERS_FAULT', 'BRAKE_WEAR', 'DRS_FAIL'],
  severity: ['INFO', 'WARNING', 'ERROR'],
  message: ['oil temperature above limit', 'ERS deploy limited', 'rear brake wear high', 'DRS did not open'],
  flag: ['GREEN', 'YELLOW', 'GREEN', 'SAFETY_CAR'],
};

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bitmap(n: number, valid: (i: number) => boolean): { bits: Uint8Array; nulls: number } {
  const bits = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid(i)) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
    else nulls++;
  }
  return { bits, nulls };
}

export function silverRows(count: number, seed = 42): arrow.Table {
  const random = rng(seed);
  const type = new Array<EventType>(count);
  const car = new Int16Array(count);
  const eventId = new BigInt64Array(count);
  const timeUs = new BigInt64Array(count);
  const perCar = new Array<number>(CARS).fill(0);
  for (let i = 0; i < count; i++) {
    const c = i % CARS;
    const k = perCar[c] ?? 0;
    perCar[c] = k + 1;
    car[i] = [1, 4, 10, 11, 14, 16, 18, 22, 23, 24, 27, 30, 31, 44, 55, 63, 77, 81, 87, 12][c] ?? c + 1;
    type[i] = WHEEL[Math.floor(random() * WHEEL.length)] ?? 'position';
    eventId[i] = BigInt(k);
    timeUs[i] = SESSION_START_US + BigInt(Math.floor((k * 1_000_000) / 111)); // 111 events/s per car
  }
  const cols: Record<string, arrow.Vector> = {};
  for (const field of SCHEMA.fields) {
    const owner = OWNER.get(field.name);
    const valid = owner === undefined ? () => true : (i: number) => type[i] === owner;
    cols[field.name] = column(field, count, valid, { car, eventId, timeUs, type, random });
  }
  return new arrow.Table(SCHEMA, new arrow.Table(cols).batches.map((b) => new arrow.RecordBatch(SCHEMA, b.data)));
}

interface Base {
  readonly car: Int16Array;
  readonly eventId: BigInt64Array;
  readonly timeUs: BigInt64Array;
  readonly type: readonly EventType[];
  readonly random: () => number;
}

function column(field: arrow.Field, n: number, valid: (i: number) => boolean, b: Base): arrow.Vector {
  const name = field.name;
  const nulls = field.nullable ? bitmap(n, valid) : { bits: new Uint8Array(0), nulls: 0 };
  const make = <T extends arrow.DataType>(type: T, data: Int8Array | Int16Array | Int32Array | Float64Array | BigInt64Array): arrow.Vector<T> =>
    arrow.makeVector(arrow.makeData({ type, length: n, nullCount: nulls.nulls, nullBitmap: nulls.nulls > 0 ? nulls.bits : null, data } as never) as arrow.Data<T>);
  switch (name) {
    case 'car_number': return make(field.type, b.car);
    case 'event_id': case 'kafka_offset': return make(field.type, b.eventId);
    case 'event_time_ns': return make(field.type, b.timeUs.map((t) => t * 1000n));
    case 'event_time': return make(field.type, b.timeUs);
    case 'ingested_at': return make(field.type, b.timeUs.map((t) => t + 250_000n));
    case 'session_date': return make(field.type, new Int32Array(n).fill(20_518));
    case 'lap': return make(field.type, b.timeUs.map((t) => (t - SESSION_START_US) / 92_000_000n).reduce((a, v, i) => ((a[i] = Number(v) + 1), a), new Int32Array(n)));
    case 'kafka_partition': return make(field.type, b.car.reduce((a, c, i) => ((a[i] = c % 12), a), new Int32Array(n)));
  }
  const t = field.type;
  if (arrow.DataType.isUtf8(t)) {
    const options = name === 'session_id' ? ['2026-bahrain-race'] : name === 'event_type' ? null : name === 'session_type' ? ['RACE'] : name === 'track' ? ['Bahrain International Circuit'] : (STRINGS[name] ?? ['x']);
    const values = Array.from({ length: n }, (_, i) => (!valid(i) ? null : options === null ? (b.type[i] ?? null) : (options[Math.floor(b.random() * options.length)] ?? null)));
    return arrow.vectorFromArray(values, new arrow.Utf8());
  }
  if (arrow.DataType.isBool(t)) return arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (valid(i) ? b.random() < 0.3 : null)), new arrow.Bool());
  if (arrow.DataType.isFloat(t)) {
    const values = new Float64Array(n);
    const scale = 10 + name.length * 13;
    for (let i = 0; i < n; i++) if (valid(i)) values[i] = Math.round((Math.sin(Number(b.eventId[i] ?? 0n) / 50 + (b.car[i] ?? 0)) * 0.5 + 0.5 + b.random() * 0.05) * scale * 1000) / 1000;
    return make(t, values);
  }
  if (arrow.DataType.isInt(t)) {
    const Ctor = t.bitWidth === 8 ? Int8Array : t.bitWidth === 16 ? Int16Array : Int32Array;
    const values = new Ctor(n);
    const max = t.bitWidth === 8 ? 8 : t.bitWidth === 16 ? 3 : 15_000;
    for (let i = 0; i < n; i++) if (valid(i)) values[i] = 1 + Math.floor(b.random() * max);
    return make(t, values);
  }
  throw new Error(`bench rows: no generator for ${name} (${String(t)})`);
}
