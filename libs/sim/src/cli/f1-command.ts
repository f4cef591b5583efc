/** `lakestream-sim f1`: prints simulated F1 events for inspection (JSON lines or a summary). */
import { once } from 'node:events';
import { SESSION_TYPES, type F1Event } from '@lakestream/schema';
import { z } from 'zod';
import { simulateF1 } from '../f1/pacing.js';
import { DEFAULT_WEEKEND_DATE } from '../f1/session.js';
import { F1_DEFAULTS } from '../f1/simulator.js';
import { intFlag, parseFlags, validate } from './args.js';
import type { CliIo } from './io.js';

export const F1_HELP = `Usage: lakestream-sim f1 [options]

Simulates a Formula 1 session and prints its events: position 10 Hz,
dynamics 20 Hz, power_unit 50 Hz, tire 5 Hz per corner, aerodynamics 10 Hz
per car, system on change. 64-bit integers are printed as strings.

Options:
  --cars N          number of cars, 1..99                  default ${F1_DEFAULTS.cars}
  --seconds N       simulated seconds to print             default 10
  --session TYPE    race | qualifying | practice           default race
  --date DATE       first day of the weekend, YYYY-MM-DD   default ${DEFAULT_WEEKEND_DATE}
  --seed N          random seed                            default ${F1_DEFAULTS.seed}
  --format FORMAT   jsonl (one event per line) | summary   default jsonl
  --realtime        emit at wall-clock pace instead of as fast as possible
  -h, --help        show this help
`;

const Flags = z.object({
  cars: intFlag(1, 99).default(F1_DEFAULTS.cars),
  seconds: intFlag(0, 7200).default(10),
  session: z.enum(['race', 'qualifying', 'practice']).default('race'),
  date: z.iso.date('expected YYYY-MM-DD').default(DEFAULT_WEEKEND_DATE),
  seed: intFlag(0, 2 ** 32 - 1).default(F1_DEFAULTS.seed),
  format: z.enum(['jsonl', 'summary']).default('jsonl'),
  realtime: z.boolean().default(false),
});

const bigintAsString = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

export async function f1Command(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const values = parseFlags('f1', argv, {
    cars: { type: 'string' },
    seconds: { type: 'string' },
    session: { type: 'string' },
    date: { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string' },
    realtime: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(F1_HELP);
    return 0;
  }
  const flags = validate('f1', Flags, values);
  const sessionType = flags.session.toUpperCase() as (typeof SESSION_TYPES)[number];
  const events = simulateF1({
    cars: flags.cars,
    seed: flags.seed,
    sessionType,
    date: flags.date,
    pacing: flags.realtime ? 'realtime' : 'asap',
    durationMs: flags.seconds * 1000,
    ...(signal ? { signal } : {}),
  });
  // A closed pipe surfaces as an 'error' event; without a listener it would crash the process.
  const ignore = (): void => undefined;
  io.stdout.on('error', ignore);
  try {
    return await print(flags, events, io);
  } finally {
    io.stdout.off('error', ignore);
  }
}

async function print(flags: z.output<typeof Flags>, events: AsyncIterable<F1Event>, io: CliIo): Promise<number> {
  const started = performance.now();
  const counts = new Map<F1Event['type'], number>();
  let total = 0;
  let buffer = '';
  for await (const event of events) {
    total++;
    if (flags.format === 'summary') {
      counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
      continue;
    }
    buffer += JSON.stringify(event, bigintAsString) + '\n';
    if (buffer.length > 65_536 || flags.realtime) {
      if (!(await write(io.stdout, buffer))) return 0;
      buffer = '';
    }
  }
  if (flags.format === 'summary') {
    const seconds = (performance.now() - started) / 1000;
    const lines = [...counts].map(([type, n]) => `  ${type.padEnd(13)} ${String(n).padStart(10)}`);
    buffer = `${total} events from ${flags.cars} cars over ${flags.seconds} simulated s in ${seconds.toFixed(2)} s\n${lines.join('\n')}\n`;
  }
  await write(io.stdout, buffer);
  return 0;
}

/** Writes with backpressure; false once the reader went away (EPIPE, e.g. `| head`). */
async function write(stream: NodeJS.WriteStream, text: string): Promise<boolean> {
  if (text.length === 0) return true;
  if (stream.destroyed || stream.writableEnded || stream.errored) return false;
  if (stream.write(text)) return true;
  try {
    await once(stream, 'drain');
    return true;
  } catch {
    return false;
  }
}
