import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DeltaDataError } from '../data/errors.js';
import {
  arrowToDeltaSchema,
  deltaToArrowSchema,
  parseSchemaString,
  schemaToString,
  type DeltaStructType,
} from './delta-schema.js';
import { mergeSchemas } from './merge.js';

const f = (name: string, type: arrow.DataType, nullable = true) => new arrow.Field(name, type, nullable);

describe('arrow ↔ delta schema', () => {
  const arrowSchema = new arrow.Schema([
    f('l', new arrow.Int64(), false),
    f('i', new arrow.Int32()),
    f('s', new arrow.Int16()),
    f('b', new arrow.Int8()),
    f('d', new arrow.Float64()),
    f('fl', new arrow.Float32()),
    f('bool', new arrow.Bool()),
    f('str', new arrow.Utf8()),
    f('bin', new arrow.Binary()),
    f('ts', new arrow.TimestampMicrosecond('UTC')),
    f('ntz', new arrow.TimestampMicrosecond()),
    f('date', new arrow.DateDay()),
    f('dec', new arrow.Decimal(3, 5, 128)),
    f('nested', new arrow.Struct([f('x', new arrow.Float64()), f('y', new arrow.Struct([f('z', new arrow.Utf8())]))])),
    f('arr', new arrow.List(f('element', new arrow.Int16()))),
  ]);

  it('maps every type and round trips arrow → delta → arrow', () => {
    const delta = arrowToDeltaSchema(arrowSchema);
    expect(delta.fields.map((x) => x.type)).toEqual([
      'long',
      'integer',
      'short',
      'byte',
      'double',
      'float',
      'boolean',
      'string',
      'binary',
      'timestamp',
      'timestamp_ntz',
      'date',
      'decimal(5,3)',
      {
        type: 'struct',
        fields: [
          { name: 'x', type: 'double', nullable: true, metadata: {} },
          {
            name: 'y',
            type: { type: 'struct', fields: [{ name: 'z', type: 'string', nullable: true, metadata: {} }] },
            nullable: true,
            metadata: {},
          },
        ],
      },
      { type: 'array', elementType: 'short', containsNull: true },
    ]);
    expect(delta.fields[0]?.nullable).toBe(false);
    const back = deltaToArrowSchema(delta);
    expect(back.fields.map((x) => String(x.type))).toEqual(arrowSchema.fields.map((x) => String(x.type)));
    expect(arrowToDeltaSchema(back)).toEqual(delta);
    expect(parseSchemaString(schemaToString(delta))).toEqual(delta);
  });

  it('normalizes other units and encodings to the Delta type', () => {
    const s = arrowToDeltaSchema(
      new arrow.Schema([
        f('ms', new arrow.TimestampMillisecond('Europe/Paris')),
        f('ns', new arrow.TimestampNanosecond()),
        f('dict', new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
        f('large', new arrow.LargeUtf8()),
        f('dms', new arrow.DateMillisecond()),
      ]),
    );
    expect(s.fields.map((x) => x.type)).toEqual(['timestamp', 'timestamp_ntz', 'string', 'string', 'date']);
    expect(String(deltaToArrowSchema(s).fields[0]?.type)).toBe('Timestamp<MICROSECOND, UTC>');
  });

  it('maps maps', () => {
    const delta: DeltaStructType = {
      type: 'struct',
      fields: [
        {
          name: 'm',
          type: { type: 'map', keyType: 'string', valueType: 'integer', valueContainsNull: true },
          nullable: true,
          metadata: {},
        },
      ],
    };
    expect(arrowToDeltaSchema(deltaToArrowSchema(delta))).toEqual(delta);
  });

  it('refuses unsupported types naming the column', () => {
    const s = new arrow.Schema([f('ok', new arrow.Int32()), f('dur', new arrow.Struct([f('t', new arrow.TimeMillisecond())]))]);
    expect(() => arrowToDeltaSchema(s)).toThrowError(/column "dur\.t"/);
    try {
      arrowToDeltaSchema(s);
    } catch (e) {
      expect(e).toBeInstanceOf(DeltaDataError);
      expect((e as DeltaDataError).code).toBe('UNSUPPORTED_TYPE');
    }
  });
});

describe('parseSchemaString', () => {
  it('reads a Spark schemaString (DAT nested_types)', () => {
    const json =
      '{"type":"struct","fields":[{"name":"pk","type":"integer","nullable":true,"metadata":{}},{"name":"struct","type":{"type":"struct","fields":[{"name":"float64","type":"double","nullable":true,"metadata":{}},{"name":"bool","type":"boolean","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},{"name":"array","type":{"type":"array","elementType":"short","containsNull":true},"nullable":true,"metadata":{}},{"name":"map","type":{"type":"map","keyType":"string","valueType":"integer","valueContainsNull":true},"nullable":true,"metadata":{}}]}';
    const s = parseSchemaString(json);
    expect(s.fields.map((x) => x.name)).toEqual(['pk', 'struct', 'array', 'map']);
    expect(JSON.parse(schemaToString(s))).toEqual(JSON.parse(json));
    expect(deltaToArrowSchema(s).fields.map((x) => String(x.type))).toEqual([
      'Int32',
      'Struct<{float64:Float64, bool:Bool}>',
      'List<Int16>',
      'Map<{key:Utf8, value:Int32}>',
    ]);
  });

  it('gives clear errors', () => {
    expect(() => parseSchemaString('{')).toThrowError(/not valid JSON/);
    expect(() => parseSchemaString('{"type":"struct","fields":[{"name":"a","type":"int","nullable":true,"metadata":{}}]}')).toThrowError(
      /fields\.0\.type/,
    );
    expect(() =>
      parseSchemaString(
        '{"type":"struct","fields":[{"name":"a","type":"long","nullable":true,"metadata":{}},{"name":"A","type":"long","nullable":true,"metadata":{}}]}',
      ),
    ).toThrowError(/duplicate column name "A"/);
  });
});

describe('mergeSchemas', () => {
  const field = (name: string, type: DeltaStructType['fields'][number]['type'], nullable = true) => ({
    name,
    type,
    nullable,
    metadata: {},
  });
  const current: DeltaStructType = {
    type: 'struct',
    fields: [field('id', 'long', false), field('v', 'double'), field('s', { type: 'struct', fields: [field('a', 'string')] })],
  };

  it('accepts the same schema and missing nullable columns', () => {
    expect(mergeSchemas(current, current, { mergeSchema: false })).toEqual({ ok: true, schema: current, added: [] });
    const r = mergeSchemas(current, { type: 'struct', fields: [field('id', 'long')] }, { mergeSchema: false });
    expect(r.ok).toBe(true);
  });

  it('adds new nullable columns (also nested) only with mergeSchema', () => {
    const incoming: DeltaStructType = {
      type: 'struct',
      fields: [
        field('id', 'long', false),
        field('extra', 'string'),
        field('s', { type: 'struct', fields: [field('a', 'string'), field('b', 'integer')] }),
      ],
    };
    const refused = mergeSchemas(current, incoming, { mergeSchema: false });
    expect(refused).toMatchObject({ ok: false, code: 'SCHEMA_MISMATCH', columns: ['s.b', 'extra'] });
    const merged = mergeSchemas(current, incoming, { mergeSchema: true });
    expect(merged.ok).toBe(true);
    if (merged.ok) {
      expect(merged.added).toEqual(['s.b', 'extra']);
      expect(merged.schema.fields.map((x) => x.name)).toEqual(['id', 'v', 's', 'extra']);
    }
  });

  it('refuses type changes and non-nullable gaps', () => {
    const r = mergeSchemas(current, { type: 'struct', fields: [field('id', 'integer', false)] }, { mergeSchema: true });
    expect(r).toMatchObject({ ok: false, code: 'TYPE_CHANGE', columns: ['id'] });
    const n = mergeSchemas(current, { type: 'struct', fields: [field('v', 'double')] }, { mergeSchema: true });
    expect(n).toMatchObject({ ok: false, code: 'NOT_NULLABLE', columns: ['id'] });
    const nn = mergeSchemas(current, { type: 'struct', fields: [...current.fields, field('x', 'long', false)] }, { mergeSchema: true });
    expect(nn).toMatchObject({ ok: false, code: 'NOT_NULLABLE', columns: ['x'] });
  });
});
