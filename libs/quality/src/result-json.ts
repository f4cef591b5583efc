/**
 * Results as stored JSON: `toStoredResult` drops the row verdict (what the
 * consumer keeps in `quality/validation_results`); `parseValidationResult`
 * reads one back, checked against `validationResultSchema`, refusing a bad
 * one with `INVALID_RESULT` and the JSON path of the first mistake.
 */
import { QualityError } from './errors.js';
import { validationResultSchema, type StoredValidationResult, type ValidationResult } from './result.js';

export function toStoredResult(result: ValidationResult | StoredValidationResult): StoredValidationResult {
  const { verdict: _verdict, ...stored } = result as ValidationResult;
  return stored;
}

/** A stored result from its JSON text or parsed JSON value. */
export function parseValidationResult(json: unknown): StoredValidationResult {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new QualityError('INVALID_RESULT', `not JSON: ${(err as Error).message}`, { path: '' }, { cause: err });
    }
  }
  const parsed = validationResultSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? jsonPath(issue.path) : '';
  throw new QualityError('INVALID_RESULT', issue ? issue.message : 'does not match the result shape', { path }, { cause: parsed.error });
}

function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out;
}
