/**
 * Writes the golden fixtures of wire version 1 into src/v1/fixtures/:
 * `<name>.bin` (the encoded message) and `events.json` (what each encodes,
 * int64 fields as decimal strings). Run from the workspace root:
 *
 *   nx run codec:write-fixtures
 *   node --conditions=@lakestream/source --import tsx libs/codec/scripts/write-fixtures.ts [--force]
 *
 * Golden bytes are a promise to every reader of wire v1: an existing .bin
 * that would change is reported and left alone unless --force is given
 * (only ever right before v1 is first released). New fixtures are written.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { F1Event, SatelliteSample } from '@lakestream/schema';
import { encodeF1Event, encodeF1Frame, encodeSatelliteFrame, encodeSatelliteSample } from '../src/index.js';
import { FIXTURES } from './fixture-events.js';

const force = process.argv.includes('--force');
const dir = join(dirname(fileURLToPath(import.meta.url)), '../src/v1/fixtures');
mkdirSync(dir, { recursive: true });

function encode(schemaId: number, events: readonly (F1Event | SatelliteSample)[]): Uint8Array {
  switch (schemaId) {
    case 1:
      return encodeSatelliteSample(events[0] as SatelliteSample);
    case 2:
      return encodeF1Event(events[0] as F1Event);
    case 3:
      return encodeSatelliteFrame(events as SatelliteSample[]);
    default:
      return encodeF1Frame(events as F1Event[]);
  }
}

let changed = 0;
for (const [name, { schemaId, events }] of Object.entries(FIXTURES)) {
  const file = join(dir, `${name}.bin`);
  const bytes = encode(schemaId, events);
  if (existsSync(file)) {
    const old = readFileSync(file);
    if (Buffer.compare(old, bytes) === 0) continue;
    if (!force) {
      console.error(`${name}.bin would change (${old.length} → ${bytes.length} bytes); left alone (use --force)`);
      changed++;
      continue;
    }
  }
  writeFileSync(file, bytes);
  console.log(`wrote ${name}.bin (${bytes.length} bytes)`);
}

const json = JSON.stringify(
  { wireVersion: 1, int64: 'decimal strings', fixtures: FIXTURES },
  (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
  2,
);
const jsonFile = join(dir, 'events.json');
if (!existsSync(jsonFile) || readFileSync(jsonFile, 'utf8') !== `${json}\n`) {
  if (existsSync(jsonFile) && !force && changed > 0) {
    console.error('events.json left alone because fixtures differ');
  } else {
    writeFileSync(jsonFile, `${json}\n`);
    console.log('wrote events.json');
  }
}
process.exitCode = changed > 0 ? 1 : 0;
