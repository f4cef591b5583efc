/**
 * What "structurally valid" means for a decoded event: exactly the schema's
 * keys, each with its JS type (number within its storage type, bigint,
 * boolean, enum member, string). Ranges are not structure.
 */
import { columnMeta, F1_EVENT_SCHEMAS, F1_EVENT_TYPES, SatelliteSample, type F1EventType } from '@lakestream/schema';
import type { DecodedMessage } from '../src/index.js';

const INT_RANGE = { int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1], uint8: [0, 255], uint16: [0, 65535] } as const;

function problems(value: unknown, shape: Record<string, unknown>, skip: readonly string[]): string[] {
  if (typeof value !== 'object' || value === null) return ['not an object'];
  const out: string[] = [];
  const record = value as Record<string, unknown>;
  const expected = Object.keys(shape);
  const actual = Object.keys(record);
  if (expected.join() !== actual.join()) out.push(`keys ${actual.join()} != ${expected.join()}`);
  for (const [name, schema] of Object.entries(shape)) {
    if (skip.includes(name)) continue;
    const v = record[name];
    const meta = columnMeta(schema as Parameters<typeof columnMeta>[0], name);
    const t = meta.type;
    const ok =
      t === 'float64' ? typeof v === 'number'
      : t === 'int64' ? typeof v === 'bigint' && v >= -(2n ** 63n) && v < 2n ** 63n
      : t === 'bool' ? typeof v === 'boolean'
      : t === 'string' ? typeof v === 'string'
      : t === 'enum' ? typeof v === 'string' && (meta.values ?? []).includes(v)
      : Number.isInteger(v) && (v as number) >= INT_RANGE[t][0] && (v as number) <= INT_RANGE[t][1];
    if (!ok) out.push(`${name}: ${typeof v} ${String(v)} is not ${t}`);
  }
  return out;
}

/** Problems of a decoded message; empty when every event is structurally valid. */
export function structuralProblems(message: DecodedMessage): string[] {
  if (message.source === 'satellite') {
    return message.events.flatMap((e, i) => problems(e, SatelliteSample.shape, []).map((p) => `event ${i}: ${p}`));
  }
  return message.events.flatMap((e, i) => {
    const type = (e as { type: unknown }).type;
    if (!F1_EVENT_TYPES.includes(type as F1EventType)) return [`event ${i}: type ${String(type)}`];
    const shape = F1_EVENT_SCHEMAS[type as F1EventType].shape as Record<string, unknown>;
    return problems(e, shape, ['type']).map((p) => `event ${i}: ${p}`);
  });
}
