import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventJsonSchemas } from './json-schema.js';

const dir = join(import.meta.dirname, '..', 'json-schema');

describe('JSON Schema export', () => {
  it('checked-in json-schema/*.json match a fresh export (run `nx run schema:json-schema` after changing a schema)', () => {
    const fresh = eventJsonSchemas();
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.keys(fresh).map((n) => `${n}.json`).sort());
    for (const [name, schema] of Object.entries(fresh)) {
      const onDisk = readFileSync(join(dir, `${name}.json`), 'utf8');
      expect(onDisk, `${name}.json is stale`).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    }
  });

  it('states int64 fields as integers with format int64 and keeps ranges and units', () => {
    const tire = eventJsonSchemas()['f1-tire'] as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean };
    expect(tire.properties['event_time_ns']).toMatchObject({ type: 'integer', format: 'int64', minimum: 0 });
    expect(tire.properties['pressure_psi']).toMatchObject({ type: 'number', minimum: 10, maximum: 40 });
    expect(tire.properties['corner']).toMatchObject({ enum: ['FL', 'FR', 'RL', 'RR'] });
    expect(tire.required).toContain('wear_pct');
    expect(tire.additionalProperties).toBe(false);
    const event = eventJsonSchemas()['f1-event'] as { oneOf?: unknown[]; anyOf?: unknown[] };
    expect((event.oneOf ?? event.anyOf)?.length).toBe(6);
  });
});
