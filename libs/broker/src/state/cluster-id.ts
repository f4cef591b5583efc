/** Kafka's cluster id: random once per data directory, then stable (Kafka keeps it in meta.properties). */
import { randomBytes } from 'node:crypto';
import { BrokerError } from '../errors.js';
import { readJsonFile, statePath, writeJsonFileAtomic } from './files.js';

export const CLUSTER_FILE = 'cluster.json';

export async function loadClusterId(dataDir: string): Promise<string> {
  const path = statePath(dataDir, CLUSTER_FILE);
  const raw = await readJsonFile(path);
  if (raw !== undefined) {
    const id = (raw as { clusterId?: unknown }).clusterId;
    if (typeof id !== 'string' || id.length === 0) throw new BrokerError('STORAGE_ERROR', 'cluster id file is unreadable', { path });
    return id;
  }
  const clusterId = randomBytes(16).toString('base64url');
  await writeJsonFileAtomic(path, { version: 1, clusterId });
  return clusterId;
}
