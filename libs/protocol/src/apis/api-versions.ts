import type { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * ApiVersions (key 18), v0-v3. v0-v2 requests are empty; v3 is flexible and
 * names the client software. The response lists the version range of every
 * API the broker speaks; v3 adds feature lists as tagged fields.
 */
export interface ApiVersionsRequest {
  /** v3+; '' before. */
  readonly clientSoftwareName: string;
  /** v3+; '' before. */
  readonly clientSoftwareVersion: string;
}

export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export interface SupportedFeature {
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export interface FinalizedFeature {
  readonly name: string;
  readonly maxVersionLevel: number;
  readonly minVersionLevel: number;
}

export interface ApiVersionsResponse {
  readonly errorCode: number;
  readonly apiKeys: readonly ApiVersionRange[];
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  /** v3+ tagged field 0, default empty. */
  readonly supportedFeatures?: readonly SupportedFeature[];
  /** v3+ tagged field 1, default -1. */
  readonly finalizedFeaturesEpoch?: bigint;
  /** v3+ tagged field 2, default empty. */
  readonly finalizedFeatures?: readonly FinalizedFeature[];
  /** v3+ tagged field 3, default false. */
  readonly zkMigrationReady?: boolean;
}

function readRange(r: Reader): ApiVersionRange {
  const range = { apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() };
  r.taggedFields();
  return range;
}

export const apiVersionsApi: ApiCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,

  decodeRequest(r, version) {
    if (version < 3) return { clientSoftwareName: '', clientSoftwareVersion: '' };
    const body = { clientSoftwareName: r.string(), clientSoftwareVersion: r.string() };
    r.taggedFields();
    return body;
  },

  encodeRequest(w, version, body) {
    if (version < 3) return;
    w.string(body.clientSoftwareName).string(body.clientSoftwareVersion).taggedFields();
  },

  decodeResponse(r, version) {
    const errorCode = r.int16();
    const apiKeys = r.array(readRange);
    const throttleTimeMs = version >= 1 ? r.int32() : 0;
    let supportedFeatures: SupportedFeature[] = [];
    let finalizedFeaturesEpoch = -1n;
    let finalizedFeatures: FinalizedFeature[] = [];
    let zkMigrationReady = false;
    r.taggedFields((tag, field) => {
      if (tag === 0) {
        supportedFeatures = field.array((f) => {
          const feature = { name: f.string(), minVersion: f.int16(), maxVersion: f.int16() };
          f.taggedFields();
          return feature;
        });
      } else if (tag === 1) finalizedFeaturesEpoch = field.int64();
      else if (tag === 2) {
        finalizedFeatures = field.array((f) => {
          const feature = { name: f.string(), maxVersionLevel: f.int16(), minVersionLevel: f.int16() };
          f.taggedFields();
          return feature;
        });
      } else if (tag === 3) zkMigrationReady = field.bool();
    });
    return { errorCode, apiKeys, throttleTimeMs, supportedFeatures, finalizedFeaturesEpoch, finalizedFeatures, zkMigrationReady };
  },

  encodeResponse(w, version, body) {
    w.int16(body.errorCode);
    w.array(body.apiKeys, (x, k) => x.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion).taggedFields());
    if (version >= 1) w.int32(body.throttleTimeMs ?? 0);
    if (!w.flexible) return;
    // Tagged fields are written only when they differ from their defaults, as Kafka does.
    const tags: Array<readonly [number, Uint8Array]> = [];
    if (body.supportedFeatures?.length) {
      tags.push([0, tagged((t) => t.array(body.supportedFeatures ?? [], (x, f) => x.string(f.name).int16(f.minVersion).int16(f.maxVersion).taggedFields()))]);
    }
    if (body.finalizedFeaturesEpoch !== undefined && body.finalizedFeaturesEpoch !== -1n) {
      tags.push([1, tagged((t) => t.int64(body.finalizedFeaturesEpoch ?? -1n))]);
    }
    if (body.finalizedFeatures?.length) {
      tags.push([
        2,
        tagged((t) =>
          t.array(body.finalizedFeatures ?? [], (x, f) => x.string(f.name).int16(f.maxVersionLevel).int16(f.minVersionLevel).taggedFields()),
        ),
      ]);
    }
    if (body.zkMigrationReady) tags.push([3, tagged((t) => t.bool(true))]);
    w.alwaysTaggedFields(tags);
  },
};

function tagged(write: (w: Writer) => void): Uint8Array {
  const w = new Writer({ flexible: true, initialCapacity: 64 });
  write(w);
  return w.finish();
}
