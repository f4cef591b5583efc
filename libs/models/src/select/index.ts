export { parseSelectors, type SelectorAtom, type SelectorMethod, type SelectorTerm } from './parse.js';
export { selectNodes, matches, type SelectOptions } from './select.js';
