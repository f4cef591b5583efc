import { describe, expect, it } from 'vitest';
import type { DeltaStructType } from '../schema/delta-schema.js';
import { protocolForNewTable, upgradeProtocolFor, usesTimestampNtz } from './protocol-features.js';

const schema = (type: DeltaStructType['fields'][number]['type']): DeltaStructType => ({ type: 'struct', fields: [{ name: 'c', type, nullable: true, metadata: {} }] });

describe('protocol features for timestamp_ntz (#8.9)', () => {
  it('finds timestamp_ntz at any depth', () => {
    expect(usesTimestampNtz(schema('timestamp'))).toBe(false);
    expect(usesTimestampNtz(schema({ type: 'map', keyType: 'string', valueType: { type: 'array', elementType: 'timestamp_ntz', containsNull: true }, valueContainsNull: true }))).toBe(true);
    expect(protocolForNewTable(schema({ type: 'struct', fields: [{ name: 't', type: 'timestamp_ntz', nullable: true, metadata: {} }] }), { 'delta.appendOnly': 'true' }))
      .toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz', 'appendOnly'] });
  });

  it('upgrades keep what the table supports and add timestampNtz to both lists once', () => {
    const ntz = schema('timestamp_ntz');
    expect(upgradeProtocolFor({ minReaderVersion: 1, minWriterVersion: 2 }, schema('long'))).toBeUndefined();
    expect(upgradeProtocolFor({ minReaderVersion: 1, minWriterVersion: 1 }, ntz)).toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz'] });
    expect(upgradeProtocolFor({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['appendOnly'] }, ntz))
      .toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['appendOnly', 'timestampNtz'] });
    expect(upgradeProtocolFor({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz'] }, ntz)).toBeUndefined();
  });
});
