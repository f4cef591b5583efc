import { F1Session } from '@lakestream/schema';
import { describe, expect, it } from 'vitest';
import { buildF1Session, buildF1Weekend, F1_SESSION_DURATION_S } from './session.js';

describe('race weekend sessions', () => {
  it('builds the five sessions of the default weekend with UTC start times', () => {
    const weekend = buildF1Weekend();
    expect(weekend.map((s) => [s.session_id, s.session_type, s.session_date, new Date(Number(s.start_time_ns / 1_000_000n)).toISOString()])).toEqual([
      ['2026-lakestream-ring-fp1', 'PRACTICE', '2026-03-06', '2026-03-06T11:30:00.000Z'],
      ['2026-lakestream-ring-fp2', 'PRACTICE', '2026-03-06', '2026-03-06T15:00:00.000Z'],
      ['2026-lakestream-ring-fp3', 'PRACTICE', '2026-03-07', '2026-03-07T11:30:00.000Z'],
      ['2026-lakestream-ring-qualifying', 'QUALIFYING', '2026-03-07', '2026-03-07T15:00:00.000Z'],
      ['2026-lakestream-ring-race', 'RACE', '2026-03-08', '2026-03-08T15:00:00.000Z'],
    ]);
    for (const session of weekend) expect(F1Session.safeParse(session).success).toBe(true);
    const race = weekend[4] as F1Session;
    expect(race.total_laps).toBe(57); // fewest laps over 305 km on a 5.412 km lap
    expect(race.lap_length_m).toBe(5412);
    // Practice and qualifying: about as many laps as fit in the hour.
    expect((weekend[0] as F1Session).total_laps).toBeGreaterThan(30);
    expect((weekend[0] as F1Session).total_laps).toBeLessThan(45);
    expect(F1_SESSION_DURATION_S.RACE).toBe(7200);
  });

  it('moves with the date and refuses impossible dates', () => {
    expect(buildF1Session('QUALIFYING', { date: '2027-12-31' })).toMatchObject({ session_id: '2027-lakestream-ring-qualifying', session_date: '2028-01-01' });
    expect(() => buildF1Weekend({ date: '2026-02-30' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => buildF1Weekend({ date: 'tomorrow' })).toThrow(/YYYY-MM-DD/);
  });
});
