/**
 * Delta Lake's JSON schema format (PROTOCOL.md "Schema Serialization Format")
 * and its mapping to and from Arrow schemas.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { InvalidSchemaError, UnsupportedTypeError } from '../data/errors.js';

export type DeltaPrimitiveTypeName =
  | 'string'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'float'
  | 'double'
  | 'boolean'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'timestamp_ntz';

/** `decimal(p,s)` is spelled inside the type string, as Spark does. */
export type DeltaDecimalTypeName = `decimal(${number},${number})`;

export type DeltaPrimitiveType = DeltaPrimitiveTypeName | DeltaDecimalTypeName;

export interface DeltaStructType {
  readonly type: 'struct';
  readonly fields: readonly DeltaField[];
}

export interface DeltaArrayType {
  readonly type: 'array';
  readonly elementType: DeltaDataType;
  readonly containsNull: boolean;
}

export interface DeltaMapType {
  readonly type: 'map';
  readonly keyType: DeltaDataType;
  readonly valueType: DeltaDataType;
  readonly valueContainsNull: boolean;
}

export type DeltaDataType = DeltaPrimitiveType | DeltaStructType | DeltaArrayType | DeltaMapType;

/** Column metadata: arbitrary JSON; keys prefixed `delta.` are the protocol's. */
export type DeltaFieldMetadata = Readonly<Record<string, unknown>>;

export interface DeltaField {
  readonly name: string;
  readonly type: DeltaDataType;
  readonly nullable: boolean;
  readonly metadata: DeltaFieldMetadata;
}

const PRIMITIVES: ReadonlySet<string> = new Set<DeltaPrimitiveTypeName>([
  'string',
  'long',
  'integer',
  'short',
  'byte',
  'float',
  'double',
  'boolean',
  'binary',
  'date',
  'timestamp',
  'timestamp_ntz',
]);

const DECIMAL_RE = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

export function isStructType(t: DeltaDataType): t is DeltaStructType {
  return typeof t === 'object' && t.type === 'struct';
}
export function isArrayType(t: DeltaDataType): t is DeltaArrayType {
  return typeof t === 'object' && t.type === 'array';
}
export function isMapType(t: DeltaDataType): t is DeltaMapType {
  return typeof t === 'object' && t.type === 'map';
}

/** Precision and scale of a `decimal(p,s)` type name, or undefined for other types. */
export function decimalParts(t: DeltaDataType): { precision: number; scale: number } | undefined {
  if (typeof t !== 'string') return undefined;
  const m = DECIMAL_RE.exec(t);
  if (!m) return undefined;
  return { precision: Number(m[1]), scale: Number(m[2]) };
}

// ---------------------------------------------------------------------------
// Validation of schemaString
// ---------------------------------------------------------------------------

const primitiveSchema = z.string().refine((s) => PRIMITIVES.has(s) || isValidDecimal(s), {
  message: 'unknown primitive type',
});

function isValidDecimal(s: string): boolean {
  const m = DECIMAL_RE.exec(s);
  if (!m) return false;
  const p = Number(m[1]);
  const sc = Number(m[2]);
  return p >= 1 && p <= 38 && sc >= 0 && sc <= p;
}

const dataTypeSchema: z.ZodType<DeltaDataType> = z.lazy(() =>
  z.union([primitiveSchema.transform((s) => normalizeDecimal(s)), structSchema, arraySchema, mapSchema]),
);

const fieldSchema: z.ZodType<DeltaField> = z.lazy(() =>
  z.object({
    name: z.string().min(1),
    type: dataTypeSchema,
    nullable: z.boolean(),
    metadata: z.record(z.string(), z.unknown()).default({}),
  }),
);

const structSchema: z.ZodType<DeltaStructType> = z.lazy(() =>
  z.object({ type: z.literal('struct'), fields: z.array(fieldSchema) }),
);

const arraySchema: z.ZodType<DeltaArrayType> = z.lazy(() =>
  z.object({ type: z.literal('array'), elementType: dataTypeSchema, containsNull: z.boolean() }),
);

const mapSchema: z.ZodType<DeltaMapType> = z.lazy(() =>
  z.object({
    type: z.literal('map'),
    keyType: dataTypeSchema,
    valueType: dataTypeSchema,
    valueContainsNull: z.boolean(),
  }),
);

function normalizeDecimal(s: string): DeltaPrimitiveType {
  const m = DECIMAL_RE.exec(s);
  return (m ? `decimal(${m[1]},${m[2]})` : s) as DeltaPrimitiveType;
}

/** Parses and validates a metaData `schemaString`; throws InvalidSchemaError naming the offending path. */
export function parseSchemaString(json: string): DeltaStructType {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new InvalidSchemaError(`schemaString is not valid JSON: ${(cause as Error).message}`, {}, { cause });
  }
  const result = structSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InvalidSchemaError(`invalid Delta schema${where}: ${issue?.message ?? 'unknown error'}`);
  }
  assertUniqueNames(result.data, '');
  return result.data;
}

/** Compact JSON as Spark writes it into `schemaString`. */
export function schemaToString(schema: DeltaStructType): string {
  return JSON.stringify(schema);
}

function assertUniqueNames(s: DeltaStructType, prefix: string): void {
  const seen = new Set<string>();
  for (const f of s.fields) {
    const key = f.name.toLowerCase();
    if (seen.has(key)) {
      throw new InvalidSchemaError(`duplicate column name "${prefix}${f.name}" (names are case-insensitive)`, {
        column: prefix + f.name,
      });
    }
    seen.add(key);
    if (isStructType(f.type)) assertUniqueNames(f.type, `${prefix}${f.name}.`);
  }
}

// ---------------------------------------------------------------------------
// Arrow → Delta
// ---------------------------------------------------------------------------

export function arrowToDeltaSchema(schema: arrow.Schema): DeltaStructType {
  const struct: DeltaStructType = { type: 'struct', fields: schema.fields.map((f) => arrowFieldToDelta(f, '')) };
  assertUniqueNames(struct, '');
  return struct;
}

function arrowFieldToDelta(field: arrow.Field, prefix: string): DeltaField {
  const path = prefix + field.name;
  return {
    name: field.name,
    type: arrowTypeToDelta(field.type, path),
    nullable: field.nullable,
    metadata: arrowMetadataToDelta(field.metadata),
  };
}

function arrowTypeToDelta(t: arrow.DataType, path: string): DeltaDataType {
  switch (t.typeId) {
    case arrow.Type.Int: {
      const int = t as arrow.Int;
      if (int.isSigned) {
        return ({ 8: 'byte', 16: 'short', 32: 'integer', 64: 'long' } as const)[int.bitWidth];
      }
      // Unsigned ints widen to the next signed type; uint64 has no lossless home.
      if (int.bitWidth === 8) return 'short';
      if (int.bitWidth === 16) return 'integer';
      if (int.bitWidth === 32) return 'long';
      throw new UnsupportedTypeError(path, String(t));
    }
    case arrow.Type.Float: {
      const fl = t as arrow.Float;
      if (fl.precision === arrow.Precision.DOUBLE) return 'double';
      return 'float';
    }
    case arrow.Type.Bool:
      return 'boolean';
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8:
    case arrow.Type.Utf8View:
      return 'string';
    case arrow.Type.Binary:
    case arrow.Type.LargeBinary:
    case arrow.Type.BinaryView:
    case arrow.Type.FixedSizeBinary:
      return 'binary';
    case arrow.Type.Date:
      return 'date';
    case arrow.Type.Timestamp:
      return (t as arrow.Timestamp).timezone ? 'timestamp' : 'timestamp_ntz';
    case arrow.Type.Decimal: {
      const d = t as arrow.Decimal;
      // Delta (as Spark) takes 1 ≤ precision ≤ 38 and 0 ≤ scale ≤ precision; a negative scale would log a schema no reader parses.
      if (d.precision < 1 || d.precision > 38 || d.scale < 0 || d.scale > d.precision) throw new UnsupportedTypeError(path, String(t));
      return `decimal(${d.precision},${d.scale})`;
    }
    case arrow.Type.Dictionary:
      return arrowTypeToDelta((t as arrow.Dictionary).dictionary, path);
    case arrow.Type.Struct:
      return { type: 'struct', fields: (t as arrow.Struct).children.map((c) => arrowFieldToDelta(c, `${path}.`)) };
    case arrow.Type.List:
    case arrow.Type.LargeList:
    case arrow.Type.FixedSizeList: {
      const child = (t as arrow.List).children[0];
      if (!child) throw new UnsupportedTypeError(path, String(t));
      return { type: 'array', elementType: arrowTypeToDelta(child.type, `${path}.element`), containsNull: child.nullable };
    }
    case arrow.Type.Map: {
      const entries = (t as arrow.Map_).children[0]?.type as arrow.Struct | undefined;
      const key = entries?.children[0];
      const value = entries?.children[1];
      if (!key || !value) throw new UnsupportedTypeError(path, String(t));
      return {
        type: 'map',
        keyType: arrowTypeToDelta(key.type, `${path}.key`),
        valueType: arrowTypeToDelta(value.type, `${path}.value`),
        valueContainsNull: value.nullable,
      };
    }
    default:
      throw new UnsupportedTypeError(path, String(t));
  }
}

function arrowMetadataToDelta(md: Map<string, string>): DeltaFieldMetadata {
  const out: Record<string, unknown> = {};
  for (const [k, v] of md) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------
// Delta → Arrow
// ---------------------------------------------------------------------------

export function deltaToArrowSchema(s: DeltaStructType): arrow.Schema {
  return new arrow.Schema(s.fields.map((f) => deltaFieldToArrow(f, '')));
}

export function deltaFieldToArrow(field: DeltaField, prefix = ''): arrow.Field {
  const md = new Map<string, string>();
  // Arrow metadata holds strings only; non-string Delta metadata stays in the log.
  for (const [k, v] of Object.entries(field.metadata)) if (typeof v === 'string') md.set(k, v);
  return new arrow.Field(field.name, deltaTypeToArrow(field.type, prefix + field.name), field.nullable, md);
}

export function deltaTypeToArrow(t: DeltaDataType, path = ''): arrow.DataType {
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        return new arrow.Utf8();
      case 'long':
        return new arrow.Int64();
      case 'integer':
        return new arrow.Int32();
      case 'short':
        return new arrow.Int16();
      case 'byte':
        return new arrow.Int8();
      case 'float':
        return new arrow.Float32();
      case 'double':
        return new arrow.Float64();
      case 'boolean':
        return new arrow.Bool();
      case 'binary':
        return new arrow.Binary();
      case 'date':
        return new arrow.DateDay();
      case 'timestamp':
        return new arrow.TimestampMicrosecond('UTC');
      case 'timestamp_ntz':
        return new arrow.TimestampMicrosecond();
      default: {
        const d = decimalParts(t);
        if (d) return new arrow.Decimal(d.scale, d.precision, 128);
        throw new UnsupportedTypeError(path, String(t));
      }
    }
  }
  switch (t.type) {
    case 'struct':
      return new arrow.Struct(t.fields.map((f) => deltaFieldToArrow(f, `${path}.`)));
    case 'array':
      return new arrow.List(new arrow.Field('element', deltaTypeToArrow(t.elementType, `${path}.element`), t.containsNull));
    case 'map':
      return new arrow.Map_(
        new arrow.Field(
          'key_value',
          new arrow.Struct<{ key: arrow.DataType; value: arrow.DataType }>([
            new arrow.Field('key', deltaTypeToArrow(t.keyType, `${path}.key`), false),
            new arrow.Field('value', deltaTypeToArrow(t.valueType, `${path}.value`), t.valueContainsNull),
          ]),
          false,
        ),
      );
  }
}

/** Structural type equality (container nullability flags ignored). */
export function deltaTypesEqual(a: DeltaDataType, b: DeltaDataType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.type === 'struct' && b.type === 'struct') {
    if (a.fields.length !== b.fields.length) return false;
    return a.fields.every((f, i) => {
      const g = b.fields[i];
      return g !== undefined && g.name === f.name && deltaTypesEqual(f.type, g.type);
    });
  }
  if (a.type === 'array' && b.type === 'array') return deltaTypesEqual(a.elementType, b.elementType);
  if (a.type === 'map' && b.type === 'map') {
    return deltaTypesEqual(a.keyType, b.keyType) && deltaTypesEqual(a.valueType, b.valueType);
  }
  return false;
}

/** Human-readable type name for messages. */
export function deltaTypeName(t: DeltaDataType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'struct') return `struct<${t.fields.map((f) => `${f.name}:${deltaTypeName(f.type)}`).join(',')}>`;
  if (t.type === 'array') return `array<${deltaTypeName(t.elementType)}>`;
  return `map<${deltaTypeName(t.keyType)},${deltaTypeName(t.valueType)}>`;
}
