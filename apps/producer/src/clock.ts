/**
 * Wall-clock nanoseconds for event timestamps: Date.now() read once as the
 * anchor, then advanced by the monotonic hrtime, so stamps have ns
 * resolution and never go backwards within a run.
 */
const anchorNs = BigInt(Date.now()) * 1_000_000n;
const anchorHr = process.hrtime.bigint();

export function nowNs(): bigint {
  return anchorNs + (process.hrtime.bigint() - anchorHr);
}
