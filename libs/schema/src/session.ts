import { z } from 'zod';

export const SESSION_TYPES = ['PRACTICE', 'QUALIFYING', 'RACE'] as const;

/** Session context: not on the wire per event; silver denormalizes it onto every row. */
export const F1Session = z.strictObject({
  session_id: z.string().min(1).max(64),
  session_type: z.enum(SESSION_TYPES),
  /** UTC calendar date the session starts on, YYYY-MM-DD. */
  session_date: z.iso.date(),
  track: z.string().min(1).max(64),
  lap_length_m: z.number().min(1000).max(10_000),
  total_laps: z.int().min(1).max(200),
  start_time_ns: z.bigint().min(0n),
});
export type F1Session = z.infer<typeof F1Session>;
