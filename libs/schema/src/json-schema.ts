import { z } from 'zod';
import { F1Event, F1_EVENT_SCHEMAS, F1_EVENT_TYPES } from './f1.js';
import { SatelliteSample } from './satellite.js';
import { F1Session } from './session.js';

/** A JSON Schema document (draft 2020-12), as zod emits it. */
export type JsonSchema = { [key: string]: unknown };

/**
 * JSON Schema of a zod schema. 64-bit fields are bigint in TS; in JSON they are
 * integers with `format: int64` (JSON numbers above 2^53 lose precision in
 * most parsers, so the maximum is stated in the description, not as a number).
 */
export function toJsonSchema(schema: z.ZodType, id?: string): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (ctx) => {
      const def = ctx.zodSchema._zod.def;
      if (def.type === 'bigint') {
        ctx.jsonSchema['type'] = 'integer';
        ctx.jsonSchema['format'] = 'int64';
        const min = (ctx.zodSchema as z.ZodBigInt).minValue;
        if (min !== null && min >= BigInt(Number.MIN_SAFE_INTEGER)) ctx.jsonSchema['minimum'] = Number(min);
      }
    },
  }) as JsonSchema;
  return id ? { $id: id, ...json } : json;
}

/** Every event's JSON Schema, keyed by the file name it is exported under (json-schema/<name>.json). */
export function eventJsonSchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {
    'satellite-sample': toJsonSchema(SatelliteSample, 'https://lakestream.dev/schemas/satellite-sample.json'),
    'f1-event': toJsonSchema(F1Event, 'https://lakestream.dev/schemas/f1-event.json'),
    'f1-session': toJsonSchema(F1Session, 'https://lakestream.dev/schemas/f1-session.json'),
  };
  for (const type of F1_EVENT_TYPES) {
    const name = `f1-${type.replace(/_/g, '-')}`;
    out[name] = toJsonSchema(F1_EVENT_SCHEMAS[type], `https://lakestream.dev/schemas/${name}.json`);
  }
  return out;
}
