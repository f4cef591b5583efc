import { z } from 'zod';
import { isSinkError } from '../errors.js';
import type { LogStore } from '../storage/log-store.js';
import { LOG_DIR } from './commit-file.js';

export const LAST_CHECKPOINT_PATH = `${LOG_DIR}/_last_checkpoint`;

const lastCheckpointSchema = z.looseObject({
  version: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  parts: z.number().int().positive().nullish(),
  sizeInBytes: z.number().nullish(),
  numOfAddFiles: z.number().nullish(),
});

export type LastCheckpoint = z.infer<typeof lastCheckpointSchema>;

/**
 * `_last_checkpoint` is a hint: a missing or unreadable one only means we
 * find the checkpoint by listing, so failures here are `undefined`, not errors.
 */
export async function readLastCheckpoint(store: LogStore): Promise<LastCheckpoint | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await store.read(LAST_CHECKPOINT_PATH);
  } catch (error) {
    if (isSinkError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
  try {
    const parsed = lastCheckpointSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeLastCheckpoint(store: LogStore, value: { version: number; size: number; parts?: number; sizeInBytes?: number; numOfAddFiles?: number }): Promise<void> {
  await store.write(LAST_CHECKPOINT_PATH, new TextEncoder().encode(JSON.stringify(value)));
}
