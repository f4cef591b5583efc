/**
 * The fault planner: a pure, seeded decision per source event — no fault, or
 * exactly one fault kind — so `--inject-faults <rate> --seed <n>` gives the
 * same sequence of decisions on every run.
 */
import { Prng } from '@lakestream/sim';

/** What the producer can break, and what the consumer should make of it. */
export const FAULT_KINDS = ['corrupt', 'out_of_range', 'null_required', 'duplicate', 'unknown_session', 'late'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds that apply to each source: satellites have no sessions and no nullable-by-absence field we use. */
export const SOURCE_FAULT_KINDS = {
  f1: FAULT_KINDS,
  satellite: ['corrupt', 'out_of_range', 'duplicate', 'late'],
} as const satisfies Record<string, readonly FaultKind[]>;

/** How a `corrupt` message is broken; each one is certain to fail decode() (see mutate.ts). */
export const CORRUPTIONS = ['bad_magic', 'unknown_schema', 'truncated', 'bad_root'] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

export interface FaultDecision {
  readonly kind: FaultKind;
  /** Only for `corrupt`. */
  readonly corruption?: Corruption;
}

/** Stream number of the planner's PRNG: independent of the simulator's and the sleep jitter's streams for the same seed. */
const FAULT_STREAM = 0x6661_756c; // "faul"

export class FaultPlanner {
  private readonly prng: Prng;
  private readonly counts: Record<FaultKind, number> = { corrupt: 0, out_of_range: 0, null_required: 0, duplicate: 0, unknown_session: 0, late: 0 };
  private decided = 0;

  /**
   * @param rate probability in [0, 1] that an event is replaced by a fault
   * @param kinds the kinds to choose among, uniformly
   */
  constructor(
    readonly rate: number,
    seed: number,
    readonly kinds: readonly FaultKind[],
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate must be in [0, 1], got ${rate}`);
    if (kinds.length === 0) throw new RangeError('at least one fault kind is needed');
    this.prng = new Prng(seed, FAULT_STREAM);
  }

  /** The decision for the next event: undefined (leave it alone) or one fault. Always draws the same number of values. */
  next(): FaultDecision | undefined {
    this.decided += 1;
    const roll = this.prng.float();
    const pick = this.prng.nextUint32();
    const variant = this.prng.nextUint32();
    if (this.rate === 0 || roll >= this.rate) return undefined;
    const kind = this.kinds[pick % this.kinds.length] as FaultKind;
    this.counts[kind] += 1;
    return kind === 'corrupt' ? { kind, corruption: CORRUPTIONS[variant % CORRUPTIONS.length] as Corruption } : { kind };
  }

  /** Events decided so far. */
  get events(): number {
    return this.decided;
  }

  /** Faults chosen so far, by kind. */
  injected(): Readonly<Record<FaultKind, number>> {
    return { ...this.counts };
  }
}
