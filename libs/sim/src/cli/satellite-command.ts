/** `lakestream-sim satellite`: writes the seed's satellite CSV files. */
import { relative } from 'node:path';
import { z } from 'zod';
import { SATELLITE_DEFAULTS } from '../satellite/generate.js';
import { writeSatelliteSamples } from '../satellite/write.js';
import { intFlag, parseFlags, validate } from './args.js';
import type { CliIo } from './io.js';
import { delayedProgress } from './progress.js';

export const SATELLITE_HELP = `Usage: lakestream-sim satellite [options]

Writes one sat<i>.csv per satellite (columns temp_c,battery_charge_pct,altitude,
sensor1,sensor2,sensor3; 2 decimals; no index), like the seed's generator.
The same seed always gives the same files.

Options:
  --satellites N   number of satellites (files)        default ${SATELLITE_DEFAULTS.satellites}
  --samples N      rows per file                       default ${SATELLITE_DEFAULTS.samples}
  --seed N         random seed                         default ${SATELLITE_DEFAULTS.seed}
  --out DIR        output directory                    default data/samples
  --force          replace DIR if it already holds files
  -h, --help       show this help
`;

const Flags = z.object({
  satellites: intFlag(1, 1_000_000).default(SATELLITE_DEFAULTS.satellites),
  samples: intFlag(0, 10_000_000).default(SATELLITE_DEFAULTS.samples),
  seed: intFlag(0, 2 ** 32 - 1).default(SATELLITE_DEFAULTS.seed),
  out: z.string().min(1, 'must not be empty').default('data/samples'),
  force: z.boolean().default(false),
});

export async function satelliteCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseFlags('satellite', argv, {
    satellites: { type: 'string' },
    samples: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(SATELLITE_HELP);
    return 0;
  }
  const flags = validate('satellite', Flags, values);
  const started = performance.now();
  const progress = delayedProgress({ total: flags.satellites, label: 'satellites', stream: io.stderr });
  try {
    const result = await writeSatelliteSamples({
      dir: flags.out,
      satellites: flags.satellites,
      samples: flags.samples,
      seed: flags.seed,
      force: flags.force,
      onProgress: (done) => progress.update(done),
    });
    progress.stop();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const shown = relative(io.cwd, result.dir) || '.';
    io.stdout.write(
      `wrote ${result.files} files × ${flags.samples} rows (${(result.bytes / 1e6).toFixed(1)} MB, seed ${flags.seed}) to ${shown.startsWith('..') ? result.dir : shown} in ${seconds}s${result.replaced ? ' (replaced)' : ''}\n`,
    );
    return 0;
  } finally {
    progress.stop();
  }
}
