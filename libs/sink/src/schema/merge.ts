/**
 * Schema evolution on append: decides whether an incoming schema fits the
 * table's, and what the merged schema is. Expected failures are values.
 */
import {
  deltaTypeName,
  deltaTypesEqual,
  isStructType,
  type DeltaField,
  type DeltaStructType,
} from './delta-schema.js';
import { columnKey } from './column-names.js';

export type MergeSchemaFailureCode = 'SCHEMA_MISMATCH' | 'TYPE_CHANGE' | 'NOT_NULLABLE';

export type MergeSchemaResult =
  | { readonly ok: true; readonly schema: DeltaStructType; readonly added: string[] }
  | { readonly ok: false; readonly code: MergeSchemaFailureCode; readonly columns: string[]; readonly message: string };

export interface MergeSchemaOptions {
  /** Allow new nullable columns to be added to the table schema. */
  readonly mergeSchema: boolean;
}

interface Problems {
  typeChanges: string[];
  notNullable: string[];
  newColumns: string[];
  added: string[];
}

/**
 * - columns in both: types must be equal (structs merge recursively);
 * - new columns: nullable ones are added when `mergeSchema`, otherwise refused;
 *   non-nullable new columns are always refused (existing rows would violate them);
 * - columns missing from `incoming`: fine when nullable (they read as null).
 * Names match case-insensitively, as Delta column names are (`column-names.ts`).
 */
export function mergeSchemas(
  current: DeltaStructType,
  incoming: DeltaStructType,
  options: MergeSchemaOptions,
): MergeSchemaResult {
  const p: Problems = { typeChanges: [], notNullable: [], newColumns: [], added: [] };
  const schema = mergeStruct(current, incoming, '', options, p);
  if (p.typeChanges.length > 0) {
    return fail('TYPE_CHANGE', p.typeChanges, `type changes are not allowed: ${p.typeChanges.join('; ')}`);
  }
  if (p.notNullable.length > 0) {
    return fail(
      'NOT_NULLABLE',
      p.notNullable,
      `non-nullable columns must be present and cannot be added: ${p.notNullable.join(', ')}`,
    );
  }
  if (p.newColumns.length > 0) {
    return fail(
      'SCHEMA_MISMATCH',
      p.newColumns,
      `incoming data has columns not in the table schema: ${p.newColumns.join(', ')} (append with mergeSchema to add them)`,
    );
  }
  return { ok: true, schema, added: p.added };
}

function fail(code: MergeSchemaFailureCode, details: string[], message: string): MergeSchemaResult {
  // Details for type changes carry "col: a -> b"; the columns list is names only.
  const columns = details.map((d) => d.split(': ')[0] ?? d);
  return { ok: false, code, columns, message };
}

function mergeStruct(
  current: DeltaStructType,
  incoming: DeltaStructType,
  prefix: string,
  options: MergeSchemaOptions,
  p: Problems,
): DeltaStructType {
  const byName = new Map<string, DeltaField>();
  for (const f of incoming.fields) byName.set(columnKey(f.name), f);
  const seen = new Set<string>();
  const fields: DeltaField[] = [];

  for (const cur of current.fields) {
    const key = columnKey(cur.name);
    const inc = byName.get(key);
    const path = prefix + cur.name;
    if (!inc) {
      if (!cur.nullable) p.notNullable.push(path);
      fields.push(cur);
      continue;
    }
    seen.add(key);
    if (isStructType(cur.type) && isStructType(inc.type)) {
      fields.push({ ...cur, type: mergeStruct(cur.type, inc.type, `${path}.`, options, p) });
    } else if (deltaTypesEqual(cur.type, inc.type)) {
      fields.push(cur);
    } else {
      p.typeChanges.push(`${path}: ${deltaTypeName(cur.type)} -> ${deltaTypeName(inc.type)}`);
      fields.push(cur);
    }
  }

  for (const inc of incoming.fields) {
    if (seen.has(columnKey(inc.name))) continue;
    const path = prefix + inc.name;
    if (!inc.nullable) p.notNullable.push(path);
    else if (!options.mergeSchema) p.newColumns.push(path);
    else {
      p.added.push(path);
      fields.push(inc);
    }
  }
  return { type: 'struct', fields };
}
