import { describe, expect, it } from 'vitest';
import { apiVersionsGoldens } from '../../test/fixtures/api-versions.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, fromHex, goldenAt, roundTripEveryVersion, toHex, unframe } from '../../test/harness.js';
import { decodeRequest } from '../protocol/requests.js';
import { apiVersionsResponseBody, decodeResponse, encodeApiVersionsFallbackResponse } from '../protocol/responses.js';
import { SUPPORTED_APIS } from '../protocol/registry.js';

describe('ApiVersions', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(18, apiVersionsGoldens);
  });

  it('kafkajs v0-v2 requests are a header and an empty body', () => {
    for (const v of [0, 1, 2]) {
      expect(checkRequestGolden(18, goldenAt(apiVersionsGoldens, 'request', v))).toEqual({ clientSoftwareName: '', clientSoftwareVersion: '' });
    }
  });

  it('librdkafka v3: request header v2 and compact client software strings', () => {
    const golden = goldenAt(apiVersionsGoldens, 'request', 3, 'librdkafka');
    const result = decodeRequest(fromHex(golden.hex));
    expect(result.ok && result.request.header).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'rdkafka' });
    expect(checkRequestGolden(18, golden)).toEqual({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
  });

  it('the v3 response kcat accepted advertises SUPPORTED_APIS', () => {
    const body = checkResponseGolden(18, goldenAt(apiVersionsGoldens, 'response', 3, 'librdkafka'));
    expect(body.apiKeys).toEqual(SUPPORTED_APIS.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })));
  });

  it('v3 tagged fields decode (hand-built)', () => {
    const body = checkResponseGolden(18, goldenAt(apiVersionsGoldens, 'response', 3, 'hand-built'));
    expect(body).toEqual({
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
      throttleTimeMs: 0,
      supportedFeatures: [{ name: 'abcd', minVersion: 1, maxVersion: 2 }],
      finalizedFeaturesEpoch: 5n,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
  });

  it('a too-new ApiVersions request is a value with its header, answered by a v0 error response (KIP-511)', () => {
    // ApiVersions v4: flexible, so request header v2; body is unknown to us and never read.
    const frame = fromHex('0012' + '0004' + '0000002a' + '0003636c69' + '00' + '0201' + '00');
    const result = decodeRequest(frame);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('UNSUPPORTED_VERSION');
    expect(result.header).toEqual({ apiKey: 18, apiVersion: 4, correlationId: 42, clientId: 'cli' });

    const hand = goldenAt(apiVersionsGoldens, 'response', 0, 'hand-built');
    const answer = encodeApiVersionsFallbackResponse(42, [
      { apiKey: 0, minVersion: 0, maxVersion: 7 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ]);
    expect(toHex(unframe(answer))).toBe(hand.hex);
    const full = decodeResponse(18, 0, unframe(encodeApiVersionsFallbackResponse(42)));
    expect(full.body.errorCode).toBe(35);
    expect(full.body.apiKeys).toHaveLength(SUPPORTED_APIS.length);
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      18,
      (v) => (v >= 3 ? { clientSoftwareName: 'lakestream', clientSoftwareVersion: '0.1.0' } : { clientSoftwareName: '', clientSoftwareVersion: '' }),
      (v) => ({
        ...apiVersionsResponseBody(),
        throttleTimeMs: v >= 1 ? 5 : 0,
        supportedFeatures: v >= 3 ? [{ name: 'metadata.version', minVersion: 1, maxVersion: 7 }] : [],
        finalizedFeaturesEpoch: v >= 3 ? 9n : -1n,
        finalizedFeatures: v >= 3 ? [{ name: 'metadata.version', maxVersionLevel: 7, minVersionLevel: 7 }] : [],
        zkMigrationReady: v >= 3,
      }),
    );
  });
});
