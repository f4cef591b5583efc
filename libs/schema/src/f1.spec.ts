import { describe, expect, it } from 'vitest';
import { F1Event, F1_EVENT_TYPES, F1_PAYLOAD_FIELDS } from './f1.js';

const common = { session_id: '2026-bahrain-race', car_number: 44, lap: 3, event_id: 17n, event_time_ns: 1_780_000_000_000_000_000n };

describe('F1 event schemas', () => {
  it('accepts a plausible tire event and refuses an out-of-range pressure, naming the field', () => {
    const ok = F1Event.safeParse({ type: 'tire', ...common, corner: 'FL', compound: 'SOFT', pressure_psi: 23.1, surface_temp_c: 98, inner_temp_c: 105, wear_pct: 12.5 });
    expect(ok.success).toBe(true);
    const bad = F1Event.safeParse({ type: 'tire', ...common, corner: 'FL', compound: 'SOFT', pressure_psi: 99, surface_temp_c: 98, inner_temp_c: 105, wear_pct: 12.5 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['pressure_psi']);
  });

  it('has payload field names unique across event types, so silver can flatten them', () => {
    const seen = new Map<string, string>();
    for (const type of F1_EVENT_TYPES) {
      for (const field of Object.keys(F1_PAYLOAD_FIELDS[type])) {
        expect(seen.get(field), `${field} in ${type} and ${seen.get(field)}`).toBeUndefined();
        seen.set(field, type);
      }
    }
    expect(seen.size).toBe(38);
  });
});
