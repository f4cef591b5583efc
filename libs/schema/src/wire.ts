/**
 * Wire schemas: what a Kafka message's 4-byte schema id means. Ids are global
 * and never reused, as in Confluent's registry; each names a registry subject
 * and version (see registry/). Shape `single` carries one event, `frame` many
 * events of one source.
 */
export type WireSource = 'satellite' | 'f1';
export type WireShape = 'single' | 'frame';

export interface WireSchema {
  readonly id: number;
  readonly subject: string;
  readonly version: number;
  readonly source: WireSource;
  readonly shape: WireShape;
  /** FlatBuffers root table in fbs/telemetry.fbs. */
  readonly rootTable: string;
}

export const WIRE_SCHEMAS = [
  { id: 1, subject: 'lakestream.satellite.SatelliteSample', version: 1, source: 'satellite', shape: 'single', rootTable: 'SatelliteSample' },
  { id: 2, subject: 'lakestream.f1.F1Event', version: 1, source: 'f1', shape: 'single', rootTable: 'F1Event' },
  { id: 3, subject: 'lakestream.satellite.SatelliteFrame', version: 1, source: 'satellite', shape: 'frame', rootTable: 'SatelliteFrame' },
  { id: 4, subject: 'lakestream.f1.F1Frame', version: 1, source: 'f1', shape: 'frame', rootTable: 'F1Frame' },
] as const satisfies readonly WireSchema[];

export type WireSchemaId = (typeof WIRE_SCHEMAS)[number]['id'];

export const WIRE_SCHEMA_IDS = {
  satelliteSample: 1,
  f1Event: 2,
  satelliteFrame: 3,
  f1Frame: 4,
} as const satisfies Record<string, WireSchemaId>;

const byId = new Map<number, WireSchema>(WIRE_SCHEMAS.map((s) => [s.id, s]));

/** The wire schema for an id, or undefined when this build does not know it. */
export function wireSchema(id: number): WireSchema | undefined {
  return byId.get(id);
}
