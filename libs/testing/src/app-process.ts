/**
 * A built Node app (broker, producer, consumer `dist/main.js`) as a child
 * process for cross-process tests: output captured line by line, waits with
 * timeouts, signals, and errors that carry the command and the output tails so
 * a failing test shows why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { AppProcessError } from './errors.js';

export interface SpawnAppOptions {
  /** Extra environment; `undefined` removes a variable inherited from the test process. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Name used in messages (default: the script's parent directory, e.g. `consumer`). */
  readonly name?: string;
  /** Node flags before the script (e.g. `--max-old-space-size=256`). */
  readonly nodeArgs?: readonly string[];
  /** Echo each output line to the test's stderr with a `[name]` prefix (or set LAKESTREAM_E2E_ECHO=1). */
  readonly echo?: boolean;
}

export interface AppExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every stdout / stderr line so far (without the newline). */
  readonly stdoutLines: readonly string[];
  readonly stderrLines: readonly string[];
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with the first line (stdout or stderr, as chosen) matching
   * `pattern`, already printed or still to come; rejects with APP_TIMEOUT after
   * `timeoutMs` or APP_EXITED if the process exits first.
   */
  waitForLine(pattern: RegExp, timeoutMs?: number, stream?: 'stdout' | 'stderr' | 'both'): Promise<RegExpExecArray>;
  /** Sends a signal (default SIGTERM); no-op once exited. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGKILL, then resolves once the process is gone. */
  kill9(): Promise<AppExit>;
  /** Sends `signal`, waits up to `timeoutMs` for the exit, then SIGKILLs (APP_TIMEOUT if it had to). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<AppExit>;
  /** Resolves once, when the process exited and its output streams closed. */
  readonly exited: Promise<AppExit>;
  /** Rejects with APP_TIMEOUT (SIGKILLing the process) if it has not exited within `timeoutMs`. */
  waitForExit(timeoutMs?: number): Promise<AppExit>;
  /** A summary for error messages: command, exit, the last lines of stdout and stderr. */
  describe(): string;
}

const TAIL_LINES = 40;

/** Starts `node <nodeArgs> script <args>`. Throws APP_START_FAILED when the script is not built. */
export function spawnApp(script: string, args: readonly string[] = [], options: SpawnAppOptions = {}): AppProcess {
  const name = options.name ?? basename(script.replace(/\/dist\/main\.js$/, ''));
  const command = `node ${[...(options.nodeArgs ?? []), script, ...args].join(' ')}`;
  if (!existsSync(script)) {
    throw new AppProcessError('APP_START_FAILED', `${script} is missing: build the app first (nx run ${name}:build; nx run e2e:test builds it)`, { command });
  }
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const echo = options.echo ?? process.env['LAKESTREAM_E2E_ECHO'] === '1';
  const stdoutLines: string[] = [];
  const stderrLines: string[] = [];
  const watchers = new Set<{ pattern: RegExp; stream: 'stdout' | 'stderr' | 'both'; resolve: (m: RegExpExecArray) => void }>();
  let exit: AppExit | null = null;
  let spawnError: Error | null = null;

  const onLine = (stream: 'stdout' | 'stderr', line: string): void => {
    (stream === 'stdout' ? stdoutLines : stderrLines).push(line);
    if (echo) process.stderr.write(`[${name}${stream === 'stderr' ? '!' : ''}] ${line}\n`);
    for (const w of [...watchers]) {
      if (w.stream !== 'both' && w.stream !== stream) continue;
      const m = w.pattern.exec(line);
      if (m) {
        watchers.delete(w);
        w.resolve(m);
      }
    }
  };
  const lineReader = (stream: 'stdout' | 'stderr') => {
    let partial = '';
    return {
      data(chunk: string) {
        partial += chunk;
        let nl = partial.indexOf('\n');
        while (nl >= 0) {
          onLine(stream, partial.slice(0, nl).replace(/\r$/, ''));
          partial = partial.slice(nl + 1);
          nl = partial.indexOf('\n');
        }
      },
      end() {
        if (partial !== '') onLine(stream, partial);
        partial = '';
      },
    };
  };
  const out = lineReader('stdout');
  const err = lineReader('stderr');
  child.stdout?.setEncoding('utf8').on('data', out.data).on('end', out.end);
  child.stderr?.setEncoding('utf8').on('data', err.data).on('end', err.end);

  const exited = new Promise<AppExit>((resolve) => {
    child.on('error', (e) => {
      spawnError = e;
      exit = { code: null, signal: null };
      resolve(exit);
    });
    child.on('close', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });

  const tail = (lines: readonly string[]) => lines.slice(-TAIL_LINES).join('\n');
  const describe = (): string => {
    const status = exit ? `exited (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'})` : `running (pid ${child.pid ?? '?'})`;
    return `${command}\n  ${status}${spawnError ? `, spawn error: ${spawnError.message}` : ''}\n  --- stdout (last ${TAIL_LINES} lines) ---\n${tail(stdoutLines)}\n  --- stderr (last ${TAIL_LINES} lines) ---\n${tail(stderrLines)}`;
  };
  const context = () => ({ command, pid: child.pid, exit, stdout: tail(stdoutLines), stderr: tail(stderrLines) });

  const app: AppProcess = {
    name,
    child,
    pid: child.pid ?? -1,
    stdoutLines,
    stderrLines,
    stdout: () => stdoutLines.join('\n'),
    stderr: () => stderrLines.join('\n'),
    waitForLine(pattern, timeoutMs = 30_000, stream = 'both') {
      const seen = [...(stream !== 'stderr' ? stdoutLines : []), ...(stream !== 'stdout' ? stderrLines : [])];
      for (const line of seen) {
        const m = pattern.exec(line);
        if (m) return Promise.resolve(m);
      }
      return new Promise<RegExpExecArray>((resolve, reject) => {
        const watcher = {
          pattern,
          stream,
          resolve: (m: RegExpExecArray) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          watchers.delete(watcher);
          reject(new AppProcessError('APP_TIMEOUT', `${name} printed no line matching ${String(pattern)} within ${timeoutMs} ms\n${describe()}`, context()));
        }, timeoutMs);
        watchers.add(watcher);
        void exited.then(() => {
          if (!watchers.has(watcher)) return;
          watchers.delete(watcher);
          clearTimeout(timer);
          reject(new AppProcessError('APP_EXITED', `${name} exited before printing a line matching ${String(pattern)}\n${describe()}`, context()));
        });
      });
    },
    kill(signal = 'SIGTERM') {
      if (exit === null && child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async kill9() {
      app.kill('SIGKILL');
      return exited;
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      app.kill(signal);
      const timer = setTimeout(() => app.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      if (result.signal === 'SIGKILL' && signal !== 'SIGKILL') {
        throw new AppProcessError('APP_TIMEOUT', `${name} did not exit within ${timeoutMs} ms of ${signal}; killed\n${describe()}`, context());
      }
      return result;
    },
    exited,
    async waitForExit(timeoutMs = 60_000) {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        app.kill('SIGKILL');
      }, timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      if (timedOut) throw new AppProcessError('APP_TIMEOUT', `${name} did not exit within ${timeoutMs} ms; killed\n${describe()}`, context());
      return result;
    },
    describe,
  };
  return app;
}
