import { projectTestConfig } from '../../tools/vitest/shared.js';

// Cross-process tests spawn flatc, python3, npm and eslint: generous timeouts, one file at a time.
export default projectTestConfig('e2e', { testTimeout: 300_000, hookTimeout: 300_000, fileParallelism: false });
