/**
 * Fixtures for the consumer's cross-process tests (consumer-*.spec.ts): unique
 * topic sets, the consumer's argument list, the producer's `--summary-json`,
 * and independent read-backs of what the consumer wrote — DuckDB over the
 * Delta tables (active files from the log, `withDeltaViews`), the tables'
 * txn actions (`deltaTxnVersions`) and the topics through kcat.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '@lakestream/codec';
import { quarantineTable, TABLES } from '@lakestream/schema';
import { writeSatelliteSamples } from '@lakestream/sim';
import { deltaTxnVersions, kcatConsume, withDeltaViews, type DeltaQuery } from '@lakestream/testing';
import { uniqueName } from './processes.js';

export type ConsumerSource = 'f1' | 'sat';

/** Topic names of one test (unique per run, so a shared KAFKA_BROKERS cluster never mixes runs). */
export interface ConsumerTopics {
  readonly sat: string;
  readonly f1: string;
  readonly sessions: string;
  readonly dlq: string;
  readonly enriched: string;
}

export function uniqueTopics(base: string): ConsumerTopics {
  return {
    sat: uniqueName(`${base}-sat`),
    f1: uniqueName(`${base}-f1`),
    sessions: uniqueName(`${base}-sessions`),
    dlq: uniqueName(`${base}-dlq`),
    enriched: uniqueName(`${base}-enriched`),
  };
}

export function topicOf(topics: ConsumerTopics, source: ConsumerSource): string {
  return source === 'f1' ? topics.f1 : topics.sat;
}

export interface ConsumerArgs {
  readonly group: string;
  readonly tables: string;
  readonly topics: ConsumerTopics;
  readonly source?: ConsumerSource | 'all';
  readonly trigger?: string;
  readonly maxOffsetsPerTrigger?: number;
  readonly extra?: readonly string[];
}

/**
 * The consumer's flags for a test: its own topics, group and Delta root, any
 * free metrics port, a 1 s session wait (UNKNOWN_SESSION faults are
 * quarantined quickly; real sessions are acknowledged before their events),
 * no background optimize (it would only add commits to the logs read back).
 */
export function consumerArgs(o: ConsumerArgs): string[] {
  return [
    '--group', o.group, '--tables', o.tables, '--source', o.source ?? 'all',
    '--sat-topic', o.topics.sat, '--f1-topic', o.topics.f1, '--sessions-topic', o.topics.sessions,
    '--dlq-topic', o.topics.dlq, '--enriched-topic', o.topics.enriched,
    '--metrics-port', '0', '--session-wait', '1s', '--optimize-every', '0',
    '--trigger', o.trigger ?? '500ms',
    ...(o.maxOffsetsPerTrigger === undefined ? [] : ['--max-offsets-per-trigger', String(o.maxOffsetsPerTrigger)]),
    ...(o.extra ?? []),
  ];
}

/** The producer's `--summary-json` (apps/producer README), the fields these tests use. */
export interface ProducerSummary {
  readonly source: 'f1' | 'satellite';
  readonly topic: string;
  readonly ended: string;
  readonly events: number;
  readonly messages: number;
  readonly acknowledgedMessages: number;
  readonly failedMessages: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly expected: {
    readonly bronze: number;
    readonly silver: number;
    readonly quarantine: number;
    readonly quarantineByReason: Readonly<Record<string, number>>;
  };
}

export async function readProducerSummary(file: string): Promise<ProducerSummary> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const s = parsed as ProducerSummary; // shape documented in apps/producer/README.md; checked field by field below
  for (const field of ['events', 'messages', 'acknowledgedMessages', 'failedMessages'] as const) {
    if (typeof s[field] !== 'number') throw new TypeError(`${file}: ${field} is not a number`);
  }
  if (typeof s.expected?.silver !== 'number' || typeof s.expected.quarantineByReason !== 'object') throw new TypeError(`${file}: no expected counts`);
  return s;
}

/** The catalog paths a source's data goes to (libs/schema), and its silver dedup key. */
export const SOURCE_TABLES: Readonly<Record<ConsumerSource, { readonly bronze: string; readonly silver: string; readonly quarantine: string; readonly key: readonly string[] }>> = {
  f1: { bronze: TABLES.f1Bronze.path, silver: TABLES.f1Silver.path, quarantine: quarantineTable('f1').path, key: ['session_id', 'car_number', 'event_id'] },
  sat: { bronze: TABLES.satelliteRaw.path, silver: TABLES.satelliteSilver.path, quarantine: quarantineTable('satellite').path, key: ['satellite', 'timestamp_ns'] },
};
export const VALIDATION_TABLE = TABLES.validationResults.path;

export function tablePaths(tablesDir: string, source: ConsumerSource): { bronze: string; silver: string; quarantine: string; validation: string } {
  const t = SOURCE_TABLES[source];
  return { bronze: join(tablesDir, t.bronze), silver: join(tablesDir, t.silver), quarantine: join(tablesDir, t.quarantine), validation: join(tablesDir, VALIDATION_TABLE) };
}

/** What DuckDB reads back from one source's tables. */
export interface SourceTableCounts {
  readonly bronze: number;
  readonly silver: number;
  /** Silver event keys held more than once (must be 0). */
  readonly silverDuplicateKeys: number;
  /** Silver (partition, offset, key) held more than once: the same Kafka record written twice (must be 0). */
  readonly silverDuplicateRecords: number;
  /** Bronze (partition, offset, key) held more than once. A frame may hold a duplicate fault's two copies, so only meaningful without faults. */
  readonly bronzeDuplicateRecords: number;
  readonly quarantine: number;
  readonly quarantineByReason: Readonly<Record<string, number>>;
  /** `topic/partition/offset/reason_code` of every quarantine row, sorted. */
  readonly quarantineCoordinates: readonly string[];
  /** Validation result rows of this source. */
  readonly validationRows: number;
}

const n = (v: unknown): number => Number(v ?? 0);

async function scalar(query: DeltaQuery, sql: string): Promise<number> {
  const [row] = await query(sql);
  return n(row?.['n']);
}

export async function readSourceTables(tablesDir: string, source: ConsumerSource): Promise<SourceTableCounts> {
  const paths = tablePaths(tablesDir, source);
  const key = SOURCE_TABLES[source].key.join(', ');
  const record = `kafka_partition, kafka_offset, ${key}`;
  return withDeltaViews({ bronze: paths.bronze, silver: paths.silver, quarantine: paths.quarantine, validation: paths.validation }, async (query) => {
    const byReason: Record<string, number> = {};
    for (const row of await query('SELECT reason_code, count(*) AS n FROM quarantine GROUP BY reason_code')) byReason[String(row['reason_code'])] = n(row['n']);
    const coordinates = (await query('SELECT kafka_topic, kafka_partition, kafka_offset, reason_code FROM quarantine'))
      .map((r) => `${String(r['kafka_topic'])}/${n(r['kafka_partition'])}/${n(r['kafka_offset'])}/${String(r['reason_code'])}`)
      .sort();
    const validationSource = source === 'f1' ? 'f1' : 'satellite';
    return {
      bronze: await scalar(query, 'SELECT count(*) AS n FROM bronze'),
      silver: await scalar(query, 'SELECT count(*) AS n FROM silver'),
      silverDuplicateKeys: await scalar(query, `SELECT count(*) AS n FROM (SELECT ${key} FROM silver GROUP BY ${key} HAVING count(*) > 1)`),
      silverDuplicateRecords: await scalar(query, `SELECT count(*) AS n FROM (SELECT ${record} FROM silver GROUP BY ${record} HAVING count(*) > 1)`),
      bronzeDuplicateRecords: await scalar(query, `SELECT count(*) AS n FROM (SELECT ${record} FROM bronze GROUP BY ${record} HAVING count(*) > 1)`),
      quarantine: await scalar(query, 'SELECT count(*) AS n FROM quarantine'),
      quarantineByReason: byReason,
      quarantineCoordinates: coordinates,
      validationRows: await scalar(query, `SELECT count(*) AS n FROM validation WHERE source IN ('${source}', '${validationSource}')`),
    };
  });
}

/** `f1-telemetry-enriched` as read back with kcat and decoded with the codec. */
export interface EnrichedTopic {
  readonly messages: number;
  /** Messages holding more than one event (frames). */
  readonly multiEvent: number;
  /** `session_id/car_number/event_id` of every event of every message, sorted. */
  readonly eventKeys: string[];
  /** Messages whose key is not the event key of their first event, or whose value does not decode. */
  readonly problems: string[];
}

export async function readEnriched(bootstrap: string, topic: string): Promise<EnrichedTopic> {
  const records = await kcatConsume({ bootstrap, topic, untilEof: true, timeoutMs: 60_000 });
  const eventKeys: string[] = [];
  const problems: string[] = [];
  let multiEvent = 0;
  for (const r of records) {
    const at = `${topic}/${r.partition}@${r.offset}`;
    const decoded = r.value === null ? undefined : decode(r.value);
    if (!decoded?.ok) {
      problems.push(`${at}: does not decode`);
      continue;
    }
    const events = decoded.value.events as readonly { session_id: string; car_number: number; event_id: bigint }[];
    const keys = events.map((e) => `${e.session_id}/${e.car_number}/${e.event_id}`);
    if (events.length > 1) multiEvent++;
    if (r.key?.toString('utf8') !== keys[0]) problems.push(`${at}: key ${r.key?.toString('utf8')}, first event ${keys[0]}`);
    eventKeys.push(...keys);
  }
  return { messages: records.length, multiEvent, eventKeys: eventKeys.sort(), problems };
}

/** `session_id/car_number/event_id` of every F1 silver row, sorted (DuckDB over the Delta log). */
export async function silverF1Keys(tablesDir: string): Promise<string[]> {
  return withDeltaViews({ silver: tablePaths(tablesDir, 'f1').silver }, async (query) =>
    (await query('SELECT session_id, car_number, event_id FROM silver')).map((r) => `${String(r['session_id'])}/${n(r['car_number'])}/${String(r['event_id'])}`).sort(),
  );
}

/** Last offset per partition of a topic, read with kcat (partitions with no record are absent). */
export async function lastOffsets(bootstrap: string, topic: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const r of await kcatConsume({ bootstrap, topic, untilEof: true, timeoutMs: 60_000 })) out.set(r.partition, Math.max(out.get(r.partition) ?? -1, r.offset));
  return out;
}

/**
 * Compares each table's txn (`<group>-<topic>-<partition>`) with the topic's
 * last offsets; returns the mismatches as text (empty when every table holds
 * exactly the last offset of every partition).
 */
export async function txnMismatches(tableDirs: readonly string[], group: string, topic: string, last: ReadonlyMap<number, number>): Promise<string[]> {
  const problems: string[] = [];
  for (const dir of tableDirs) {
    const txns = await deltaTxnVersions(dir);
    for (const [partition, offset] of last) {
      const appId = `${group}-${topic}-${partition}`;
      const version = txns.get(appId);
      if (version !== offset) problems.push(`${dir}: ${appId} = ${String(version)}, last offset ${offset}`);
    }
  }
  return problems;
}

/** A DLQ message as the tests compare it with quarantine rows, plus its reason text. */
export interface DeadLetter {
  readonly coordinate: string;
  readonly reasonCode: string | undefined;
  readonly reason: string | undefined;
  readonly timestamp: string | undefined;
}

/** Every DLQ message (kcat with headers): `topic/partition/offset/reason_code` from the `lakestream.*` headers. */
export async function readDeadLetters(bootstrap: string, topic: string): Promise<DeadLetter[]> {
  const records = await kcatConsume({ bootstrap, topic, untilEof: true, headers: true, timeoutMs: 60_000 });
  return records.map((r) => {
    const h = r.headers ?? {};
    return {
      coordinate: `${h['lakestream.source.topic']}/${h['lakestream.source.partition']}/${h['lakestream.source.offset']}/${h['lakestream.reason.code']}`,
      reasonCode: h['lakestream.reason.code'],
      reason: h['lakestream.reason'],
      timestamp: h['lakestream.source.timestamp'],
    };
  });
}

/** Sums a count map (e.g. quarantine rows by reason). */
export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Adds count maps key by key (e.g. the expected quarantine reasons of two producer runs). */
export function addCounts(...maps: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Partitions named in a process's `resume <topic>/<p> at offset …` lines (optionally only lines after index `from`). */
export function resumedPartitions(lines: readonly string[], topic: string, from = 0): Set<number> {
  const re = new RegExp(`^resume ${topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\d+) at offset (\\d+)`);
  const out = new Set<number>();
  for (const line of lines.slice(from)) {
    const m = re.exec(line);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Every row of a source's silver and bronze as `partition/offset/key` text,
 * sorted: two runs over the same topics (one undisturbed, one with crashes)
 * must hold exactly the same rows.
 */
export async function readRowIdentities(tablesDir: string, source: ConsumerSource): Promise<{ bronze: string[]; silver: string[] }> {
  const paths = tablePaths(tablesDir, source);
  const key = SOURCE_TABLES[source].key.map((c) => `CAST(${c} AS VARCHAR)`).join(", '/', ");
  const sql = (view: string) => `SELECT concat(kafka_partition, '/', kafka_offset, '/', ${key}) AS id FROM ${view}`;
  return withDeltaViews({ bronze: paths.bronze, silver: paths.silver }, async (query) => ({
    bronze: (await query(sql('bronze'))).map((r) => String(r['id'])).sort(),
    silver: (await query(sql('silver'))).map((r) => String(r['id'])).sort(),
  }));
}

let samplesDir: Promise<string> | undefined;

/**
 * The satellite producer reads CSVs: a clean clone has no data/samples, so the consumer specs generate their own
 * (200 satellites × 1,000 rows, the seed's generator via @lakestream/sim) once per test file, in a temp dir.
 */
export function satelliteSamples(): Promise<string> {
  samplesDir ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lakestream-e2e-samples-'));
    await writeSatelliteSamples({ dir: join(dir, 'samples'), satellites: 200, samples: 1000, seed: 88 });
    return join(dir, 'samples');
  })();
  return samplesDir;
}
