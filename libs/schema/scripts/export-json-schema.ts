// Writes every event's JSON Schema into libs/schema/json-schema/ (checked in;
// a test fails when they drift). Run with `nx run schema:json-schema`.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJsonSchemas } from '../src/json-schema.js';

const outDir = join(import.meta.dirname, '..', 'json-schema');
mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (f.endsWith('.json')) rmSync(join(outDir, f));
const schemas = eventJsonSchemas();
for (const [name, schema] of Object.entries(schemas)) {
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(schemas).length} JSON Schemas to ${outDir}`);
