import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../test/harness.js';
import { kafkaErrorCodeFor, ProtocolError } from '../errors.js';
import { API_KEYS, apiNameOf, isFlexibleVersion } from './api-keys.js';
import { ERROR_CODES, errorName } from './error-codes.js';
import { readFrameSize } from './framing.js';
import { requestHeaderVersion, responseHeaderVersion } from './header.js';
import { SUPPORTED_APIS } from './registry.js';
import { decodeRequest, decodeRequestOrThrow, encodeRequest } from './requests.js';
import { encodeResponse } from './responses.js';

describe('SUPPORTED_APIS', () => {
  it('advertises the union of what kafkajs 2.2.4 and librdkafka 2.0.2 negotiate', () => {
    expect(SUPPORTED_APIS.map(({ name, apiKey, minVersion, maxVersion }) => `${name}(${apiKey}) ${minVersion}-${maxVersion}`)).toEqual([
      'Produce(0) 0-7',
      'Fetch(1) 4-11',
      'ListOffsets(2) 0-3',
      'Metadata(3) 0-6',
      'OffsetCommit(8) 0-7',
      'OffsetFetch(9) 0-7',
      'FindCoordinator(10) 0-2',
      'JoinGroup(11) 0-5',
      'Heartbeat(12) 0-3',
      'LeaveGroup(13) 0-3',
      'SyncGroup(14) 0-3',
      'DescribeGroups(15) 0-4',
      'ListGroups(16) 0-4',
      'ApiVersions(18) 0-3',
      'CreateTopics(19) 0-4',
      'DeleteTopics(20) 0-1',
      'InitProducerId(22) 0-4',
    ]);
  });

  it('names match API_KEYS', () => {
    for (const api of SUPPORTED_APIS) expect(API_KEYS[api.name as keyof typeof API_KEYS]).toBe(api.apiKey);
  });
});

describe('header versions', () => {
  it.each([
    [18, 2, 1, 0],
    [18, 3, 2, 0], // ApiVersions responses always use header v0
    [9, 5, 1, 0],
    [9, 6, 2, 1],
    [16, 3, 2, 1],
    [22, 1, 1, 0],
    [22, 2, 2, 1],
    [1, 11, 1, 0],
    [1, 12, 2, 1],
    [7, 0, 0, 0], // ControlledShutdown v0: the one request header v0
    [17, 1, 1, 0], // SaslHandshake: never flexible
    [999, 5, 1, 0], // unknown keys: assume the classic header
  ])('api %d v%d → request header v%d, response header v%d', (apiKey, version, req, res) => {
    expect(requestHeaderVersion(apiKey, version)).toBe(req);
    expect(responseHeaderVersion(apiKey, version)).toBe(res);
  });

  it('knows every Kafka API by name', () => {
    expect([apiNameOf(0), apiNameOf(17), apiNameOf(36), apiNameOf(1000)]).toEqual(['Produce', 'SaslHandshake', 'SaslAuthenticate', undefined]);
    expect(isFlexibleVersion(47, 0)).toBe(false);
  });
});

describe('decodeRequest', () => {
  const header = (apiKey: number, version: number) =>
    Buffer.from(new Uint8Array([apiKey >> 8, apiKey & 0xff, version >> 8, version & 0xff, 0, 0, 0, 9, 0, 1, 0x63])).toString('hex');

  it('an unknown API key is a value with the header', () => {
    const result = decodeRequest(fromHex(header(17, 1) + '0005504c41494e'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('UNKNOWN_API_KEY');
    expect(result.error.message).toContain('SaslHandshake');
    expect(result.header).toEqual({ apiKey: 17, apiVersion: 1, correlationId: 9, clientId: 'c' });
    expect(kafkaErrorCodeFor(result.error.code)).toBe(ERROR_CODES.UNSUPPORTED_VERSION);
  });

  it('versions outside the range are values with the header', () => {
    for (const [key, version] of [
      [1, 3],
      [1, 12],
      [3, 7],
      [0, 8],
    ] as const) {
      const result = decodeRequest(fromHex(header(key, version)));
      expect(!result.ok && [result.error.code, result.error.context.apiKey, result.header?.correlationId]).toEqual(['UNSUPPORTED_VERSION', key, 9]);
    }
  });

  it('a truncated header still reports what it could read', () => {
    const result = decodeRequest(fromHex('00030004000000070005616263'));
    expect(!result.ok && [result.error.code, result.header, result.error.context.correlationId]).toEqual(['TRUNCATED', undefined, 7]);
    const tiny = decodeRequest(fromHex('0003'));
    expect(!tiny.ok && tiny.error.code).toBe('TRUNCATED');
    expect(!decodeRequest(new Uint8Array(0)).ok).toBe(true);
  });

  it('a truncated body is TRUNCATED with the API in context', () => {
    const frame = encodeRequest({ apiKey: 3, apiVersion: 4, correlationId: 5, clientId: 'c' }, { topics: ['abc'], allowAutoTopicCreation: true }).subarray(4);
    const result = decodeRequest(frame.subarray(0, frame.length - 2));
    expect(!result.ok && [result.error.code, result.error.context.apiKey, result.error.context.apiVersion, result.header?.correlationId]).toEqual(['TRUNCATED', 3, 4, 5]);
  });

  it('trailing bytes are ignored unless strict', () => {
    const frame = new Uint8Array([...encodeRequest({ apiKey: 12, apiVersion: 0, correlationId: 1, clientId: null }, { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null }).subarray(4), 0xee]);
    expect(decodeRequest(frame).ok).toBe(true);
    const strict = decodeRequest(frame, { strict: true });
    expect(!strict.ok && strict.error.code).toBe('MALFORMED');
  });

  it('decodeRequestOrThrow throws the ProtocolError', () => {
    expect(() => decodeRequestOrThrow(fromHex('00'))).toThrow(ProtocolError);
  });

  it('narrows body types by apiKey', () => {
    const request = decodeRequestOrThrow(encodeRequest({ apiKey: 10, apiVersion: 1, correlationId: 3, clientId: 'x' }, { key: 'g', keyType: 0 }).subarray(4));
    if (request.apiKey !== API_KEYS.FindCoordinator) throw new Error('wrong api');
    expect(request.body.key).toBe('g');
  });
});

describe('encoders', () => {
  it('prefix frames with their size', () => {
    const frame = encodeResponse(12, 0, 77, { errorCode: 0 });
    expect(toHex(frame)).toBe('00000006' + '0000004d' + '0000');
    expect(readFrameSize(frame)).toBe(6);
    expect(readFrameSize(frame.subarray(0, 3))).toBeUndefined();
  });

  it('refuse versions outside the range and values outside their types', () => {
    expect(() => encodeResponse(12, 9, 1, { errorCode: 0 })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
    expect(() => encodeResponse(12, 0, 1, { errorCode: 70000 })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
  });
});

describe('ERROR_CODES', () => {
  it('carry the numbers of Kafka Errors.java', () => {
    expect({
      NONE: ERROR_CODES.NONE,
      OFFSET_OUT_OF_RANGE: ERROR_CODES.OFFSET_OUT_OF_RANGE,
      CORRUPT_MESSAGE: ERROR_CODES.CORRUPT_MESSAGE,
      UNKNOWN_TOPIC_OR_PARTITION: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION,
      MESSAGE_TOO_LARGE: ERROR_CODES.MESSAGE_TOO_LARGE,
      COORDINATOR_NOT_AVAILABLE: ERROR_CODES.COORDINATOR_NOT_AVAILABLE,
      NOT_COORDINATOR: ERROR_CODES.NOT_COORDINATOR,
      INVALID_TOPIC_EXCEPTION: ERROR_CODES.INVALID_TOPIC_EXCEPTION,
      ILLEGAL_GENERATION: ERROR_CODES.ILLEGAL_GENERATION,
      UNKNOWN_MEMBER_ID: ERROR_CODES.UNKNOWN_MEMBER_ID,
      REBALANCE_IN_PROGRESS: ERROR_CODES.REBALANCE_IN_PROGRESS,
      UNSUPPORTED_VERSION: ERROR_CODES.UNSUPPORTED_VERSION,
      TOPIC_ALREADY_EXISTS: ERROR_CODES.TOPIC_ALREADY_EXISTS,
      INVALID_PARTITIONS: ERROR_CODES.INVALID_PARTITIONS,
      INVALID_REQUEST: ERROR_CODES.INVALID_REQUEST,
      OUT_OF_ORDER_SEQUENCE_NUMBER: ERROR_CODES.OUT_OF_ORDER_SEQUENCE_NUMBER,
      DUPLICATE_SEQUENCE_NUMBER: ERROR_CODES.DUPLICATE_SEQUENCE_NUMBER,
      INVALID_PRODUCER_EPOCH: ERROR_CODES.INVALID_PRODUCER_EPOCH,
      UNKNOWN_PRODUCER_ID: ERROR_CODES.UNKNOWN_PRODUCER_ID,
      NON_EMPTY_GROUP: ERROR_CODES.NON_EMPTY_GROUP,
      GROUP_ID_NOT_FOUND: ERROR_CODES.GROUP_ID_NOT_FOUND,
      MEMBER_ID_REQUIRED: ERROR_CODES.MEMBER_ID_REQUIRED,
      UNKNOWN_SERVER_ERROR: ERROR_CODES.UNKNOWN_SERVER_ERROR,
    }).toEqual({
      NONE: 0,
      OFFSET_OUT_OF_RANGE: 1,
      CORRUPT_MESSAGE: 2,
      UNKNOWN_TOPIC_OR_PARTITION: 3,
      MESSAGE_TOO_LARGE: 10,
      COORDINATOR_NOT_AVAILABLE: 15,
      NOT_COORDINATOR: 16,
      INVALID_TOPIC_EXCEPTION: 17,
      ILLEGAL_GENERATION: 22,
      UNKNOWN_MEMBER_ID: 25,
      REBALANCE_IN_PROGRESS: 27,
      UNSUPPORTED_VERSION: 35,
      TOPIC_ALREADY_EXISTS: 36,
      INVALID_PARTITIONS: 37,
      INVALID_REQUEST: 42,
      OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
      DUPLICATE_SEQUENCE_NUMBER: 46,
      INVALID_PRODUCER_EPOCH: 47,
      UNKNOWN_PRODUCER_ID: 59,
      NON_EMPTY_GROUP: 68,
      GROUP_ID_NOT_FOUND: 69,
      MEMBER_ID_REQUIRED: 79,
      UNKNOWN_SERVER_ERROR: -1,
    });
    expect(errorName(79)).toBe('MEMBER_ID_REQUIRED');
  });

  it('map protocol failures to the codes a broker answers with', () => {
    expect(kafkaErrorCodeFor('CORRUPT_BATCH')).toBe(ERROR_CODES.CORRUPT_MESSAGE);
    expect(kafkaErrorCodeFor('UNSUPPORTED_COMPRESSION')).toBe(ERROR_CODES.UNSUPPORTED_COMPRESSION_TYPE);
    expect(kafkaErrorCodeFor('MALFORMED')).toBe(ERROR_CODES.INVALID_REQUEST);
  });
});
