import type { z } from 'zod';
import { IncompatibleSchemaError, SchemaError } from '../errors.js';
import { toJsonSchema, type JsonSchema } from '../json-schema.js';
import { checkCompatibility, type CompatibilityMode } from './compatibility.js';

export interface RegisteredSchema {
  /** Global id, unique across subjects, never reused: what goes into a message's 4-byte schema id. */
  readonly id: number;
  readonly subject: string;
  /** 1-based version within the subject. */
  readonly version: number;
  readonly schema: JsonSchema;
}

export interface SchemaRegistryOptions {
  /** Compatibility mode for subjects that have none set. Default BACKWARD, as Confluent's. */
  readonly defaultCompatibility?: CompatibilityMode;
}

const canonical = (schema: JsonSchema): string => JSON.stringify(schema, (_k, v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
);

/**
 * An in-process schema registry with Confluent's semantics: subjects with
 * numbered versions, global ids, per-subject compatibility modes checked on
 * register. Registering a schema identical to an existing version of the
 * subject returns that version (idempotent).
 */
export class SchemaRegistry {
  private readonly subjects = new Map<string, RegisteredSchema[]>();
  private readonly modes = new Map<string, CompatibilityMode>();
  private readonly ids = new Map<number, RegisteredSchema>();
  private nextId = 1;
  private readonly defaultMode: CompatibilityMode;

  constructor(options: SchemaRegistryOptions = {}) {
    this.defaultMode = options.defaultCompatibility ?? 'BACKWARD';
  }

  compatibility(subject: string): CompatibilityMode {
    return this.modes.get(subject) ?? this.defaultMode;
  }

  setCompatibility(subject: string, mode: CompatibilityMode): void {
    this.modes.set(subject, mode);
  }

  /** Registers a new version, or throws IncompatibleSchemaError naming the field that breaks the subject's mode. */
  register(subject: string, schema: JsonSchema | z.ZodType): RegisteredSchema {
    const json = isZod(schema) ? toJsonSchema(schema) : schema;
    const versions = this.subjects.get(subject) ?? [];
    const key = canonical(json);
    const existing = versions.find((v) => canonical(v.schema) === key);
    if (existing) return existing;
    const mode = this.compatibility(subject);
    const failure = checkCompatibility(mode, json, versions.map((v) => v.schema));
    if (failure) {
      const first = failure.problems[0] ?? { field: '(root)', problem: 'is incompatible' };
      throw new IncompatibleSchemaError(subject, mode, first.field, first.problem, failure.against);
    }
    const registered: RegisteredSchema = { id: this.nextId++, subject, version: versions.length + 1, schema: json };
    versions.push(registered);
    this.subjects.set(subject, versions);
    this.ids.set(registered.id, registered);
    return registered;
  }

  /** Would `schema` be accepted as the next version? Problems as values, nothing registered. */
  test(subject: string, schema: JsonSchema | z.ZodType): { compatible: true } | { compatible: false; field: string; problem: string; against: number } {
    const json = isZod(schema) ? toJsonSchema(schema) : schema;
    const failure = checkCompatibility(this.compatibility(subject), json, (this.subjects.get(subject) ?? []).map((v) => v.schema));
    if (!failure) return { compatible: true };
    const first = failure.problems[0] ?? { field: '(root)', problem: 'is incompatible' };
    return { compatible: false, ...first, against: failure.against };
  }

  listSubjects(): string[] {
    return [...this.subjects.keys()].sort();
  }

  versions(subject: string): readonly RegisteredSchema[] {
    const versions = this.subjects.get(subject);
    if (!versions) throw new SchemaError('UNKNOWN_SUBJECT', `no subject ${subject} in the registry`, { subject });
    return versions;
  }

  latest(subject: string): RegisteredSchema {
    const versions = this.versions(subject);
    return versions[versions.length - 1] as RegisteredSchema;
  }

  get(subject: string, version: number): RegisteredSchema {
    const found = this.versions(subject)[version - 1];
    if (!found) throw new SchemaError('UNKNOWN_VERSION', `subject ${subject} has no version ${version}`, { subject, version });
    return found;
  }

  byId(id: number): RegisteredSchema {
    const found = this.ids.get(id);
    if (!found) throw new SchemaError('UNKNOWN_SCHEMA_ID', `no schema with id ${id} in the registry`, { id });
    return found;
  }
}

function isZod(schema: JsonSchema | z.ZodType): schema is z.ZodType {
  return typeof (schema as { safeParse?: unknown }).safeParse === 'function';
}
