import type { PublisherStats } from '@lakestream/publisher';

export interface RunSummary {
  readonly source: string;
  readonly topic: string;
  /** Why the run ended, e.g. "all CSVs sent", "SIGTERM", "--max-events". */
  readonly ended: string;
  readonly events: number;
  readonly badRows: number;
  readonly publisher: PublisherStats;
  readonly elapsedMs: number;
}

/** The end-of-run report (stdout); tests and people read it, so one `name value` per line. */
export function formatSummary(s: RunSummary): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(s.events / seconds) : 0;
  const p = s.publisher;
  return [
    `summary: ${s.source} -> ${s.topic} (${s.ended})`,
    `  events      ${s.events}`,
    `  messages    ${p.messages}`,
    `  bytes       ${p.bytes}`,
    `  batches     ${p.batches}`,
    `  bad rows    ${s.badRows}`,
    `  errors      ${p.errors}${p.failedMessages > 0 ? ` (${p.failedMessages} messages not delivered)` : ''}`,
    `  elapsed     ${seconds.toFixed(3)} s`,
    `  rate        ${rate} events/s`,
    '',
  ].join('\n');
}
