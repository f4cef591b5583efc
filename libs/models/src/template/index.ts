export { parseTemplate } from './parse.js';
export { render, evaluate, type Renderable } from './render.js';
export type * from './ast.js';
