/**
 * Transactions are not supported: there is no transaction coordinator. A
 * transactional producer is refused at its first step with
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53), the one code every client treats
 * as fatal there: librdkafka raises a fatal error for it on FindCoordinator and
 * InitProducerId (rdkafka_txnmgr.c, rdkafka_idempotence.c: it shows the
 * FindCoordinator error message, so the reason reaches the application);
 * kafkajs and the Java client fail without retrying. COORDINATOR_NOT_AVAILABLE,
 * the answer before, is retriable: clients waited out their whole timeout.
 */
import { ERROR_CODES } from '@lakestream/protocol';

export const TRANSACTIONS_REFUSED_CODE = ERROR_CODES.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;

/** The reason, in FindCoordinator's error message and the broker's log. */
export const TRANSACTIONS_REFUSED_REASON =
  'transactions are not supported by the lakestream embedded broker (single node, no transaction coordinator); use Apache Kafka for transactional producers';
