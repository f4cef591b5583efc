import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS, parseCli } from './cli.js';
import { UsageError } from './errors.js';

const config = (argv: string[], env: Record<string, string> = {}) => {
  const r = parseCli(argv, env);
  if (r.command !== 'gold') throw new Error('expected a command');
  return r.config;
};

describe('gold CLI', () => {
  it('knows dbt’s commands, two-word ones included', () => {
    for (const c of COMMANDS) expect(config(c.split(' ')).command).toBe(c);
    expect(parseCli([])).toEqual({ command: 'help' });
    expect(parseCli(['run', '--help'])).toEqual({ command: 'help' });
  });

  it('takes selections as dbt does: repeated and space-separated are a union; -m is --select', () => {
    const c = config(['build', '-s', '+lap_metrics tag:daily', '--select', 'path:models/marts', '-m', 'x', '--exclude', 'session_metrics']);
    expect(c.select).toEqual(['+lap_metrics', 'tag:daily', 'path:models/marts', 'x']);
    expect(c.exclude).toEqual(['session_metrics']);
  });

  it('defaults, flags and env', () => {
    expect(config(['run'])).toMatchObject({ threads: 1, fullRefresh: false, tablesDir: 'data/delta-tables', projectDir: 'apps/gold/project', targetPath: 'apps/gold/project/target' });
    expect(config(['run', '--full-refresh', '--threads', '4', '--tables', '/t', '--project-dir', 'p'])).toMatchObject({ fullRefresh: true, threads: 4, tablesDir: '/t', targetPath: 'p/target' });
    expect(config(['run'], { GOLD_THREADS: '3', LAKESTREAM_TABLES: '/x', GOLD_FULL_REFRESH: 'yes', GOLD_SELECT: 'a b' })).toMatchObject({ threads: 3, tablesDir: '/x', fullRefresh: true, select: ['a', 'b'] });
    expect(config(['run', '--threads', '2'], { GOLD_THREADS: '3' }).threads).toBe(2);
  });

  it('refuses bad input with a UsageError naming the flag or env var', () => {
    expect(() => parseCli(['fly'])).toThrow(UsageError);
    expect(() => parseCli(['run', '--threads', '0'])).toThrow(/--threads/);
    expect(() => parseCli(['run'], { GOLD_THREADS: 'x' })).toThrow(/GOLD_THREADS/);
    expect(() => parseCli(['run', '--bogus'])).toThrow(UsageError);
    expect(() => parseCli(['source'])).toThrow(/unknown command 'source'/);
  });

  it('never throws anything but a UsageError on arbitrary argv', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('run', 'build', 'source', 'freshness', '-s', '--threads', '--exclude', '--full-refresh', '-h'), fc.string())), (argv) => {
        try {
          parseCli(argv);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
    );
  });
});
