import { projectTestConfig } from '../../tools/vitest/shared.js';

// One spec file at a time: they start brokers, kafkajs clients and kcat, and the machines are small.
export default projectTestConfig('broker-core', { fileParallelism: false });
