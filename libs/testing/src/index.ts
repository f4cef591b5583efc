export * from './errors.js';
export * from './tools.js';
export { KCAT, kcatConsume, kcatMetadata, kcatProduce, type KcatConsumeOptions, type KcatMetadata, type KcatProduceMessage } from './kcat.js';
export { KCAT_RECORD_FORMAT, parseKcatRecords, type KcatRecord, type ParsedKcatOutput } from './kcat-records.js';
export { MOCK_KEEPALIVE_TOPIC, startMockCluster, type MockCluster, type MockClusterOptions } from './mock-cluster.js';
export { startMetadataProxy, type MetadataProxy } from './metadata-proxy.js';
export { consumeWorkload, expectedSequences, produceWorkload, type Workload } from './keyed-workload.js';
