import { z } from 'zod';
import { F1Event, F1_EVENT_SCHEMAS, F1_EVENT_TYPES } from '../f1.js';
import { SatelliteSample } from '../satellite.js';
import { WIRE_SCHEMAS } from '../wire.js';
import { SchemaRegistry, type SchemaRegistryOptions } from './registry.js';

const wireSchemaFor: Record<(typeof WIRE_SCHEMAS)[number]['rootTable'], z.ZodType> = {
  SatelliteSample,
  F1Event,
  SatelliteFrame: z.strictObject({ samples: z.array(SatelliteSample) }),
  F1Frame: z.strictObject({ events: z.array(F1Event) }),
};

/** Registry subject of one F1 event type, e.g. `lakestream.f1.tire`. */
export const f1EventSubject = (type: string): string => `lakestream.f1.${type}`;

/**
 * A registry holding lakestream's own schemas: the wire subjects first, so
 * their global ids are exactly WIRE_SCHEMAS' ids, then one subject per F1
 * event type.
 */
export function builtinRegistry(options: SchemaRegistryOptions = {}): SchemaRegistry {
  const registry = new SchemaRegistry(options);
  for (const wire of WIRE_SCHEMAS) {
    const registered = registry.register(wire.subject, wireSchemaFor[wire.rootTable]);
    if (registered.id !== wire.id || registered.version !== wire.version) {
      throw new Error(`builtin registry drifted from WIRE_SCHEMAS: ${wire.subject} got id ${registered.id} v${registered.version}`);
    }
  }
  for (const type of F1_EVENT_TYPES) registry.register(f1EventSubject(type), F1_EVENT_SCHEMAS[type]);
  return registry;
}
