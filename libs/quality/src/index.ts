export * from './expectation.js';
export * from './result.js';
export * from './errors.js';
