// `charter diff`: what a change does to who can see what (access), to the
// consumers of each contract (schema) and to governance. Pure functions over
// two analyses: BASE (`before`) and the working tree (`after`), whose files
// are named alike (host/base.ts sees to that).

import type { Analysis } from '../analysis';
import { accessDelta } from './access';
import { governanceDelta } from './governance';
import { schemaDelta } from './schema';
import type { ModelDiff } from './types';

export * from './types';
export { accessDelta, canonicalRows, changeKind, finiteContext, outcomesDiffer, permissiveness } from './access';
export { schemaDelta } from './schema';
export { governanceDelta, isGovernanceDiagnostic } from './governance';
export { summarize, arrowParts, arrowText, lineParts, contextsText, outcomeText, type DiffSummary, type FieldBlock, type FieldSummary, type SummaryLine } from './summary';
export { renderText, renderMarkdown, type Where } from './render';

export function diffAnalyses(before: Analysis, after: Analysis): ModelDiff {
  const access = accessDelta(before.model, after.model);
  return {
    before: before.model,
    after: after.model,
    access: access.changes,
    unverified: access.unverified,
    schema: schemaDelta(before.model, after.model),
    governance: governanceDelta(before.model, before.diagnostics, after.model, after.diagnostics),
  };
}
