/**
 * The F1 session context the consumer denormalizes onto silver rows: the
 * simulator's F1Session, published to the compacted sessions topic (key
 * session_id) before any event of the session.
 */
import type { F1Session } from '@lakestream/schema';
import { F1Simulator } from '@lakestream/sim';

/** Topic config the sessions topic is created with: latest context per session_id survives compaction. */
export const SESSIONS_TOPIC_CONFIG = { 'cleanup.policy': 'compact' } as const;

/** The session a run of the simulator with these options produces (the same one simulateF1 builds). */
export function simulatedSession(options: { readonly cars: number; readonly seed: number; readonly startTimeNs: bigint }): F1Session {
  return new F1Simulator(options).session;
}

/** The sessions-topic record: key session_id, value the F1Session as JSON with start_time_ns as a decimal string. */
export function sessionRecord(session: F1Session): { readonly key: string; readonly value: string } {
  return { key: session.session_id, value: JSON.stringify({ ...session, start_time_ns: session.start_time_ns.toString() }) };
}
