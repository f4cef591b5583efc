import { projectTestConfig } from '../../tools/vitest/shared.js';

// bench/ holds the benchmark's parser specs too: they run with the project's tests.
export default projectTestConfig('consumer', { include: ['src/**/*.spec.ts', 'test/**/*.spec.ts', 'bench/**/*.spec.ts'] });
