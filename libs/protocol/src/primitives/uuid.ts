import { Buffer } from 'node:buffer';
import { ProtocolError } from '../errors.js';

/**
 * Kafka UUIDs (topic ids) travel as 16 raw bytes and are shown as 22
 * characters of unpadded base64url, as Kafka's `Uuid.toString()` does, so
 * ids printed by Kafka tools compare equal to ours.
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function uuidFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function uuidToBytes(uuid: string): Uint8Array {
  const bytes = /^[A-Za-z0-9_-]{22}$/.test(uuid) ? Buffer.from(uuid, 'base64url') : undefined;
  if (bytes === undefined || bytes.length !== 16 || uuidFromBytes(bytes) !== uuid) {
    throw new ProtocolError('INVALID_VALUE', `not a Kafka UUID (22 base64url characters): ${JSON.stringify(uuid)}`);
  }
  return bytes;
}
