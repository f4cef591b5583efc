import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IncompatibleSchemaError } from '../errors.js';
import { F1_EVENT_TYPES, TireEvent } from '../f1.js';
import { WIRE_SCHEMAS } from '../wire.js';
import { builtinRegistry, f1EventSubject } from './builtin.js';
import { SchemaRegistry } from './registry.js';

const v1 = z.strictObject({ id: z.int(), name: z.string(), kind: z.enum(['a', 'b']) });

describe('SchemaRegistry', () => {
  it('numbers versions per subject, gives global ids and is idempotent for an identical schema', () => {
    const r = new SchemaRegistry();
    const a = r.register('s1', v1);
    const b = r.register('s2', v1);
    expect([a.id, a.version, b.id, b.version]).toEqual([1, 1, 2, 1]);
    expect(r.register('s1', v1)).toBe(a);
    const a2 = r.register('s1', v1.extend({ note: z.string().optional() }));
    expect([a2.id, a2.version]).toEqual([3, 2]);
    expect(r.byId(3)).toBe(a2);
    expect(r.latest('s1')).toBe(a2);
    expect(r.get('s1', 1)).toBe(a);
    expect(r.listSubjects()).toEqual(['s1', 's2']);
  });

  it('BACKWARD (default) refuses a new required field and names it', () => {
    const r = new SchemaRegistry();
    r.register('s', v1);
    const next = v1.extend({ score: z.number() });
    expect(() => r.register('s', next)).toThrowError(IncompatibleSchemaError);
    try {
      r.register('s', next);
    } catch (err) {
      expect(err).toBeInstanceOf(IncompatibleSchemaError);
      const e = err as IncompatibleSchemaError;
      expect(e.field).toBe('score');
      expect(e.code).toBe('INCOMPATIBLE_SCHEMA');
      expect(e.message).toContain("field 'score'");
      expect(e.message).toContain('BACKWARD');
    }
    // An optional field or a removed field is fine for BACKWARD.
    expect(r.register('s', v1.extend({ score: z.number().optional() })).version).toBe(2);
    expect(r.register('s', z.strictObject({ id: z.int(), kind: z.enum(['a', 'b']) })).version).toBe(3);
  });

  it('refuses a type change in every mode but NONE, naming the field', () => {
    const changed = z.strictObject({ id: z.string(), name: z.string(), kind: z.enum(['a', 'b']) });
    for (const mode of ['BACKWARD', 'FORWARD', 'FULL'] as const) {
      const r = new SchemaRegistry({ defaultCompatibility: mode });
      r.register('s', v1);
      const t = r.test('s', changed);
      expect(t).toMatchObject({ compatible: false, field: 'id', against: 1 });
    }
    const none = new SchemaRegistry({ defaultCompatibility: 'NONE' });
    none.register('s', v1);
    expect(none.register('s', changed).version).toBe(2);
  });

  it('FORWARD refuses removing a required field; BACKWARD allows it; FULL refuses it', () => {
    const removed = z.strictObject({ id: z.int(), kind: z.enum(['a', 'b']) });
    const verdict = (mode: 'BACKWARD' | 'FORWARD' | 'FULL') => {
      const r = new SchemaRegistry({ defaultCompatibility: mode });
      r.register('s', v1);
      return r.test('s', removed);
    };
    expect(verdict('BACKWARD')).toEqual({ compatible: true });
    expect(verdict('FORWARD')).toMatchObject({ compatible: false, field: 'name' });
    expect(verdict('FULL')).toMatchObject({ compatible: false, field: 'name' });
  });

  it('checks enums: BACKWARD refuses dropping a value, FORWARD refuses adding one', () => {
    const dropped = z.strictObject({ id: z.int(), name: z.string(), kind: z.enum(['a']) });
    const added = z.strictObject({ id: z.int(), name: z.string(), kind: z.enum(['a', 'b', 'c']) });
    const r = new SchemaRegistry();
    r.register('s', v1);
    expect(r.test('s', dropped)).toMatchObject({ compatible: false, field: 'kind' });
    expect(r.test('s', added)).toEqual({ compatible: true });
    r.setCompatibility('s', 'FORWARD');
    expect(r.test('s', added)).toMatchObject({ compatible: false, field: 'kind' });
  });

  it('transitive modes check every earlier version, not just the latest', () => {
    const history = [z.strictObject({ a: z.int() }), z.strictObject({})];
    const next = z.strictObject({ a: z.string().optional() });
    const plain = new SchemaRegistry();
    const transitive = new SchemaRegistry({ defaultCompatibility: 'BACKWARD_TRANSITIVE' });
    for (const s of history) {
      plain.register('s', s);
      transitive.register('s', s);
    }
    // Against v2 alone, an optional `a` is fine; v1 data holds `a` as an integer.
    expect(plain.test('s', next)).toEqual({ compatible: true });
    expect(transitive.test('s', next)).toMatchObject({ compatible: false, field: 'a', against: 1 });
  });

  it('checks nested fields of unions, naming the nested path', () => {
    const r = new SchemaRegistry();
    const wrap = (tire: z.ZodType) => z.strictObject({ events: z.array(tire) });
    r.register('frames', wrap(TireEvent));
    const bad = wrap(TireEvent.extend({ pressure_psi: z.string() }));
    expect(r.test('frames', bad)).toMatchObject({ compatible: false, field: 'events[].pressure_psi' });
  });
});

describe('builtinRegistry', () => {
  it('gives the wire subjects exactly the ids of WIRE_SCHEMAS and one subject per F1 event type', () => {
    const r = builtinRegistry();
    for (const wire of WIRE_SCHEMAS) {
      expect(r.byId(wire.id)).toMatchObject({ subject: wire.subject, version: wire.version });
    }
    for (const type of F1_EVENT_TYPES) expect(r.latest(f1EventSubject(type)).version).toBe(1);
    // Re-registering the current schemas is a no-op: the checked-in schemas are self-compatible.
    expect(r.register(WIRE_SCHEMAS[1].subject, r.byId(2).schema).id).toBe(2);
  });
});
