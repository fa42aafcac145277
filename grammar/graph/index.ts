export { buildGraph, type GraphOptions } from './build';
export { focusGraph, findNode, type Direction } from './focus';
export { toDot, toMermaid } from './text-formats';
