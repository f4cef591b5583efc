/** What every request handler works with: the broker's state and the request in hand. */
import type { LogManager } from '@lakestream/log';
import type { ApiKey, RequestBody, RequestHeader, ResponseBody } from '@lakestream/protocol';
import type { GroupCoordinator } from '../coordinator/coordinator.js';
import type { ConnectionInfo } from '../network/types.js';
import type { ProducerIdAllocator } from '../state/producer-ids.js';
import type { StoreCommittedOffsets } from '../state/committed-offsets.js';

/** This broker as it appears in Metadata and FindCoordinator responses. */
export interface BrokerNode {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface HandlerContext {
  readonly logs: LogManager;
  readonly offsets: StoreCommittedOffsets;
  readonly coordinator: GroupCoordinator;
  readonly producerIds: ProducerIdAllocator;
  readonly node: BrokerNode;
  readonly clusterId: string;
  /** Partitions of a topic created without a count (auto-create, CreateTopics with -1). */
  readonly defaultPartitions: number;
  /** Kafka's auto.create.topics.enable. */
  readonly autoCreateTopics: boolean;
  /** Kafka's message.max.bytes: the largest record batch Produce accepts (bytes on the wire, after compression). */
  readonly messageMaxBytes: number;
  readonly now: () => number;
  /** Tells the operator a partition's storage failed (disk full, I/O error); clients only get a retriable code. */
  readonly reportStorageFailure: (error: Error) => void;
  /** Tells the operator why a transactional producer was refused (clients may not show the reason); logs once per transactional id, then at most once a minute. */
  readonly reportTransactionsRefused: (transactionalId: string, connection: ConnectionInfo) => void;
}

export interface HandlerRequest<K extends ApiKey> {
  readonly apiVersion: number;
  readonly header: RequestHeader;
  readonly body: RequestBody<K>;
  readonly connection: ConnectionInfo;
  /** Aborted when the connection closes or the broker shuts down: long polls answer early. */
  readonly signal: AbortSignal;
}

/** Produce with acks=0 has no response. */
export const NO_RESPONSE = Symbol('no response');

/** Close the connection instead of answering (Kafka does so when an acks=0 produce fails: the client has no other way to learn). */
export class CloseConnection {
  constructor(readonly reason: string) {}
}

export type HandlerResult<K extends ApiKey> = ResponseBody<K> | typeof NO_RESPONSE | CloseConnection;

export type Handler<K extends ApiKey> = (ctx: HandlerContext, request: HandlerRequest<K>) => Promise<HandlerResult<K>> | HandlerResult<K>;
