/**
 * ApiVersions: the ranges in SUPPORTED_APIS. A too-new ApiVersions version
 * never reaches here: the dispatcher answers it with the v0 fallback
 * carrying UNSUPPORTED_VERSION (35) and the ranges (KIP-511).
 */
import { apiVersionsResponseBody, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';

export const handleApiVersions: Handler<typeof API_KEYS.ApiVersions> = () => apiVersionsResponseBody();
