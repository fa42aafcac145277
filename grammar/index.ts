// The public API of the language core. The CLI and the server use only this.
export * from './ast';
export { parse } from './parser';
export { LineIndex } from './text';
export { buildModel, ParseCache, todayUtc, type SourceFile, type BuildOptions } from './model/build';
export * from './model/types';
export { closest, didYouMean } from './model/suggest';
export { analyze, Analyzer, type Analysis } from './analysis';
export * from './evaluator/index';
export * from './governance/index';
export { attributeValue, attributeValueFromText } from './model/check-decls';
export * from './graph/index';
export type * from './graph-types';
export * from './diff/index';
