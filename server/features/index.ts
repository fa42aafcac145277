// Every request the analysis worker answers, by LSP method. Completion is
// answered on the main thread instead (../completion.ts), so it never waits
// for an analysis.

import type { Feature } from './context';
import { simulate, simulationOptions, whoCanSee } from './access';
import { codeAction } from './code-actions';
import { exportSqlFeature } from './export-sql';
import { diff } from './diff';
import { formatting } from './formatting';
import { graph } from './graph';
import { hover } from './hover';
import { codeLens, inlayHint } from './lenses';
import { definition, documentHighlight, references } from './navigation';
import { foldingRange, selectionRange } from './ranges';
import { prepareRename, rename } from './rename';
import { semanticTokensFull, semanticTokensRange } from './semantic-tokens';
import { documentSymbol, workspaceSymbol } from './symbols';
import { listTests, runTest } from './tests';

export const features: Feature[] = [
  hover,
  definition,
  references,
  documentHighlight,
  prepareRename,
  rename,
  documentSymbol,
  workspaceSymbol,
  semanticTokensFull,
  semanticTokensRange,
  foldingRange,
  selectionRange,
  formatting,
  codeAction,
  codeLens,
  inlayHint,
  whoCanSee,
  simulate,
  simulationOptions,
  listTests,
  runTest,
  graph,
  exportSqlFeature,
  diff,
];

export const featuresByMethod = new Map(features.map((f) => [f.method, f]));
