/** Running totals of a consumer run, for the summary and its reconciliation. */
import type { TransformResult } from '@lakestream/medallion';
import type { Source } from './cli.js';

export interface SourceTotals {
  consumed: number;
  decoded: number;
  events: number;
  bronze: number;
  silver: number;
  duplicates: number;
  quarantined: Record<string, number>;
}

export class RunTotals {
  readonly bySource = new Map<Source, SourceTotals>();
  readonly rowsByTable = new Map<string, number>();
  readonly versionByTable = new Map<string, number>();
  batches = 0;
  fences = 0;
  records = 0;

  add(source: Source, counts: TransformResult['counts']): void {
    let t = this.bySource.get(source);
    if (t === undefined) this.bySource.set(source, (t = { consumed: 0, decoded: 0, events: 0, bronze: 0, silver: 0, duplicates: 0, quarantined: {} }));
    t.consumed += counts.consumed;
    t.decoded += counts.decoded;
    t.events += counts.events;
    t.bronze += counts.bronze;
    t.silver += counts.silver;
    t.duplicates += counts.duplicates;
    for (const [reason, n] of Object.entries(counts.quarantined)) t.quarantined[reason] = (t.quarantined[reason] ?? 0) + (n ?? 0);
  }

  table(name: string, rows: number, version: number): void {
    this.rowsByTable.set(name, (this.rowsByTable.get(name) ?? 0) + rows);
    if (version >= 0) this.versionByTable.set(name, version);
  }
}
