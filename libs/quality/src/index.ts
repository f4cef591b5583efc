export * from './expectation.js';
export * from './result.js';
export * from './errors.js';
export { renderDataDocs, type DataDocsOptions } from './data-docs/render.js';
export { suiteHash, stableJson } from './suite-hash.js';
export { parseSuite, safeParseSuite, type SafeParseSuiteResult, type SuiteIssue } from './suite-parse.js';
export { EXPECTATION_SCHEMAS, EXPECTATION_TYPES, expectationSchema, suiteSchema } from './suite-schema.js';
export { expectationsFromArrowSchema, expectationsFromFields, notNullFromArrowSchema, suiteFromSchema, type FieldExpectationOptions, type FieldShape, type SuiteFromSchemaOptions } from './schema-expectations.js';
export * from './default-suites.js';
