import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the workspace root (tools/e2e/src → ../../..). */
export const WORKSPACE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const inWorkspace = (...parts: string[]): string => join(WORKSPACE_ROOT, ...parts);
