// Editor logic over the core, as pure functions: the language server adapts
// these to LSP, the CLI uses the formatter. No I/O, no vscode.
export * from './access';
export * from './code-actions';
export * from './completion';
export * from './completion-index';
export * from './describe';
export * from './folding';
export * from './format';
export * from './hover';
export * from './inlay-hints';
export * from './lenses';
export * from './locate';
export * from './rename';
export * from './rule-english';
export * from './selection';
export * from './semantic-tokens';
export * from './symbols';
