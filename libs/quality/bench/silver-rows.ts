/**
 * Silver-shaped F1 rows for the benchmark (`TABLES.f1Silver`), deterministic
 * and valid under the default suite: 20 cars of one race, event types in
 * their nominal rate mix, each row carrying its own type's payload (others
 * null), values drawn inside the declared ranges (read from libs/schema).
 * Columns are built from typed arrays; never timed. Also the same rows as
 * per-event objects (for the zod baseline) and as CSV (to load DuckDB).
 */
import * as arrow from 'apache-arrow';
import { F1_EVENT_TYPES, F1_PAYLOAD_FIELDS, TABLES, type F1EventType } from '@lakestream/schema';

const CARS = [1, 4, 10, 11, 14, 16, 18, 22, 23, 24, 27, 30, 31, 44, 55, 63, 77, 81, 87, 12];
const MIX: readonly [F1EventType, number][] = [['position', 10], ['dynamics', 20], ['power_unit', 50], ['tire', 20], ['aerodynamics', 10], ['system', 1]];
const WHEEL: F1EventType[] = MIX.flatMap(([t, n]) => Array<F1EventType>(n).fill(t));
const OWNER = new Map<string, F1EventType>();
for (const type of F1_EVENT_TYPES) for (const name of Object.keys(F1_PAYLOAD_FIELDS[type])) OWNER.set(name, type);
const TEXT: Readonly<Record<string, readonly string[]>> = {
  code: ['PU_TEMP', 'ERS_FAULT', 'BRAKE_WEAR', 'DRS_FAIL'],
  message: ['oil temperature above limit', 'ERS deploy limited', 'rear brake wear high', 'DRS did not open'],
};
export const SESSION_START_NS = 1_772_982_000_000_000_000n; // 2026-03-08T15:00:00Z
const SESSION_DAY = 20_520;

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

export interface BenchRows {
  readonly table: arrow.Table;
  /** Per row: its event type, and the plain values of every column (null where null), for the baselines. */
  readonly types: readonly F1EventType[];
  readonly values: Readonly<Record<string, ArrayLike<unknown>>>;
  /** `now` (ms) the rows are fresh against. */
  readonly nowMs: number;
}

export function silverRows(count: number, seed = 42): BenchRows {
  const random = rng(seed);
  const schema = TABLES.f1Silver.schema;
  const types = new Array<F1EventType>(count);
  const carIndex = new Int32Array(count);
  const perCar = new Array<number>(CARS.length).fill(0);
  const eventId = new BigInt64Array(count);
  const timeNs = new BigInt64Array(count);
  const offsets = new Array<bigint>(12).fill(0n);
  const kafkaOffset = new BigInt64Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % CARS.length;
    const k = perCar[c] ?? 0;
    perCar[c] = k + 1;
    carIndex[i] = c;
    types[i] = WHEEL[Math.floor(random() * WHEEL.length)] ?? 'position';
    eventId[i] = BigInt(k);
    timeNs[i] = SESSION_START_NS + BigInt(Math.floor((k * 1e9) / 111));
    const p = (CARS[c] ?? 0) % 12;
    kafkaOffset[i] = offsets[p] ?? 0n;
    offsets[p] = (offsets[p] ?? 0n) + 1n;
  }
  const values: Record<string, ArrayLike<unknown>> = {};
  const columns = schema.fields.map((field) => {
    const name = field.name;
    const owner = OWNER.get(name);
    const valid = (i: number): boolean => owner === undefined || types[i] === owner;
    let v: ArrayLike<unknown>;
    switch (name) {
      case 'session_id': v = new Array<string>(count).fill('2026-bahrain-race'); break;
      case 'car_number': v = Int16Array.from(carIndex, (c) => CARS[c] ?? 0); break;
      case 'lap': v = Int32Array.from(timeNs, (t) => 1 + Number((t - SESSION_START_NS) / 92_000_000_000n)); break;
      case 'event_id': v = eventId; break;
      case 'event_time_ns': v = timeNs; break;
      case 'event_time': v = timeNs.map((t) => t / 1000n); break;
      case 'ingested_at': v = timeNs.map((t) => t / 1000n + 250_000n); break;
      case 'event_type': v = types; break;
      case 'session_type': v = new Array<string>(count).fill('RACE'); break;
      case 'track': v = new Array<string>(count).fill('Bahrain International Circuit'); break;
      case 'session_date': v = new Int32Array(count).fill(SESSION_DAY); break;
      case 'kafka_partition': v = Int32Array.from(carIndex, (c) => (CARS[c] ?? 0) % 12); break;
      case 'kafka_offset': v = kafkaOffset; break;
      default: v = payload(name, owner as F1EventType, count, valid, random);
    }
    values[name] = v;
    return build(field, v, count, valid);
  });
  const batch = new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: count, nullCount: 0, children: columns }));
  const last = timeNs[count - 1] ?? SESSION_START_NS;
  return { table: new arrow.Table(schema, [batch]), types, values, nowMs: Number(last / 1_000_000n) + 1_000 };
}

function payload(name: string, owner: F1EventType, n: number, valid: (i: number) => boolean, random: () => number): unknown[] {
  const field = (F1_PAYLOAD_FIELDS[owner] as Record<string, unknown>)[name] as { def: { type: string }; minValue?: number; maxValue?: number; options?: string[]; isInt?: boolean; format?: string };
  const out = new Array<unknown>(n).fill(null);
  const kind = field.def.type;
  let min = field.minValue ?? 0;
  let max = field.maxValue ?? 1;
  if (name === 'pressure_psi') [min, max] = [18, 30]; // inside the gas-law plausibility envelope
  const integer = kind === 'number' && (field.format === 'safeint' || field.isInt === true);
  for (let i = 0; i < n; i++) {
    if (!valid(i)) continue;
    if (kind === 'enum') out[i] = field.options?.[Math.floor(random() * (field.options?.length ?? 1))];
    else if (kind === 'string') out[i] = TEXT[name]?.[Math.floor(random() * 4)] ?? 'x';
    else if (kind === 'boolean') out[i] = random() < 0.3;
    else if (integer) out[i] = min + Math.floor(random() * (max - min + 1));
    else out[i] = Math.round((min + random() * (max - min)) * 1000) / 1000;
  }
  return out;
}

function build(field: arrow.Field, v: ArrayLike<unknown>, n: number, valid: (i: number) => boolean): arrow.Data {
  const t = field.type;
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isBool(t)) return arrow.vectorFromArray(Array.from(v), t).data[0] as arrow.Data;
  const Ctor = (t as unknown as { ArrayType: new (n: number) => Int8Array | Int16Array | Int32Array | Float64Array | BigInt64Array }).ArrayType;
  let data = v as Int8Array | Int16Array | Int32Array | Float64Array | BigInt64Array;
  if (!(v instanceof Ctor)) {
    data = new Ctor(n);
    for (let i = 0; i < n; i++) if (v[i] !== null) (data as Float64Array)[i] = v[i] as number;
  }
  let nulls = 0;
  const bits = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++) {
    if (valid(i)) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
    else nulls++;
  }
  return arrow.makeData({ type: t, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bits : null, data } as never) as arrow.Data;
}
