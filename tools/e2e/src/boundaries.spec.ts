import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { inWorkspace, WORKSPACE_ROOT } from './workspace.js';

/**
 * The module-boundary rules must forbid something real: lint probe sources as
 * if they sat inside a project, with the workspace's own eslint config.
 */
const eslint = new ESLint({ cwd: WORKSPACE_ROOT });

async function ruleIds(project: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: inWorkspace(project, 'src', 'boundary-probe.ts') });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (eslint.config.mjs)', () => {
  it('keeps kafkajs out of the pure libs', async () => {
    for (const lib of ['libs/codec', 'libs/quality']) {
      const errors = await ruleIds(lib, "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n");
      expect(errors.some((e) => e.startsWith('@nx/enforce-module-boundaries') && e.includes('kafkajs')), `${lib}: ${errors.join('; ')}`).toBe(true);
    }
  });

  it('keeps node:fs, fs and child_process out of schema, codec and quality sources', async () => {
    for (const lib of ['libs/schema', 'libs/codec', 'libs/quality']) {
      for (const mod of ['node:fs', 'fs', 'node:child_process']) {
        const errors = await ruleIds(lib, `import * as m from '${mod}';\nexport const x = m;\n`);
        expect(errors.some((e) => e.startsWith('no-restricted-imports')), `${lib} ${mod}: ${errors.join('; ')}`).toBe(true);
      }
    }
  });

  it('lets a pure lib depend only on pure libs, and no lib depend on an app', async () => {
    const pure = await ruleIds('libs/codec', "import { BatchingPublisher } from '@lakestream/publisher';\nexport const p = BatchingPublisher;\n");
    expect(pure.some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
    // An app has no package exports; the ways a lib could reach into one are both refused.
    for (const spec of ['@lakestream/producer/src/main.js', '../../../apps/producer/src/main.js']) {
      const onApp = await ruleIds('libs/sim', `import * as app from '${spec}';\nexport const a = app;\n`);
      expect(onApp.some((e) => e.startsWith('@nx/enforce-module-boundaries')), `${spec}: ${onApp.join('; ')}`).toBe(true);
    }
  });

  it('allows what the design wants: apps on libs, io libs on node:fs', async () => {
    expect(await ruleIds('apps/producer', "import { decode } from '@lakestream/codec';\nimport { readFileSync } from 'node:fs';\nexport const d = [decode, readFileSync];\n")).toEqual([]);
    expect(await ruleIds('libs/sim', "import { writeFileSync } from 'node:fs';\nexport const w = writeFileSync;\n")).toEqual([]);
  });
});
