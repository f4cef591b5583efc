import type { Schema } from 'apache-arrow';
import { deltaToArrowSchema, parseSchemaString, type DeltaStructType } from '../schema/delta-schema.js';
import type { Snapshot } from '../log/snapshot.js';

/** Parsed schemas, cached per snapshot: a streaming writer asks on every batch. */
const deltaCache = new WeakMap<Snapshot, DeltaStructType>();
const arrowCache = new WeakMap<Snapshot, Schema>();

export function deltaSchemaOf(snapshot: Snapshot): DeltaStructType {
  let s = deltaCache.get(snapshot);
  if (!s) {
    s = parseSchemaString(snapshot.metadata.schemaString);
    deltaCache.set(snapshot, s);
  }
  return s;
}

export function arrowSchemaOf(snapshot: Snapshot): Schema {
  let s = arrowCache.get(snapshot);
  if (!s) {
    s = deltaToArrowSchema(deltaSchemaOf(snapshot));
    arrowCache.set(snapshot, s);
  }
  return s;
}
