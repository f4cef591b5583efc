/**
 * fast-check arbitraries derived from the zod schemas (ranges, lengths, enum
 * values, storage types), so the properties follow the schema when it grows.
 */
import fc from 'fast-check';
import {
  columnMeta,
  F1_EVENT_SCHEMAS,
  F1_EVENT_TYPES,
  SatelliteSample,
  type F1Event,
  type F1EventType,
} from '@lakestream/schema';

type Shape = Record<string, unknown>;
/** The zod checks' bounds, as zod 4 exposes them on number, bigint and string schemas. */
interface Bounds<T> {
  readonly minValue?: T | null;
  readonly maxValue?: T | null;
  readonly minLength?: number | null;
  readonly maxLength?: number | null;
}

function field(name: string, schema: unknown): fc.Arbitrary<unknown> {
  const meta = columnMeta(schema as Parameters<typeof columnMeta>[0], name);
  switch (meta.type) {
    case 'float64': {
      const n = schema as Bounds<number>;
      return fc.double({ min: n.minValue ?? -1e9, max: n.maxValue ?? 1e9, noNaN: true, noDefaultInfinity: true });
    }
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16': {
      const n = schema as Bounds<number>;
      return fc.integer({ min: n.minValue ?? 0, max: n.maxValue ?? 0 });
    }
    case 'int64': {
      const b = schema as Bounds<bigint>;
      return fc.bigInt({ min: b.minValue ?? 0n, max: b.maxValue ?? 2n ** 63n - 1n });
    }
    case 'bool':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...(meta.values ?? []));
    case 'string': {
      const s = schema as Bounds<never>;
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? 64;
      // Mostly ASCII (the telemetry case) but also any code point, NUL included.
      return fc
        .oneof(
          fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max }),
          fc.string({ unit: 'binary', minLength: min, maxLength: max }),
        )
        .filter((v) => v.length >= min && v.length <= max);
    }
    default:
      throw new Error(`no arbitrary for column type ${meta.type} (${name})`);
  }
}

function record(shape: Shape, skip: readonly string[] = []): Record<string, fc.Arbitrary<unknown>> {
  const out: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, schema] of Object.entries(shape)) if (!skip.includes(name)) out[name] = field(name, schema);
  return out;
}

/** fc.record builds null-prototype objects; events in the wild are plain objects. */
const plain = <T extends object>(o: T): T => ({ ...o });

export const satelliteSample = fc.record(record(SatelliteSample.shape)).map(plain) as fc.Arbitrary<SatelliteSample>;

export function f1EventOf(type: F1EventType): fc.Arbitrary<F1Event> {
  const shape = F1_EVENT_SCHEMAS[type].shape as Shape;
  return fc.record({ type: fc.constant(type), ...record(shape, ['type']) }).map(plain) as fc.Arbitrary<F1Event>;
}

export const f1Event: fc.Arbitrary<F1Event> = fc.oneof(...F1_EVENT_TYPES.map(f1EventOf));

/** A frame's events share few strings in practice; half the frames reuse one session id. */
export const f1Frame: fc.Arbitrary<F1Event[]> = fc.oneof(
  fc.array(f1Event, { maxLength: 40 }),
  fc.tuple(fc.array(f1Event, { maxLength: 40 }), fc.constantFrom('2026-bahrain-race', 's')).map(([events, id]) =>
    events.map((e) => ({ ...e, session_id: id })),
  ),
);

export const satelliteFrame: fc.Arbitrary<SatelliteSample[]> = fc.array(satelliteSample, { maxLength: 40 });
