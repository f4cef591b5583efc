export { buildGraph, type Graph } from './graph.js';
