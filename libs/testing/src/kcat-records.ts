import { KcatError } from './errors.js';

/** One Kafka record as kcat read it back, bytes exactly as stored. */
export interface KcatRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Null for a record without key. */
  readonly key: Buffer | null;
  /** Null for a tombstone (null value). */
  readonly value: Buffer | null;
  /** Record timestamp in ms since the epoch, -1 when the broker has none. */
  readonly timestamp: number;
  /** Record headers, only when read with `kcatConsume({ headers: true })`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * kcat `-f` format that is safe for arbitrary bytes: a one-line ASCII header
 * with the key length (`%K`, -1 for null) and coordinates, then the raw key,
 * then the value length as a binary big-endian int32 (`%R`, -1 for null) and
 * the raw value. Lengths, never delimiters, frame the payloads, so FlatBuffers
 * bytes containing newlines or NULs read back intact.
 */
export const KCAT_RECORD_FORMAT = '@%K %p %o %T %t\\n%k%R%s';

const AT = 0x40;
const NEWLINE = 0x0a;

/** Result of parsing a prefix of kcat output: whole records and how many bytes they used. */
export interface ParsedKcatOutput {
  readonly records: KcatRecord[];
  /** Bytes consumed; the rest is an incomplete record (kcat was stopped mid-write). */
  readonly consumed: number;
}

/**
 * Parses kcat output written with {@link KCAT_RECORD_FORMAT}. Incomplete
 * trailing data is left unconsumed; anything that is not that format raises
 * `KCAT_OUTPUT_INVALID`.
 */
export function parseKcatRecords(output: Buffer): ParsedKcatOutput {
  const records: KcatRecord[] = [];
  let pos = 0;
  while (pos < output.length) {
    if (output[pos] !== AT) throw invalid(`expected '@' at byte ${pos}`, output, pos);
    const eol = output.indexOf(NEWLINE, pos);
    if (eol < 0) break;
    const header = output.subarray(pos + 1, eol).toString('latin1');
    const match = /^(-?\d+) (\d+) (\d+) (-?\d+) (.+)$/.exec(header);
    if (!match) throw invalid(`bad record header ${JSON.stringify(header)}`, output, pos);
    const [, keyLenText, partitionText, offsetText, timestampText, topic] = match as unknown as [string, string, string, string, string, string];
    const keyLen = Number(keyLenText);
    let cursor = eol + 1;
    const keyEnd = cursor + Math.max(keyLen, 0);
    if (keyEnd + 4 > output.length) break;
    const key = keyLen < 0 ? null : Buffer.from(output.subarray(cursor, keyEnd));
    cursor = keyEnd;
    const valueLen = output.readInt32BE(cursor);
    cursor += 4;
    const valueEnd = cursor + Math.max(valueLen, 0);
    if (valueEnd > output.length) break;
    const value = valueLen < 0 ? null : Buffer.from(output.subarray(cursor, valueEnd));
    records.push({
      topic,
      partition: Number(partitionText),
      offset: Number(offsetText),
      key,
      value,
      timestamp: Number(timestampText),
    });
    pos = valueEnd;
  }
  return { records, consumed: pos };
}

function invalid(message: string, output: Buffer, pos: number): KcatError {
  const around = output.subarray(Math.max(0, pos - 16), pos + 32).toString('hex');
  return new KcatError('KCAT_OUTPUT_INVALID', `kcat output is not in the record format: ${message} (bytes around: ${around})`, { position: pos });
}
