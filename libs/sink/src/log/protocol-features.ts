import type { DeltaDataType, DeltaStructType } from '../schema/delta-schema.js';
import type { ProtocolAction } from './actions.js';

/**
 * The protocol a table needs for what its schema uses (PROTOCOL.md "Table
 * Features"). Natively we write reader 1 / writer 2; a `timestamp_ntz`
 * column anywhere in the schema needs reader 3 / writer 7 with the
 * `timestampNtz` feature in both `readerFeatures` and `writerFeatures`.
 */
const TIMESTAMP_NTZ = 'timestampNtz';

/**
 * Features a writer-version-N table supports implicitly; PROTOCOL.md: on an
 * upgrade to writer 7 the writer "must assume a feature has been used, unless
 * it can prove" otherwise, so they are all listed. (Writers refuse writer
 * versions 3-6, so only 1 and 2 reach an upgrade here.)
 */
const LEGACY_WRITER_FEATURES: readonly (readonly [minWriter: number, feature: string])[] = [
  [2, 'appendOnly'], [2, 'invariants'], [3, 'checkConstraints'], [4, 'changeDataFeed'], [4, 'generatedColumns'], [5, 'columnMapping'], [6, 'identityColumns'],
];

/** Whether `type` is or contains `timestamp_ntz` (inside structs, arrays and maps too). */
export function usesTimestampNtz(type: DeltaDataType): boolean {
  if (typeof type === 'string') return type === 'timestamp_ntz';
  switch (type.type) {
    case 'struct':
      return type.fields.some((f) => usesTimestampNtz(f.type));
    case 'array':
      return usesTimestampNtz(type.elementType);
    case 'map':
      return usesTimestampNtz(type.keyType) || usesTimestampNtz(type.valueType);
  }
}

/** Protocol of a new table: 1/2, or 3/7 listing `timestampNtz` plus the writer features its configuration and schema turn on. */
export function protocolForNewTable(schema: DeltaStructType, configuration: Readonly<Record<string, string>>): ProtocolAction {
  if (!usesTimestampNtz(schema)) return { minReaderVersion: 1, minWriterVersion: 2 };
  const writerFeatures = [TIMESTAMP_NTZ];
  // At writer 7, delta.appendOnly and column invariants are only honoured when their feature is listed.
  if (configuration['delta.appendOnly'] === 'true') writerFeatures.push('appendOnly');
  if (schema.fields.some((f) => f.metadata['delta.invariants'] !== undefined)) writerFeatures.push('invariants');
  return { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [TIMESTAMP_NTZ], writerFeatures };
}

/**
 * The protocol to commit with a schema change, or `undefined` when `current`
 * already supports everything `schema` uses. The upgrade keeps every
 * feature `current` supports, explicitly listed.
 */
export function upgradeProtocolFor(current: ProtocolAction, schema: DeltaStructType): ProtocolAction | undefined {
  if (!usesTimestampNtz(schema)) return undefined;
  const readerFeatures = current.minReaderVersion >= 3 ? [...(current.readerFeatures ?? [])] : current.minReaderVersion === 2 ? ['columnMapping'] : [];
  const writerFeatures = current.minWriterVersion >= 7
    ? [...(current.writerFeatures ?? [])]
    : LEGACY_WRITER_FEATURES.filter(([min]) => current.minWriterVersion >= min).map(([, f]) => f);
  // A reader feature is listed in both lists (PROTOCOL.md "Supported Features").
  for (const f of readerFeatures) if (!writerFeatures.includes(f)) writerFeatures.push(f);
  const hasIt = current.minReaderVersion >= 3 && current.minWriterVersion >= 7 && readerFeatures.includes(TIMESTAMP_NTZ) && writerFeatures.includes(TIMESTAMP_NTZ);
  if (hasIt) return undefined;
  if (!readerFeatures.includes(TIMESTAMP_NTZ)) readerFeatures.push(TIMESTAMP_NTZ);
  if (!writerFeatures.includes(TIMESTAMP_NTZ)) writerFeatures.push(TIMESTAMP_NTZ);
  return { minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures };
}
