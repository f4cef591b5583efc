/** The edge: argv and env in, one validated GoldCommand out (node:util parseArgs + zod), dbt's command names and flags. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from './errors.js';

export const DEFAULT_PROJECT_DIR = 'apps/gold/project';
export const DEFAULT_TABLES_DIR = 'data/delta-tables';
export const DEFAULT_REPORT = 'data/reports/gold-report.html';

export const HELP = `lakestream-gold: dbt-like SQL models on DuckDB over the silver Delta tables

Usage: lakestream-gold <command> [options]
       npx nx run gold:serve -- build --select +lap_metrics

Commands (dbt's names, flags and exit codes)
  run                    build the selected models in DAG order (table, view, ephemeral, incremental)
  test                   run the selected tests (generic from schema.yml, singular from tests/)
  build                  run + test in DAG order; a failing test skips the models downstream of it
  source freshness       check each source's loaded_at_field against its warn_after / error_after
  compile                render every selected model's SQL into target/compiled/
  ls                     list the selected nodes
  docs generate          target/manifest.json and a static lineage page target/index.html
  report                 a self-contained HTML report with charts from the gold tables

Options
  -s, --select <sel>     model, +model, model+, tag:x, path:models/marts, source:silver (space or
                         repeated = union, comma = intersection)                    GOLD_SELECT
  --exclude <sel>        remove these from the selection                            GOLD_EXCLUDE
  --full-refresh         rebuild incremental models from scratch                    GOLD_FULL_REFRESH
  --threads <n>          nodes built in parallel (default 1)                        GOLD_THREADS
  --tables <dir>         the Delta root (default ${DEFAULT_TABLES_DIR})             LAKESTREAM_TABLES
  --project-dir <dir>    the gold project (default ${DEFAULT_PROJECT_DIR})          GOLD_PROJECT_DIR
  --target-path <dir>    artifacts (default <project-dir>/target)                   GOLD_TARGET_PATH
  --out <file>           report: where (default ${DEFAULT_REPORT})                  GOLD_REPORT_OUT
  -h, --help             this help

Exit codes: 0 success, 1 a model, test or freshness check failed, 2 usage or project error.
`;

export const COMMANDS = ['run', 'test', 'build', 'source freshness', 'compile', 'ls', 'docs generate', 'report'] as const;
export type GoldCommandName = (typeof COMMANDS)[number];

export interface GoldConfig {
  readonly command: GoldCommandName;
  readonly select: readonly string[];
  readonly exclude: readonly string[];
  readonly fullRefresh: boolean;
  readonly threads: number;
  readonly tablesDir: string;
  readonly projectDir: string;
  readonly targetPath: string;
  readonly reportOut: string;
}

export type CliResult = { readonly command: 'help' } | { readonly command: 'gold'; readonly config: GoldConfig };

type Env = Readonly<Record<string, string | undefined>>;

const FLAGS = {
  select: { type: 'string', short: 's', multiple: true },
  models: { type: 'string', short: 'm', multiple: true },
  exclude: { type: 'string', multiple: true },
  'full-refresh': { type: 'boolean' },
  threads: { type: 'string' },
  tables: { type: 'string' },
  'project-dir': { type: 'string' },
  'target-path': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ENV: Record<string, string> = {
  select: 'GOLD_SELECT', exclude: 'GOLD_EXCLUDE', 'full-refresh': 'GOLD_FULL_REFRESH', threads: 'GOLD_THREADS',
  tables: 'LAKESTREAM_TABLES', 'project-dir': 'GOLD_PROJECT_DIR', 'target-path': 'GOLD_TARGET_PATH', out: 'GOLD_REPORT_OUT',
};

const Schema = z.object({
  threads: z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(64)).default(1),
  tables: z.string().min(1).default(DEFAULT_TABLES_DIR),
  'project-dir': z.string().min(1).default(DEFAULT_PROJECT_DIR),
  'target-path': z.string().min(1).optional(),
  out: z.string().min(1).default(DEFAULT_REPORT),
});

/** Selection arguments: repeated flags and space-separated words are a union (dbt). */
function words(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(/\s+/)).filter((w) => w.length > 0);
}

export function parseCli(argv: readonly string[], env: Env = {}): CliResult {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/^TypeError \[[A-Z_]+\]: /, '') : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) return { command: 'help' };
  const command = positionals.join(' ');
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command '${command}' (expected one of: ${COMMANDS.join(', ')})`);
  }
  const fromEnv = (flag: string): string | undefined => {
    const v = env[ENV[flag] ?? ''];
    return v === undefined || v === '' ? undefined : v;
  };
  const raw: Record<string, unknown> = {};
  for (const flag of ['threads', 'tables', 'project-dir', 'target-path', 'out'] as const) raw[flag] = values[flag] ?? fromEnv(flag);
  const checked = Schema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const flag = String(issue?.path[0] ?? '');
    const origin = values[flag as keyof typeof values] !== undefined ? `--${flag}` : (ENV[flag] ?? `--${flag}`);
    throw new UsageError(`${origin}: ${issue?.message ?? 'invalid value'}`);
  }
  const c = checked.data;
  const envBool = fromEnv('full-refresh');
  if (envBool !== undefined && !/^(1|true|yes|0|false|no)$/i.test(envBool)) throw new UsageError(`GOLD_FULL_REFRESH: expected 1/true/yes or 0/false/no, got ${envBool}`);
  const select = words([...(values.select ?? []), ...(values.models ?? [])]);
  const exclude = words(values.exclude);
  return {
    command: 'gold',
    config: {
      command: command as GoldCommandName,
      select: select.length > 0 ? select : words(fromEnv('select') === undefined ? [] : [fromEnv('select') as string]),
      exclude: exclude.length > 0 ? exclude : words(fromEnv('exclude') === undefined ? [] : [fromEnv('exclude') as string]),
      fullRefresh: values['full-refresh'] === true || (envBool !== undefined && /^(1|true|yes)$/i.test(envBool)),
      threads: c.threads,
      tablesDir: c.tables,
      projectDir: c['project-dir'],
      targetPath: c['target-path'] ?? `${c['project-dir']}/target`,
      reportOut: c.out,
    },
  };
}
