/**
 * One micro-batch through the stages, the same for both sources:
 *
 *   decode ─┬─ fails ─────────────────────────────▶ quarantine (codec code)
 *           ▼
 *        events ─▶ bronze
 *           ▼
 *        validate (row-local error expectations, freshness vs the record's Kafka time)
 *           ├─ fails ─────────────────────────────▶ quarantine EXPECTATION_FAILED
 *           ▼
 *        context (F1: session known?) ─ unknown ──▶ quarantine UNKNOWN_SESSION
 *           ▼
 *        dedup (first coordinate of the key) ─ dup ▶ quarantine DUPLICATE
 *           ▼
 *        silver (+ F1 enriched re-stream, one message per input record)
 *
 * Every decision reads only the record (and the dedup/session state), so a
 * record's fate does not depend on its batch; each table then takes only the
 * records `ctx.needs` says it still needs.
 */
import { validate, type Suite, type ValidationResult } from '@lakestream/quality';
import type { Table } from 'apache-arrow';
import { microsOfMillis } from './columns.js';
import type { Coordinate } from './dedup.js';
import { dlqMessage, quarantineRows, type QuarantineRow } from './quarantine.js';
import type { EnrichedMessage, QuarantineReasonCode, SourceRecord, TransformContext, TransformCounts, TransformResult } from './types.js';
import { validationRows } from './validation-rows.js';
import { freshnessRule, isFresh, rowFailures } from './verdict.js';

/** Where each event of the batch came from, in record order: parallel arrays, one entry per event (the events live in the source's store). */
export interface EventRows {
  /** Events in the batch. */
  n: number;
  /** Index of the event's record in the batch. */
  readonly record: number[];
  /** Index of the event in its message. */
  readonly eventIndex: number[];
  /** Whether the event's message was a frame (then a quarantined event is re-encoded alone). */
  readonly framed: boolean[];
  /** Wire schema id of the event's message. */
  readonly schemaId: number[];
  /** Event time, epoch ms (filled after decode). */
  eventMs: Float64Array;
}

/** One validation group: a suite over a table of some of the events (`rows[t]` = event of table row t). */
export interface ValidationGroup {
  readonly suite: Suite;
  /** Builds the group's table over events `rows` (indices into EventRows). */
  table(rows: Int32Array): Table;
  readonly rows: Int32Array;
}

/** A message's decode outcome as a source sees it: events appended to its store, or why it is refused. */
export type Decoded = { readonly count: number; readonly framed: boolean; readonly schemaId: number } | { readonly code: QuarantineReasonCode; readonly reason: string };

/** What a source plugs into the pipeline; `S` holds the batch's decoded events, addressed by event index. */
export interface SourceSpec<S> {
  readonly source: 'f1' | 'satellite';
  /** An empty store for one batch. */
  store(): S;
  /** Decodes one record value, appending its events to `store`, or says why this source refuses it. */
  decodeInto(bytes: Uint8Array, store: S): Decoded;
  key(store: S, i: number): string;
  eventTimeMs(store: S, i: number): number;
  /** Validation groups over all events of the batch (e.g. one per F1 event type). */
  groups(store: S, ev: EventRows, records: readonly SourceRecord[], ctx: TransformContext): ValidationGroup[];
  /** Extra silver gate after expectations (F1: the session must be known); a reason text when it fails. */
  gate?(store: S, i: number, ctx: TransformContext): { code: QuarantineReasonCode; reason: string } | undefined;
  /** Event `i` alone as a single-event message. */
  encodeSingle(store: S, i: number): Uint8Array;
  bronze(store: S, ev: EventRows, rows: Int32Array, records: readonly SourceRecord[], ctx: TransformContext): Table;
  silver(store: S, ev: EventRows, rows: Int32Array, records: readonly SourceRecord[], ctx: TransformContext): Table;
  /** Re-stream messages of the silver events `rows` (record order), one per input record (see EnrichedMessage). */
  enriched?(store: S, ev: EventRows, rows: readonly number[], records: readonly SourceRecord[]): EnrichedMessage[];
}

const EMPTY = new Uint8Array(0);

export function runTransform<S>(records: readonly SourceRecord[], ctx: TransformContext, spec: SourceSpec<S>): TransformResult {
  const counts: TransformCounts = { consumed: records.length, decoded: 0, events: 0, bronze: 0, silver: 0, quarantined: {}, duplicates: 0 };
  const quarantined: { readonly at: number; readonly row: QuarantineRow }[] = [];
  const count = (code: QuarantineReasonCode): void => {
    counts.quarantined[code] = (counts.quarantined[code] ?? 0) + 1;
  };
  const ingestedAtUs = microsOfMillis(ctx.ingestedAt.getTime());

  // decode
  const store = spec.store();
  const ev: EventRows = { n: 0, record: [], eventIndex: [], framed: [], schemaId: [], eventMs: new Float64Array(0) };
  for (let r = 0; r < records.length; r++) {
    const rec = records[r] as SourceRecord;
    const result: Decoded = rec.value === null ? { code: 'INVALID_BUFFER', reason: 'null value (tombstone) on a telemetry topic' } : spec.decodeInto(rec.value, store);
    if ('count' in result) {
      counts.decoded++;
      for (let i = 0; i < result.count; i++) {
        ev.record.push(r);
        ev.eventIndex.push(i);
        ev.framed.push(result.framed);
        ev.schemaId.push(result.schemaId);
      }
      continue;
    }
    count(result.code);
    if (ctx.needs('quarantine', rec)) {
      quarantined.push({ at: r, row: { record: rec, reasonCode: result.code, reason: result.reason, rawValue: rec.value ?? EMPTY, eventIndex: null, eventKey: null, failedExpectations: null, observed: null } });
    }
  }
  const n = (ev.n = ev.record.length);
  ev.eventMs = new Float64Array(n);
  for (let i = 0; i < n; i++) ev.eventMs[i] = spec.eventTimeMs(store, i);
  counts.events = n;
  counts.bronze = n;
  const recordOf = (i: number): SourceRecord => records[ev.record[i] as number] as SourceRecord;

  // validate: every event once (verdict), results reported for what `validation` needs
  const failedNames: (string[] | undefined)[] = new Array<string[] | undefined>(n);
  const observed: (Record<string, unknown> | undefined)[] = new Array<Record<string, unknown> | undefined>(n);
  const results: ValidationResult[] = [];
  const allValidationNeeded = records.every((rec) => ctx.needs('validation', rec));
  for (const group of spec.groups(store, ev, records, ctx)) {
    const table = group.table(group.rows);
    const result = validate(table, group.suite, { now: ctx.ingestedAt, runId: ctx.runId });
    const fresh = freshnessRule(group.suite);
    const stale = (t: number): boolean => {
      const i = group.rows[t] as number;
      return fresh !== undefined && !isFresh(fresh, ev.eventMs[i] as number, Number(recordOf(i).timestamp));
    };
    const failures = rowFailures(table, group.suite, result, stale, fresh);
    for (let t = 0; t < group.rows.length; t++) {
      if (failures.failed[t] !== 1) continue;
      const i = group.rows[t] as number;
      failedNames[i] = failures.names(t);
      observed[i] = failures.observed(t);
    }
    if (allValidationNeeded) {
      if (group.rows.length > 0) results.push(result);
    } else {
      const needed = group.rows.filter((i) => ctx.needs('validation', recordOf(i)));
      if (needed.length > 0) results.push(validate(group.table(needed), group.suite, { now: ctx.ingestedAt, runId: ctx.runId }));
    }
  }

  // fates, in record order (dedup remembers first occurrences in Kafka order)
  const bronzeRows: number[] = [];
  const silverRows: number[] = [];
  for (let i = 0; i < n; i++) {
    const rec = recordOf(i);
    if (ctx.needs('bronze', rec)) bronzeRows.push(i);
    const key = spec.key(store, i);
    let fate: { code: QuarantineReasonCode; reason: string } | undefined;
    const names = failedNames[i];
    if (names) fate = { code: 'EXPECTATION_FAILED', reason: names.join('; ') };
    else fate = spec.gate?.(store, i, ctx);
    if (!fate) {
      const at: Coordinate = { partition: rec.partition, offset: rec.offset, eventIndex: ev.eventIndex[i] as number };
      if (ctx.dedup.observe(key, at, ev.eventMs[i] as number) === 'duplicate') {
        fate = { code: 'DUPLICATE', reason: `key ${key} already seen earlier` };
        counts.duplicates++;
      }
    }
    if (fate) {
      count(fate.code);
      if (ctx.needs('quarantine', rec)) {
        const framed = ev.framed[i] === true;
        quarantined.push({ at: ev.record[i] as number, row: {
          record: rec,
          reasonCode: fate.code,
          reason: fate.reason,
          rawValue: framed ? spec.encodeSingle(store, i) : (rec.value ?? EMPTY),
          eventIndex: ev.eventIndex[i] as number,
          eventKey: key,
          failedExpectations: names ?? null,
          observed: names ? (observed[i] ?? null) : null,
        } });
      }
      continue;
    }
    counts.silver++;
    if (ctx.needs('silver', rec)) silverRows.push(i);
  }

  // record order (decode failures were found before the event fates): stable sort by record index
  const quarantine = quarantined.sort((a, b) => a.at - b.at).map((q) => q.row);
  const tables: { bronze?: Table; silver?: Table; quarantine?: Table; validation?: Table } = {};
  if (bronzeRows.length > 0) tables.bronze = spec.bronze(store, ev, Int32Array.from(bronzeRows), records, ctx);
  if (silverRows.length > 0) tables.silver = spec.silver(store, ev, Int32Array.from(silverRows), records, ctx);
  if (quarantine.length > 0) tables.quarantine = quarantineRows(spec.source, quarantine, ingestedAtUs);
  if (results.length > 0) tables.validation = validationRows({ source: spec.source, batchId: ctx.batchId, runAtUs: ingestedAtUs, results });
  const enriched: EnrichedMessage[] = spec.enriched ? spec.enriched(store, ev, silverRows, records) : [];
  const silverEventTimesMs = Float64Array.from(silverRows, (i) => ev.eventMs[i] as number);
  return { tables, dlq: quarantine.map(dlqMessage), enriched, counts, silverEventTimesMs };
}
