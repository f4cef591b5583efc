/**
 * The end-of-run summary (stdout): per source, each table's Delta version,
 * location and rows written, quarantine counts by reason, lag, rate, and a
 * reconcile line that checks the counts add up:
 *
 *   consumed = bronze + quarantined at decode (codec reason codes)
 *   silver   = bronze − EXPECTATION_FAILED − DUPLICATE − UNKNOWN_SESSION
 *
 * Counts are this run's. After a crash, tables can resume from different
 * offsets (each writes only what it still needs), so the first run after one
 * may legitimately not reconcile; the line then says by how much.
 */
import { join } from 'node:path';
import type { Source } from './cli.js';

/** Quarantine reasons raised while decoding (the codec's error codes): these records never reach bronze. */
export const DECODE_REASONS = ['TRUNCATED', 'BAD_MAGIC', 'UNKNOWN_SCHEMA', 'INVALID_BUFFER', 'INVALID_EVENT'] as const;
/** Quarantine reasons for bronze rows kept out of silver. */
export const SILVER_REJECT_REASONS = ['EXPECTATION_FAILED', 'DUPLICATE', 'UNKNOWN_SESSION'] as const;

export type TableRole = 'bronze' | 'silver' | 'quarantine' | 'validation';

export interface TableSummary {
  readonly role: TableRole;
  /** Catalog path under the Delta root, e.g. `silver/telemetry_enriched`. */
  readonly path: string;
  /** Latest version (undefined: the table does not exist yet). */
  readonly version: number | undefined;
  readonly rowsWritten: number;
}

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** High watermark − resume offset (see ConsumerMetrics.lag). */
  readonly records: number;
}

export interface SourceSummary {
  readonly source: Source;
  /** Events decoded plus records that failed to decode. */
  readonly consumed: number;
  readonly tables: readonly TableSummary[];
  /** Records quarantined this run, by reason code. */
  readonly quarantined: Readonly<Record<string, number>>;
  readonly lag: readonly PartitionLag[];
}

export interface ConsumerSummary {
  readonly appId: string;
  /** Why the run ended: "--once: caught up", "SIGTERM", "failure". */
  readonly ended: string;
  readonly tablesDir: string;
  readonly elapsedMs: number;
  readonly batches: number;
  readonly fenced: number;
  readonly sources: readonly SourceSummary[];
}

export interface Reconciliation {
  readonly bronze: number;
  readonly silver: number;
  readonly decodeFailures: number;
  readonly expectationFailures: number;
  readonly duplicates: number;
  readonly unknownSession: number;
  /** consumed − (bronze + decodeFailures); 0 when it adds up. */
  readonly consumedDiff: number;
  /** silver − (bronze − expectation failures − duplicates − unknown session); 0 when it adds up. */
  readonly silverDiff: number;
  readonly ok: boolean;
}

const count = (m: Readonly<Record<string, number>>, reasons: readonly string[]) => reasons.reduce((n, r) => n + (m[r] ?? 0), 0);
const rows = (s: SourceSummary, role: TableRole) => s.tables.filter((t) => t.role === role).reduce((n, t) => n + t.rowsWritten, 0);

export function reconcile(s: SourceSummary): Reconciliation {
  const bronze = rows(s, 'bronze');
  const silver = rows(s, 'silver');
  const decodeFailures = count(s.quarantined, DECODE_REASONS);
  const expectationFailures = s.quarantined['EXPECTATION_FAILED'] ?? 0;
  const duplicates = s.quarantined['DUPLICATE'] ?? 0;
  const unknownSession = s.quarantined['UNKNOWN_SESSION'] ?? 0;
  const consumedDiff = s.consumed - (bronze + decodeFailures);
  const silverDiff = silver - (bronze - expectationFailures - duplicates - unknownSession);
  return { bronze, silver, decodeFailures, expectationFailures, duplicates, unknownSession, consumedDiff, silverDiff, ok: consumedDiff === 0 && silverDiff === 0 };
}

const verdict = (diff: number) => (diff === 0 ? 'ok' : `OFF BY ${diff > 0 ? '+' : ''}${diff}`);

export function formatSummary(s: ConsumerSummary): string {
  const seconds = s.elapsedMs / 1000;
  const out = [`summary: ${s.appId} (${s.ended}): ${s.batches} batches in ${seconds.toFixed(3)} s, ${s.fenced} fenced commits`];
  for (const src of s.sources) {
    const rate = seconds > 0 ? Math.round(src.consumed / seconds) : 0;
    out.push(`  ${src.source}: ${src.consumed} events consumed, ${rate} events/s`);
    for (const t of src.tables) {
      out.push(`    ${t.role.padEnd(11)} v${String(t.version ?? '-').padEnd(6)} ${String(t.rowsWritten).padStart(10)} rows  ${join(s.tablesDir, t.path)}`);
    }
    const reasons = Object.entries(src.quarantined).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));
    out.push(`    quarantined ${reasons.length === 0 ? 'none' : reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`);
    const lag = [...src.lag].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    const totalLag = lag.reduce((n, l) => n + l.records, 0);
    out.push(`    lag         ${lag.length === 0 ? 'n/a' : `${totalLag} records (${lag.map((l) => `${l.topic}[${l.partition}] ${l.records}`).join(', ')})`}`);
    const r = reconcile(src);
    out.push(
      `    reconcile   consumed ${src.consumed} = bronze ${r.bronze} + decode failures ${r.decodeFailures}: ${verdict(r.consumedDiff)}; ` +
        `silver ${r.silver} = bronze ${r.bronze} - failed expectations ${r.expectationFailures} - duplicates ${r.duplicates} - unknown session ${r.unknownSession}: ${verdict(r.silverDiff)}`,
    );
  }
  out.push('');
  return out.join('\n');
}
