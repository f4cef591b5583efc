import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectError } from '../errors.js';
import { loadProject } from './load.js';

const scratch = mkdtempSync(join(tmpdir(), 'models-prop-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Models × columns × tests, one of the tests replaced by an unknown one. */
const shape = fc.array(fc.array(fc.subarray(['unique', 'not_null']), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });

describe('schema.yml errors point at the entry', () => {
  it('an unknown test anywhere is reported with its YAML path and line; a clean file loads every test', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(shape, fc.nat(), fc.boolean(), fc.boolean(), fc.boolean(), async (models, pick, flow, blankLines, withBad) => {
        const slots: [number, number, number][] = [];
        models.forEach((cols, m) => cols.forEach((tests, c) => tests.forEach((_, t) => slots.push([m, c, t]))));
        const bad = withBad && slots.length > 0 ? slots[pick % slots.length] : undefined;
        const lines: string[] = ['version: 2', ...(blankLines ? ['', '# models'] : []), 'models:'];
        let badLine = 0;
        models.forEach((cols, m) => {
          lines.push(`  - name: m${m}`, '    columns:');
          cols.forEach((tests, c) => {
            lines.push(`      - name: c${c}`);
            if (tests.length === 0) return;
            if (flow && bad?.[0] !== m) {
              lines.push(`        tests: [${tests.join(', ')}]`);
              return;
            }
            lines.push('        tests:');
            tests.forEach((t, k) => {
              const isBad = bad?.[0] === m && bad[1] === c && bad[2] === k;
              if (isBad) badLine = lines.length + 1;
              lines.push(`          - ${isBad ? 'bogus' : t}`);
            });
          });
        });
        const dir = join(scratch, `p${run++}`);
        mkdirSync(join(dir, 'models'), { recursive: true });
        writeFileSync(join(dir, 'gold_project.yml'), 'name: p\n');
        models.forEach((_, m) => writeFileSync(join(dir, 'models', `m${m}.sql`), 'select 1'));
        writeFileSync(join(dir, 'models', 'schema.yml'), `${lines.join('\n')}\n`);
        const result = await loadProject(dir).then(
          (p) => ({ ok: true as const, p }),
          (e: unknown) => ({ ok: false as const, e }),
        );
        if (bad) {
          expect(result.ok).toBe(false);
          const e = result.ok ? undefined : (result.e as ProjectError);
          expect(e).toBeInstanceOf(ProjectError);
          expect(e?.code).toBe('PROJECT_INVALID');
          expect(e?.context).toMatchObject({ file: 'models/schema.yml', yamlPath: `models[${bad[0]}].columns[${bad[1]}].tests[${bad[2]}]`, line: badLine });
        } else {
          expect(result.ok).toBe(true);
          expect(result.ok ? result.p.tests.size : -1).toBe(slots.length);
        }
      }),
      { numRuns: 80 },
    );
  });
});
