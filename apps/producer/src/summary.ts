import type { PublisherStats } from '@lakestream/publisher';
import type { FaultReport } from './faults/injector.js';
import { FAULT_KINDS } from './faults/plan.js';

export interface RunSummary {
  readonly source: string;
  readonly topic: string;
  /** Why the run ended, e.g. "all CSVs sent", "SIGTERM", "--max-events". */
  readonly ended: string;
  /** Events read from the source (CSV rows, simulator events). */
  readonly sourceEvents: number;
  /** Events put into messages: source events plus the second copies of duplicates. */
  readonly events: number;
  /** Messages handed to the publisher. */
  readonly messages: number;
  readonly badRows: number;
  readonly publisher: PublisherStats;
  readonly elapsedMs: number;
  readonly faults: FaultReport;
}

/** The end-of-run report (stdout); tests and people read it, so one `name value` per line. */
export function formatSummary(s: RunSummary): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(s.events / seconds) : 0;
  const p = s.publisher;
  const f = s.faults;
  const lines = [
    `summary: ${s.source} -> ${s.topic} (${s.ended})`,
    `  events      ${s.events}`,
    `  messages    ${p.messages}`,
    `  bytes       ${p.bytes}`,
    `  batches     ${p.batches}`,
    `  bad rows    ${s.badRows}`,
    `  errors      ${p.errors}${p.failedMessages > 0 ? ` (${p.failedMessages} messages not delivered)` : ''}`,
    `  elapsed     ${seconds.toFixed(3)} s`,
    `  rate        ${rate} events/s`,
  ];
  if (f.rate > 0) {
    const kinds = FAULT_KINDS.filter((k) => f.kinds.includes(k)).map((k) => `${k} ${f.faults[k]}`);
    const reasons = Object.entries(f.expected.quarantineByReason).map(([r, n]) => `${r} ${n}`);
    lines.push(
      `  faults      ${FAULT_KINDS.reduce((n, k) => n + f.faults[k], 0)} of ${s.sourceEvents} source events at rate ${f.rate}: ${kinds.join(', ')}`,
      `  expected    bronze ${f.expected.bronze}, silver ${f.expected.silver}, quarantine ${f.expected.quarantine}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

export interface SummaryJsonContext {
  readonly seed: number;
  readonly framing: boolean;
  readonly sessionsTopic: string | undefined;
  readonly sessions: readonly string[];
}

/** The machine-readable summary (--summary-json); its shape is documented in the README. */
export function summaryJson(s: RunSummary, context: SummaryJsonContext) {
  const p = s.publisher;
  return {
    source: s.source,
    topic: s.topic,
    sessionsTopic: context.sessionsTopic ?? null,
    sessions: context.sessions,
    ended: s.ended,
    seed: context.seed,
    framing: context.framing,
    faultRate: s.faults.rate,
    sourceEvents: s.sourceEvents,
    events: s.events,
    messages: s.messages,
    acknowledgedMessages: p.messages,
    failedMessages: p.failedMessages,
    badRows: s.badRows,
    faults: s.faults.faults,
    corruptMessages: s.faults.corruptMessages,
    eventsInCorruptMessages: s.faults.eventsInCorruptMessages,
    expected: s.faults.expected,
    elapsedMs: Math.round(s.elapsedMs),
  };
}
