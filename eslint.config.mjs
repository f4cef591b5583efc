import nx from '@nx/eslint-plugin';

/** Modules that must stay out of the pure libs (schema, codec, quality): they are bytes in, values out. */
const ioModules = [
  'kafkajs', 'kafkajs/*',
  'fs', 'fs/*', 'node:fs', 'node:fs/*',
  'child_process', 'node:child_process',
  'net', 'node:net',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/src/generated/**', '**/node_modules', 'data/**', 'tmp/**', '**/*.timestamp*'],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'io:pure', onlyDependOnLibsWithTags: ['io:pure'], bannedExternalImports: ['kafkajs', 'kafkajs/*'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tool configs are not part of any lib's module graph; they all extend tools/vitest/shared.ts.
    files: ['**/vitest.config.ts', '**/eslint.config.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Belt and braces for the pure libs: node builtins are not project-graph nodes, so
    // also forbid them with the core rule, which sees every import specifier.
    files: ['libs/schema/src/**/*.ts', 'libs/codec/src/**/*.ts', 'libs/quality/src/**/*.ts', 'libs/protocol/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules.filter((m) => !m.endsWith('/*')).map((name) => ({ name, message: 'schema, codec and quality are pure: no I/O modules (ARCHITECTURE.md #13).' })), patterns: [{ group: ['kafkajs/*', 'node:fs/*', 'fs/*'], message: 'schema, codec and quality are pure: no I/O modules.' }] }],
    },
  },
];
