// One call that runs everything `charter check` and the editor report:
// the model (syntax, names, types, lineage), governance and test blocks.

import { buildModel, type BuildOptions, type SourceFile } from './model/build';
import type { FileDiagnostic, Model } from './model/types';

export interface Analysis {
  model: Model;
  /** Every diagnostic, governance and failing tests included, waived ones excluded. */
  diagnostics: FileDiagnostic[];
  /** Governance violations silenced by a waiver (listed for audits). */
  waived: (FileDiagnostic & { waiver: string })[];
}

export type AnalysisPass = (model: Model, out: Analysis, opts: BuildOptions) => void;

const passes: AnalysisPass[] = [];

/** Later layers (governance, tests) register themselves here; the core stays ignorant of them. */
export function registerPass(p: AnalysisPass): void {
  passes.push(p);
}

export function analyze(sources: SourceFile[], opts: BuildOptions = {}): Analysis {
  const model = buildModel(sources, opts);
  const out: Analysis = { model, diagnostics: model.diagnostics, waived: [] };
  for (const p of passes) p(model, out, opts);
  return out;
}
