import { DuckDBInstance, type DuckDBConnection, type JS } from '@duckdb/node-api';
import { RunError, type ModelsErrorContext } from '../errors.js';

export type Row = Record<string, JS>;

/**
 * One in-memory DuckDB for a run: sources are views in `main`, models are
 * tables/views named after them; every connection runs with `TimeZone =
 * 'UTC'` (Delta timestamps are instants). `connect()` gives the extra
 * connections `--threads` runs nodes on; catalog objects are shared by all.
 */
export class Engine {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly main: DuckDBConnection,
  ) {}

  static async open(options: { threads?: number; memoryLimit?: string } = {}): Promise<Engine> {
    const config: Record<string, string> = {};
    if (options.threads !== undefined) config['threads'] = String(options.threads);
    if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const main = await instance.connect();
    await main.run("SET TimeZone = 'UTC'");
    return new Engine(instance, main);
  }

  async connect(): Promise<DuckDBConnection> {
    const c = await this.instance.connect();
    await c.run("SET TimeZone = 'UTC'");
    return c;
  }

  close(): void {
    this.main.closeSync();
    this.instance.closeSync();
  }
}

/** Runs one statement; a DuckDB failure becomes `SQL_FAILED` naming the node and carrying the SQL's start. */
export async function exec(connection: DuckDBConnection, sql: string, context: ModelsErrorContext = {}): Promise<void> {
  try {
    await connection.run(sql);
  } catch (cause) {
    throw sqlFailed(cause, sql, context);
  }
}

/** Runs a query and returns its rows as JS values (BIGINT → bigint, DATE/TIMESTAMP → Date). */
export async function query(connection: DuckDBConnection, sql: string, context: ModelsErrorContext = {}): Promise<Row[]> {
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } catch (cause) {
    throw sqlFailed(cause, sql, context);
  }
}

export function sqlFailed(cause: unknown, sql: string, context: ModelsErrorContext): RunError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new RunError('SQL_FAILED', `${message}\n-- in --\n${sql.length > 1500 ? `${sql.slice(0, 1500)} …` : sql}`, context, { cause });
}
