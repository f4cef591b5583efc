// The bench's own specs (parse.spec.ts): `npx vitest run --config bench/vitest.config.mts` from apps/consumer.
// The project's vitest.config.ts includes only src/ and test/, so `nx run consumer:test` does not run them.
// A tool config like every vitest.config.ts (for which the root eslint config turns this rule off); .mts keeps it out of tsconfig.spec.json's rootDir.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { projectTestConfig } from '../../../tools/vitest/shared.js';

export default projectTestConfig('consumer-bench', { include: ['bench/**/*.spec.ts'], dir: '.' });
