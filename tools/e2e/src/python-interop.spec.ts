import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeF1Event, encodeF1Frame, encodeSatelliteFrame, encodeSatelliteSample } from '@lakestream/codec';
import { columnRegistry, F1_COMMON_FIELDS, F1_EVENT_TYPES, F1_PAYLOAD_FIELDS, SatelliteSample, type F1Event } from '@lakestream/schema';
import { F1Simulator } from '@lakestream/sim';
import { requireTool } from '@lakestream/testing';
import type { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { inWorkspace } from './workspace.js';

// Debian's python3 (not a pyenv shim) carries the python3-flatbuffers package.
const PYTHON = '/usr/bin/python3';
const ready = requireTool('flatc', ['--version']) && requireTool(PYTHON, ['-c', 'import flatbuffers']);
const scratch = mkdtempSync(join(tmpdir(), 'lakestream-py-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TABLE_OF = ['Position', 'Dynamics', 'PowerUnit', 'Tire', 'Aerodynamics', 'SystemStatus'];
const fieldSpec = (shape: Readonly<Record<string, z.ZodType>>) =>
  Object.entries(shape)
    .filter(([name]) => name !== 'type')
    .map(([name, schema]) => [name, columnRegistry.get(schema)?.type === 'int64' ? 'int64' : columnRegistry.get(schema)?.type === 'enum' ? 'enum' : 'other']);

/** What Python should print for one of our events: int64 as strings, enums as wire indexes. */
function expected(event: Record<string, unknown>, shapes: Readonly<Record<string, z.ZodType>>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const shape of shapes) {
    for (const [name, schema] of Object.entries(shape)) {
      if (name === 'type') continue;
      const meta = columnRegistry.get(schema);
      const value = event[name];
      out[name] = meta?.type === 'int64' ? String(value) : meta?.type === 'enum' ? (meta.values ?? []).indexOf(value as string) : value;
    }
  }
  return out;
}

describe.skipIf(!ready)('wire format read by the FlatBuffers Python runtime', () => {
  it('decodes our single and framed messages, satellite and F1, field for field', () => {
    const gen = join(scratch, 'py');
    execFileSync('flatc', ['--python', '-o', gen, inWorkspace('libs/schema/fbs/telemetry.fbs')]);
    const spec: Record<string, unknown> = { SatelliteSample: fieldSpec(SatelliteSample.shape), F1Event: fieldSpec(F1_COMMON_FIELDS) };
    F1_EVENT_TYPES.forEach((t, i) => (spec[TABLE_OF[i] as string] = fieldSpec(F1_PAYLOAD_FIELDS[t])));
    writeFileSync(join(scratch, 'spec.json'), JSON.stringify(spec));

    const samples: SatelliteSample[] = Array.from({ length: 25 }, (_, i) => ({
      satellite: `sat${i % 3}`,
      timestamp_ns: 1_790_000_000_123_456_789n + BigInt(i),
      temp_c: -99.99 + i * 7.31,
      battery_charge_pct: (i * 3.77) % 100,
      altitude: 160 + i * 61.1,
      sensor1: Math.sin(i),
      sensor2: Math.cos(i),
      sensor3: -0.5,
    }));
    const f1: F1Event[] = [];
    for (const e of new F1Simulator({ cars: 3, seed: 11 }).events()) {
      f1.push(e);
      if (f1.length >= 3000 && F1_EVENT_TYPES.every((t) => f1.some((x) => x.type === t))) break;
    }
    const messages = [
      encodeSatelliteSample(samples[0] as SatelliteSample),
      encodeF1Event(f1[0] as F1Event),
      encodeSatelliteFrame(samples),
      encodeF1Frame(f1),
    ];
    const files = messages.map((bytes, i) => {
      const file = join(scratch, `m${i}.bin`);
      writeFileSync(file, bytes);
      return file;
    });
    const out = JSON.parse(
      execFileSync(PYTHON, [inWorkspace('tools/e2e/python/decode_frames.py'), gen, join(scratch, 'spec.json'), ...files], { encoding: 'utf8', maxBuffer: 64 << 20 }),
    ) as { messages: { schema_id: number; events: Record<string, unknown>[] }[] };

    expect(out.messages.map((m) => m.schema_id)).toEqual([1, 2, 3, 4]);
    const sat = (s: SatelliteSample) => expected(s, [SatelliteSample.shape]);
    const car = (e: F1Event) => ({
      ...expected(e, [F1_COMMON_FIELDS, F1_PAYLOAD_FIELDS[e.type]]),
      payload_tag: F1_EVENT_TYPES.indexOf(e.type) + 1,
    });
    expect(out.messages[0]?.events).toEqual([sat(samples[0] as SatelliteSample)]);
    expect(out.messages[1]?.events).toEqual([car(f1[0] as F1Event)]);
    expect(out.messages[2]?.events).toEqual(samples.map(sat));
    expect(out.messages[3]?.events).toEqual(f1.map(car));
  });
});
