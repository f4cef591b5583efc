import { projectTestConfig } from '../../tools/vitest/shared.js';

// The specs are pure and share no mutable state, so one module graph for all files
// (isolate: false) saves re-importing the library per file on a 2-core machine.
export default projectTestConfig('protocol', { isolate: false });
