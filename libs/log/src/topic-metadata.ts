/**
 * A topic's durable description: `<dir>/topics/<name>.json` holding its id,
 * partition count and config overrides, replaced atomically. The file is
 * the source of truth for "this topic exists"; partition directories follow.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogConfig } from './config.js';
import { LogError } from './errors.js';
import { fsyncDir, writeFileAtomic } from './files.js';

export const TOPICS_DIR = 'topics';
const FORMAT_VERSION = 1;
/** Kafka's limit: topic names end up in file names with a partition suffix. */
const MAX_TOPIC_NAME = 249;
const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

export interface TopicMetadata {
  readonly name: string;
  /** Kafka topic id (UUID), stable for the topic's life; a re-created topic gets a new one. */
  readonly topicId: string;
  readonly partitions: number;
  /** Per-topic overrides; unset fields follow the manager's defaults. */
  readonly config: Partial<LogConfig>;
  readonly createdAt: number;
}

/** Why `name` cannot be a topic name (Kafka's rules), or undefined. */
export function checkTopicName(name: string): string | undefined {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > MAX_TOPIC_NAME) return `topic name is longer than ${MAX_TOPIC_NAME} characters`;
  if (!TOPIC_NAME.test(name)) return `topic name ${JSON.stringify(name)} has characters other than ASCII letters, digits, '.', '_' and '-'`;
  return undefined;
}

export function newTopicMetadata(name: string, partitions: number, config: Partial<LogConfig>, now: number): TopicMetadata {
  return { name, topicId: randomUUID(), partitions, config, createdAt: now };
}

export async function writeTopicMetadata(dataDir: string, meta: TopicMetadata): Promise<void> {
  const dir = join(dataDir, TOPICS_DIR);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, `${meta.name}.json`), `${JSON.stringify({ version: FORMAT_VERSION, ...meta }, null, 2)}\n`);
}

export async function removeTopicMetadata(dataDir: string, name: string): Promise<void> {
  const dir = join(dataDir, TOPICS_DIR);
  await rm(join(dir, `${name}.json`), { force: true });
  await fsyncDir(dir);
}

/** Every topic described under `dataDir`; throws CORRUPT_FILE for a file that is not valid metadata. */
export async function readAllTopicMetadata(dataDir: string): Promise<TopicMetadata[]> {
  const dir = join(dataDir, TOPICS_DIR);
  await mkdir(dir, { recursive: true });
  const out: TopicMetadata[] = [];
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith('.json')) {
      if (file.endsWith('.tmp')) await rm(join(dir, file), { force: true });
      continue;
    }
    const path = join(dir, file);
    const meta = parseTopicMetadata(await readFile(path, 'utf8'));
    if (!meta || `${meta.name}.json` !== file) throw new LogError('CORRUPT_FILE', 'not a topic metadata file', { file: path });
    out.push(meta);
  }
  return out;
}

function parseTopicMetadata(text: string): TopicMetadata | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (r['version'] !== FORMAT_VERSION) return undefined;
  const { name, topicId, partitions, config, createdAt } = r;
  if (typeof name !== 'string' || checkTopicName(name) !== undefined) return undefined;
  if (typeof topicId !== 'string' || typeof createdAt !== 'number') return undefined;
  if (typeof partitions !== 'number' || !Number.isInteger(partitions) || partitions < 1) return undefined;
  if (typeof config !== 'object' || config === null) return undefined;
  // The config object is re-validated by resolveLogConfig when the partitions open.
  return { name, topicId, partitions, config: config as Partial<LogConfig>, createdAt };
}
