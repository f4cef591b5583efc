#!/usr/bin/env node
/**
 * Dev convenience: a throwaway Kafka-protocol broker on this machine, no Kafka
 * needed. Starts librdkafka's mock cluster through kcat with the metadata
 * proxy in front (so kafkajs's idempotent producer works), prints the
 * bootstrap addresses and runs until Ctrl-C.
 *
 *   node libs/testing/dist/bin/mock-kafka.js [brokers]
 */
import { startMockCluster } from '../mock-cluster.js';

const brokers = Number(process.argv[2] ?? 1);
if (!Number.isInteger(brokers) || brokers < 1 || brokers > 16) {
  process.stderr.write('usage: mock-kafka.js [brokers 1..16]\n');
  process.exit(2);
}
const cluster = await startMockCluster({ brokers });
process.stdout.write(
  `mock Kafka cluster (librdkafka via kcat, ${brokers} broker${brokers > 1 ? 's' : ''}); topics are auto-created with 4 partitions and keep ~40k messages each\n` +
    `  kafkajs / lakestream:  KAFKA_BROKERS=${cluster.bootstrap}\n` +
    `  kcat / librdkafka:     kcat -b ${cluster.directBootstrap} -C -t <topic>\n` +
    'Ctrl-C stops it.\n',
);
const stop = () => void cluster.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
