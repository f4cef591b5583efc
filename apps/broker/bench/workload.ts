/**
 * The benchmark's messages: deterministic keys and ~150-byte values, the same
 * bytes for kafkajs (objects) and kcat (a `key:value` line file), so every
 * client sends an identical workload to both brokers.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Distinct keys; enough that both partitioners (kafkajs murmur2, librdkafka consistent_random) spread them evenly. */
export const KEY_COUNT = 1024;
export const VALUE_BYTES = 150;
/** Distinct values; message i uses value i mod VALUE_POOL (no compression, so repetition costs nothing). */
const VALUE_POOL = 10_007;
/** Base64url alphabet: no ':' (kcat's key delimiter here) and no newline (kcat's message delimiter). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let keys: string[] | undefined;
let values: string[] | undefined;

export function keyOf(i: number): string {
  keys ??= Array.from({ length: KEY_COUNT }, (_, k) => `sensor-${String(k).padStart(4, '0')}`);
  return keys[i % KEY_COUNT] as string;
}

export function valueOf(i: number): string {
  values ??= buildValues();
  return values[i % VALUE_POOL] as string;
}

/** Key + value bytes of message i (all ASCII). MB/s in the report counts these payload bytes. */
export function payloadBytesOf(i: number): number {
  return keyOf(i).length + valueOf(i).length;
}

export function payloadBytes(count: number): number {
  // Keys are all the same length and values all VALUE_BYTES long.
  return count * payloadBytesOf(0);
}

function buildValues(): string[] {
  let state = 0x2545f491;
  const next = () => {
    // xorshift32: fixed seed, so every run and every client sends the same bytes.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return Array.from({ length: VALUE_POOL }, (_, v) => {
    const head = `v${String(v).padStart(5, '0')}|`;
    let body = '';
    while (head.length + body.length < VALUE_BYTES) body += ALPHABET[next() % ALPHABET.length];
    return head + body;
  });
}

export interface Message {
  readonly key: string;
  readonly value: string;
}

/** Messages [from, from + count) in batches of `batchSize`, built before timing starts. */
export function messageBatches(from: number, count: number, batchSize: number): Message[][] {
  const batches: Message[][] = [];
  for (let start = from; start < from + count; start += batchSize) {
    const end = Math.min(start + batchSize, from + count);
    const batch: Message[] = new Array(end - start);
    for (let i = start; i < end; i++) batch[i - start] = { key: keyOf(i), value: valueOf(i) };
    batches.push(batch);
  }
  return batches;
}

/** Writes messages [0, count) as `key:value\n` lines for `kcat -P -K : -l <file>`. */
export async function writeKcatFile(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = 10_000;
  for (let start = 0; start < count; start += chunk) {
    let text = '';
    const end = Math.min(start + chunk, count);
    for (let i = start; i < end; i++) text += `${keyOf(i)}:${valueOf(i)}\n`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
