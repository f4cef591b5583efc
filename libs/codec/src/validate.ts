import { F1_EVENT_SCHEMAS, SatelliteSample, type F1Event } from '@lakestream/schema';
import { CodecError } from './errors.js';

/**
 * Range checks for decode's `validate` option: the zod schema of each event.
 * Structure is already guaranteed by the verifier; this only finds values
 * outside their physical range (or strings outside their length limits).
 */
export function validateSatellite(events: readonly SatelliteSample[], schemaId: number): void {
  events.forEach((event, i) => {
    const result = SatelliteSample.safeParse(event);
    if (!result.success) throw invalidEvent(event, result.error.issues[0], '', i, schemaId);
  });
}

export function validateF1(events: readonly F1Event[], schemaId: number): void {
  events.forEach((event, i) => {
    const result = F1_EVENT_SCHEMAS[event.type].safeParse(event);
    if (!result.success) throw invalidEvent(event, result.error.issues[0], `${event.type}.`, i, schemaId);
  });
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function invalidEvent(event: object, issue: Issue | undefined, prefix: string, eventIndex: number, schemaId: number): CodecError {
  const path = issue?.path ?? [];
  const field = prefix + path.map(String).join('.');
  let value: unknown = event;
  for (const key of path) value = (value as Record<PropertyKey, unknown>)[key];
  const shown = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
  return new CodecError('INVALID_EVENT', `${field} = ${shown}: ${issue?.message ?? 'invalid'}`, {
    schemaId,
    eventIndex,
    field,
  });
}
