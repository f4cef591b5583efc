import { COMPOUNDS, CORNERS, F1_EVENT_TYPES, FLAGS, SEVERITIES } from '@lakestream/schema';

/**
 * FlatBuffers enums are ubyte indexes into the zod value arrays; the union
 * tag of F1Event.payload is the index in F1_EVENT_TYPES plus one (0 = NONE).
 * Index maps have no prototype so `'toString'` or `'__proto__'` is unknown,
 * not an inherited property.
 */
function indexOf<const V extends readonly string[]>(values: V, base = 0): Readonly<Record<string, number>> {
  const map = Object.create(null) as Record<string, number>;
  values.forEach((v, i) => {
    map[v] = i + base;
  });
  return map;
}

export const CORNER_INDEX = indexOf(CORNERS);
export const COMPOUND_INDEX = indexOf(COMPOUNDS);
export const SEVERITY_INDEX = indexOf(SEVERITIES);
export const FLAG_INDEX = indexOf(FLAGS);

export { CORNERS, COMPOUNDS, SEVERITIES, FLAGS };

export const PAYLOAD_TAG = indexOf(F1_EVENT_TYPES, 1);
