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
 *        silver (+ F1 enriched re-stream)
 *
 * Every decision reads only the record (and the dedup/session state), so a
 * record's fate does not depend on its batch; each table then takes only the
 * records `ctx.needs` says it still needs.
 */
import { decode, type CodecError } from '@lakestream/codec';
import { validate, type Suite, type ValidationResult } from '@lakestream/quality';
import type { Table } from 'apache-arrow';
import { microsOfMillis } from './columns.js';
import type { Coordinate } from './dedup.js';
import { dlqMessage, quarantineRows, type QuarantineRow } from './quarantine.js';
import type { EnrichedMessage, QuarantineReasonCode, SourceRecord, TransformContext, TransformCounts, TransformResult } from './types.js';
import { validationRows } from './validation-rows.js';
import { freshnessRule, isFresh, rowFailures } from './verdict.js';

/** Events of the batch in record order: parallel arrays, one entry per event. */
export interface EventRows<E> {
  readonly events: E[];
  /** Index of the event's record in the batch. */
  readonly record: number[];
  /** Index of the event in its message. */
  readonly eventIndex: number[];
  /** Whether the event's message was a frame (then a quarantined event is re-encoded alone). */
  readonly framed: boolean[];
  /** Wire schema id of the event's message. */
  readonly schemaId: number[];
}

/** One validation group: a suite over a table of some of the events (`rows[t]` = event of table row t). */
export interface ValidationGroup {
  readonly suite: Suite;
  /** Builds the group's table over events `rows` (indices into EventRows). */
  table(rows: Int32Array): Table;
  readonly rows: Int32Array;
}

/** What a source plugs into the pipeline. */
export interface SourceSpec<E> {
  readonly source: 'f1' | 'satellite';
  /** Decoded message → its events, or a reason this source refuses it (e.g. another source's schema id). */
  accept(decoded: { readonly source: string; readonly schemaId: number; readonly events: readonly unknown[] }): E[] | string;
  key(e: E): string;
  eventTimeMs(e: E): number;
  /** Validation groups over all events of the batch (e.g. one per F1 event type). */
  groups(ev: EventRows<E>, records: readonly SourceRecord[], ctx: TransformContext): ValidationGroup[];
  /** Extra silver gate after expectations (F1: the session must be known); a reason text when it fails. */
  gate?(e: E, ctx: TransformContext): { code: QuarantineReasonCode; reason: string } | undefined;
  /** The event alone as a single-event message. */
  encodeSingle(e: E): Uint8Array;
  bronze(ev: EventRows<E>, rows: Int32Array, records: readonly SourceRecord[], ctx: TransformContext): Table;
  silver(ev: EventRows<E>, rows: Int32Array, records: readonly SourceRecord[], ctx: TransformContext): Table;
  enriched?(e: E, key: string): EnrichedMessage;
}

const EMPTY = new Uint8Array(0);

export function runTransform<E>(records: readonly SourceRecord[], ctx: TransformContext, spec: SourceSpec<E>): TransformResult {
  const counts: TransformCounts = { consumed: records.length, decoded: 0, events: 0, bronze: 0, silver: 0, quarantined: {}, duplicates: 0 };
  const quarantined: { readonly at: number; readonly row: QuarantineRow }[] = [];
  const count = (code: QuarantineReasonCode): void => {
    counts.quarantined[code] = (counts.quarantined[code] ?? 0) + 1;
  };
  const ingestedAtUs = microsOfMillis(ctx.ingestedAt.getTime());

  // decode
  const ev: EventRows<E> = { events: [], record: [], eventIndex: [], framed: [], schemaId: [] };
  for (let r = 0; r < records.length; r++) {
    const rec = records[r] as SourceRecord;
    const result = rec.value === null ? undefined : decode(rec.value);
    let refused: { code: QuarantineReasonCode; reason: string } | undefined;
    if (!result) refused = { code: 'INVALID_BUFFER', reason: 'null value (tombstone) on a telemetry topic' };
    else if (!result.ok) refused = { code: (result.error as CodecError).code, reason: result.error.message };
    else {
      const accepted = spec.accept(result.value);
      if (typeof accepted === 'string') refused = { code: 'UNKNOWN_SCHEMA', reason: accepted };
      else {
        counts.decoded++;
        const framed = result.value.shape === 'frame';
        for (let i = 0; i < accepted.length; i++) {
          ev.events.push(accepted[i] as E);
          ev.record.push(r);
          ev.eventIndex.push(i);
          ev.framed.push(framed);
          ev.schemaId.push(result.value.schemaId);
        }
      }
    }
    if (refused) {
      count(refused.code);
      if (ctx.needs('quarantine', rec)) {
        quarantined.push({ at: r, row: { record: rec, reasonCode: refused.code, reason: refused.reason, rawValue: rec.value ?? EMPTY, eventIndex: null, eventKey: null, failedExpectations: null, observed: null } });
      }
    }
  }
  const n = ev.events.length;
  counts.events = n;
  counts.bronze = n;
  const recordOf = (i: number): SourceRecord => records[ev.record[i] as number] as SourceRecord;

  // validate: every event once (verdict), results reported for what `validation` needs
  const failedNames: (string[] | undefined)[] = new Array<string[] | undefined>(n);
  const observed: (Record<string, unknown> | undefined)[] = new Array<Record<string, unknown> | undefined>(n);
  const results: ValidationResult[] = [];
  const allValidationNeeded = records.every((rec) => ctx.needs('validation', rec));
  for (const group of spec.groups(ev, records, ctx)) {
    const table = group.table(group.rows);
    const result = validate(table, group.suite, { now: ctx.ingestedAt, runId: ctx.runId });
    const fresh = freshnessRule(group.suite);
    const stale = (t: number): boolean => {
      const i = group.rows[t] as number;
      return fresh !== undefined && !isFresh(fresh, spec.eventTimeMs(ev.events[i] as E), Number(recordOf(i).timestamp));
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
  const enriched: EnrichedMessage[] = [];
  for (let i = 0; i < n; i++) {
    const e = ev.events[i] as E;
    const rec = recordOf(i);
    if (ctx.needs('bronze', rec)) bronzeRows.push(i);
    const key = spec.key(e);
    let fate: { code: QuarantineReasonCode; reason: string } | undefined;
    const names = failedNames[i];
    if (names) fate = { code: 'EXPECTATION_FAILED', reason: names.join('; ') };
    else fate = spec.gate?.(e, ctx);
    if (!fate) {
      const at: Coordinate = { partition: rec.partition, offset: rec.offset, eventIndex: ev.eventIndex[i] as number };
      if (ctx.dedup.observe(key, at, spec.eventTimeMs(e)) === 'duplicate') {
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
          rawValue: framed ? spec.encodeSingle(e) : (rec.value ?? EMPTY),
          eventIndex: ev.eventIndex[i] as number,
          eventKey: key,
          failedExpectations: names ?? null,
          observed: names ? (observed[i] ?? null) : null,
        } });
      }
      continue;
    }
    counts.silver++;
    if (ctx.needs('silver', rec)) {
      silverRows.push(i);
      if (spec.enriched) enriched.push(spec.enriched(e, key));
    }
  }

  // record order (decode failures were found before the event fates): stable sort by record index
  const quarantine = quarantined.sort((a, b) => a.at - b.at).map((q) => q.row);
  const tables: { bronze?: Table; silver?: Table; quarantine?: Table; validation?: Table } = {};
  if (bronzeRows.length > 0) tables.bronze = spec.bronze(ev, Int32Array.from(bronzeRows), records, ctx);
  if (silverRows.length > 0) tables.silver = spec.silver(ev, Int32Array.from(silverRows), records, ctx);
  if (quarantine.length > 0) tables.quarantine = quarantineRows(spec.source, quarantine, ingestedAtUs);
  if (results.length > 0) tables.validation = validationRows({ source: spec.source, batchId: ctx.batchId, runAtUs: ingestedAtUs, results });
  const silverEventTimesMs = Float64Array.from(silverRows, (i) => spec.eventTimeMs(ev.events[i] as E));
  return { tables, dlq: quarantine.map(dlqMessage), enriched, counts, silverEventTimesMs };
}
