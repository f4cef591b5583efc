import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * One vitest config shape for every project. Tests run against workspace
 * sources (the `@lakestream/source` export condition), so `nx run x:test`
 * never needs a build first.
 */
const conditions = ['@lakestream/source', 'node', 'import', 'module', 'default'];

export function projectTestConfig(name: string, test: NonNullable<ViteUserConfig['test']> = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@lakestream/source'] } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      reporters: ['default'],
      ...test,
    },
  });
}
