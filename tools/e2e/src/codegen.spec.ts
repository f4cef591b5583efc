import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { requireTool } from '@lakestream/testing';
import { columnRegistry, F1_COMMON_FIELDS, F1_EVENT_TYPES, F1_PAYLOAD_FIELDS, SatelliteSample, type ColumnType } from '@lakestream/schema';
import type { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { inWorkspace } from './workspace.js';

const hasFlatc = requireTool('flatc', ['--version']);
const fbs = inWorkspace('libs/schema/fbs/telemetry.fbs');
const scratch = mkdtempSync(join(tmpdir(), 'lakestream-codegen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const listFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });

describe.skipIf(!hasFlatc)('FlatBuffers generated code', () => {
  it('committed libs/schema/src/generated equals a fresh flatc generation (run `nx run schema:codegen`)', () => {
    const out = join(scratch, 'ts');
    execFileSync('node', [inWorkspace('tools/codegen/flatc-ts.mjs'), fbs, out], { stdio: 'pipe' });
    const committed = inWorkspace('libs/schema/src/generated');
    const rel = (root: string) => listFiles(root).map((f) => relative(root, f)).sort();
    expect(rel(committed)).toEqual(rel(out));
    for (const file of rel(out)) {
      expect(readFileSync(join(committed, file), 'utf8'), `${file} differs from fresh flatc output`).toBe(readFileSync(join(out, file), 'utf8'));
    }
  });

  it('the .fbs declares the same fields, in the same order, with matching types as the zod schemas', () => {
    execFileSync('flatc', ['--jsonschema', '-o', scratch, fbs], { stdio: 'pipe' });
    const doc = JSON.parse(readFileSync(join(scratch, 'telemetry.schema.json'), 'utf8')) as {
      definitions: Record<string, { properties: Record<string, { type?: string; $ref?: string; minimum?: number; maximum?: number }> }>;
    };
    const table = (name: string) => {
      const def = doc.definitions[`lakestream_v1_${name}`];
      if (!def) throw new Error(`table ${name} missing from flatc --jsonschema output`);
      return def.properties;
    };
    // flatc's JSON Schema states integer widths through minimum/maximum.
    const expectedRange: Partial<Record<ColumnType, [number, number]>> = {
      int8: [-128, 127],
      uint8: [0, 255],
      int16: [-32768, 32767],
      uint16: [0, 65535],
      int32: [-2147483648, 2147483647],
    };
    const compare = (tableName: string, shape: Readonly<Record<string, z.ZodType>>) => {
      const props = table(tableName);
      const zodFields = Object.keys(shape).filter((f) => f !== 'type');
      expect(Object.keys(props).filter((f) => f !== 'payload_type' && f !== 'payload'), tableName).toEqual(zodFields);
      for (const field of zodFields) {
        const meta = columnRegistry.get(shape[field] as z.ZodType);
        const prop = props[field];
        if (!meta || !prop) throw new Error(`${tableName}.${field}: no column metadata or fbs field`);
        const where = `${tableName}.${field}`;
        if (meta.type === 'float64') expect(prop.type, where).toBe('number');
        else if (meta.type === 'string') expect(prop.type, where).toBe('string');
        else if (meta.type === 'bool') expect(prop.type, where).toBe('boolean');
        else if (meta.type === 'enum') expect(prop.$ref, where).toMatch(/^#\/definitions\/lakestream_v1_/);
        else if (meta.type === 'int64') expect([prop.type, prop.minimum], where).toEqual(['integer', -9223372036854775808]);
        else expect([prop.type, prop.minimum, prop.maximum], where).toEqual(['integer', ...(expectedRange[meta.type] ?? [])]);
      }
    };
    compare('SatelliteSample', SatelliteSample.shape);
    const f1Event = table('F1Event');
    expect(Object.keys(f1Event)).toEqual([...Object.keys(F1_COMMON_FIELDS), 'payload_type', 'payload']);
    compare('F1Event', F1_COMMON_FIELDS);
    const tables = ['Position', 'Dynamics', 'PowerUnit', 'Tire', 'Aerodynamics', 'SystemStatus'];
    F1_EVENT_TYPES.forEach((type, i) => compare(tables[i] as string, F1_PAYLOAD_FIELDS[type]));
  });
});
