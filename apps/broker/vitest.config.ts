import { projectTestConfig } from '../../tools/vitest/shared.js';

// One spec file at a time: they start brokers and kafkajs clients, and the machines are small.
export default projectTestConfig('broker', { fileParallelism: false });
