/**
 * Fault injection between a source and the EventPipeline: the planner decides
 * per source event, the source's mutations apply the fault, and every
 * message on its way to Kafka is tallied into what the consumer should find
 * (bronze / silver / quarantine by reason), so tests can reconcile.
 */
import { decode } from '@lakestream/codec';
import type { F1Event, SatelliteSample } from '@lakestream/schema';
import type { PendingMessage } from '../pipeline.js';
import { corruptMessage, dropF1CarNumber, f1Late, f1OutOfRange, f1UnknownSession, f1WithoutCar, satelliteLate, satelliteOutOfRange } from './mutate.js';
import { FAULT_KINDS, type Corruption, type FaultDecision, type FaultKind, type FaultPlanner } from './plan.js';

/** What travels with an event through the pipeline. */
export type FaultMark =
  | { readonly kind: Exclude<FaultKind, 'duplicate' | 'corrupt'> }
  | { readonly kind: 'corrupt'; readonly corruption: Corruption }
  /** The first copy of a duplicated event (a clean event) and the second. */
  | { readonly kind: 'original' | 'duplicate'; readonly pair: number };

/** The event-level faults of one source (kinds it does not support are absent). */
export interface SourceFaults<E> {
  readonly outOfRange: (event: E) => E;
  readonly late: (event: E) => E;
  readonly nullRequired?: (event: E) => E;
  readonly unknownSession?: (event: E) => E;
  /** For a one-event message holding a `null_required` event: make the field really absent. */
  readonly dropRequired?: (message: Uint8Array) => Uint8Array;
}

export const F1_FAULTS: SourceFaults<F1Event> = {
  outOfRange: f1OutOfRange,
  late: f1Late,
  nullRequired: f1WithoutCar,
  unknownSession: f1UnknownSession,
  dropRequired: dropF1CarNumber,
};

export const SATELLITE_FAULTS: SourceFaults<SatelliteSample> = { outOfRange: satelliteOutOfRange, late: satelliteLate };

/** Quarantine reason codes of the consumer (libs/medallion) for each decodable fault. */
export const QUARANTINE_REASON = {
  out_of_range: 'EXPECTATION_FAILED',
  null_required: 'EXPECTATION_FAILED',
  late: 'EXPECTATION_FAILED',
  unknown_session: 'UNKNOWN_SESSION',
  duplicate: 'DUPLICATE',
} as const;

/** What the consumer should find for the messages sent so far (see README "Fault injection"). */
export interface ExpectedOutcome {
  /** Decodable events: every event of every message that is not corrupt (duplicates twice). */
  readonly bronze: number;
  /** Events that pass validation, once each. */
  readonly silver: number;
  /** Quarantine rows: one per corrupt message plus one per faulty decodable event. */
  readonly quarantine: number;
  /** The same rows by reason code (codec codes for corrupt messages). */
  readonly quarantineByReason: Readonly<Record<string, number>>;
}

export interface FaultReport {
  readonly rate: number;
  readonly kinds: readonly FaultKind[];
  /** Faults chosen, by kind (every kind listed; 0 where none or not applicable). */
  readonly faults: Readonly<Record<FaultKind, number>>;
  readonly corruptMessages: number;
  /** Events lost inside corrupt messages (with framing, a whole frame), faulty or not. */
  readonly eventsInCorruptMessages: number;
  readonly expected: ExpectedOutcome;
}

export interface Submission<E> {
  readonly event: E;
  readonly mark: FaultMark | undefined;
}

export class FaultInjector<E> {
  private pairs = 0;
  /** Duplicate pairs whose first copy went out decodable: the second copy is a DUPLICATE. */
  private readonly decodedOriginals = new Set<number>();
  private bronze = 0;
  private silver = 0;
  private corruptMessages = 0;
  private eventsInCorruptMessages = 0;
  private readonly reasons = new Map<string, number>();

  constructor(
    private readonly planner: FaultPlanner,
    private readonly faults: SourceFaults<E>,
  ) {}

  /** The events to submit, in order, for one source event: itself, a faulty version, or (duplicate) two copies. */
  plan(event: E): Submission<E>[] {
    const decision = this.planner.next();
    if (!decision) return [{ event, mark: undefined }];
    return this.apply(event, decision);
  }

  private apply(event: E, decision: FaultDecision): Submission<E>[] {
    const f = this.faults;
    switch (decision.kind) {
      case 'corrupt':
        return [{ event, mark: { kind: 'corrupt', corruption: decision.corruption ?? 'bad_magic' } }];
      case 'duplicate': {
        const pair = ++this.pairs;
        return [
          { event, mark: { kind: 'original', pair } },
          { event, mark: { kind: 'duplicate', pair } },
        ];
      }
      case 'out_of_range':
        return [{ event: f.outOfRange(event), mark: { kind: 'out_of_range' } }];
      case 'late':
        return [{ event: f.late(event), mark: { kind: 'late' } }];
      case 'null_required':
        if (!f.nullRequired) throw new RangeError('null_required is not a fault of this source');
        return [{ event: f.nullRequired(event), mark: { kind: 'null_required' } }];
      case 'unknown_session':
        if (!f.unknownSession) throw new RangeError('unknown_session is not a fault of this source');
        return [{ event: f.unknownSession(event), mark: { kind: 'unknown_session' } }];
    }
  }

  /** The pipeline's finishMessage stage: applies message-level faults and tallies the outcome. */
  readonly finishMessage = (message: PendingMessage<E, FaultMark>, bytes: Uint8Array): Uint8Array => {
    const marks = message.marks;
    let corruption: Corruption | undefined;
    let nullRequired = false;
    for (const mark of marks) {
      if (mark?.kind === 'corrupt') corruption ??= mark.corruption;
      else if (mark?.kind === 'null_required') nullRequired = true;
    }
    if (corruption !== undefined) {
      const broken = corruptMessage(bytes, corruption);
      const result = decode(broken);
      // corruptMessage guarantees a refusal (property-tested); a message that decodes anyway would be a bug here.
      if (result.ok) throw new Error(`corrupt (${corruption}) message still decodes`);
      this.corruptMessages += 1;
      this.eventsInCorruptMessages += message.events.length;
      this.count(result.error.code);
      return broken;
    }
    this.bronze += message.events.length;
    for (const mark of marks) {
      if (mark === undefined) this.silver += 1;
      else if (mark.kind === 'original') {
        this.silver += 1;
        this.decodedOriginals.add(mark.pair);
      } else if (mark.kind === 'duplicate') {
        // The first decodable copy goes to silver; the second is the duplicate.
        if (this.decodedOriginals.delete(mark.pair)) this.count(QUARANTINE_REASON.duplicate);
        else this.silver += 1;
      } else if (mark.kind !== 'corrupt') this.count(QUARANTINE_REASON[mark.kind]);
    }
    if (nullRequired && message.shape === 'single' && this.faults.dropRequired) return this.faults.dropRequired(bytes);
    return bytes;
  };

  report(): FaultReport {
    const injected = this.planner.injected();
    const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, injected[k]])) as Record<FaultKind, number>;
    const quarantineByReason = Object.fromEntries([...this.reasons].sort(([a], [b]) => a.localeCompare(b)));
    const quarantine = [...this.reasons.values()].reduce((a, b) => a + b, 0);
    return {
      rate: this.planner.rate,
      kinds: this.planner.kinds,
      faults,
      corruptMessages: this.corruptMessages,
      eventsInCorruptMessages: this.eventsInCorruptMessages,
      expected: { bronze: this.bronze, silver: this.silver, quarantine, quarantineByReason },
    };
  }

  private count(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }
}
