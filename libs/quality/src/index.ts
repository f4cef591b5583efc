export * from './expectation.js';
export * from './result.js';
export * from './errors.js';
export { renderDataDocs, type DataDocsOptions } from './data-docs/render.js';
