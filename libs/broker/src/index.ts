/**
 * @lakestream/broker: an embedded single-node Kafka-protocol broker. Start it
 * in-process (`Broker.start`) or through apps/broker; kafkajs, librdkafka
 * (kcat) and other Kafka clients talk to it over TCP unchanged.
 */
export { Broker } from './broker.js';
export {
  DEFAULT_HOST,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_MESSAGE_MAX_BYTES,
  DEFAULT_PARTITIONS,
  DEFAULT_PORT,
  resolveBrokerOptions,
  type BrokerOptions,
  type ResolvedBrokerOptions,
} from './options.js';
export { BrokerError, isBrokerError, type BrokerErrorCode, type BrokerErrorContext } from './errors.js';
export { formatFields, lineLogger, silentLogger, type BrokerLogger, type LogFields, type LogFieldValue } from './logger.js';
export type { ListenAddress } from './network/server.js';
export type { FlushPolicy, LogConfig } from '@lakestream/log';

// The group coordinator, usable on its own (its tests drive it with a fake clock).
export * from './coordinator/types.js';
export { GroupCoordinator, type CoordinatorOptions } from './coordinator/coordinator.js';
