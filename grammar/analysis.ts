// One call that runs everything `charter check` and the editor report:
// the model (syntax, names, types, lineage), governance and test blocks.
// `analyze` builds from scratch (the CLI); an `Analyzer` keeps its last
// result and rebuilds only what an edit affects (the language server).

import { buildModel, todayUtc, type BuildOptions, type SourceFile } from './model/build';
import { stateOf, updateModel, type ModelState } from './model/incremental';
import type { ContractSym, FileDiagnostic, Model, Sym } from './model/types';

export interface Analysis {
  model: Model;
  /** Every diagnostic, governance and failing tests included, waived ones excluded. */
  diagnostics: FileDiagnostic[];
  /** Governance violations silenced by a waiver (listed for audits). */
  waived: (FileDiagnostic & { waiver: string })[];
}

/** What a pass may reuse from its previous run over the same workspace. */
export interface PassRun {
  /** The pass's own storage, kept between runs of one Analyzer (empty for `analyze`). */
  memo: Map<string, unknown>;
  /** Set when only these files (and contracts in them) changed since the pass's last run. */
  changed?: { files: Set<string>; contracts: Set<ContractSym>; symbols: Set<Sym>; /** A policy changed. */ policies: boolean };
}

export type AnalysisPass = (model: Model, out: Analysis, opts: BuildOptions, run: PassRun) => void;

const passes: AnalysisPass[] = [];

/** Later layers (governance, tests) register themselves here; the core stays ignorant of them. */
export function registerPass(p: AnalysisPass): void {
  passes.push(p);
}

function runPasses(model: Model, opts: BuildOptions, memos: Map<string, unknown>[], changed?: PassRun['changed']): Analysis {
  const out: Analysis = { model, diagnostics: [...model.diagnostics], waived: [] };
  passes.forEach((p, i) => p(model, out, opts, { memo: (memos[i] ??= new Map()), changed }));
  return out;
}

export function analyze(sources: SourceFile[], opts: BuildOptions = {}): Analysis {
  return runPasses(buildModel(sources, opts), opts, []);
}

/**
 * Analyses one workspace again and again as it changes, reusing what an
 * edit cannot have changed (model/incremental.ts says what that is); the
 * result is the same as `analyze` on the same sources.
 */
export class Analyzer {
  private state?: ModelState;
  private today?: string;
  private memos: Map<string, unknown>[] = [];
  /** How the last call went, for logs and benchmarks; `error` is a failed incremental update (then rebuilt from scratch). */
  last: { incremental: boolean; files: number; error?: string } = { incremental: false, files: 0 };

  analyze(sources: SourceFile[], opts: BuildOptions & { parseCache: NonNullable<BuildOptions['parseCache']> }): Analysis {
    const today = opts.today ?? todayUtc();
    const prev = this.state;
    this.state = undefined; // an update reuses (and changes) it: never keep a half-updated state
    let error: string | undefined;
    if (prev && today === this.today) {
      let up: ReturnType<typeof updateModel>;
      try {
        up = updateModel(prev, sources, opts.parseCache, today);
      } catch (e) {
        // A bug, not bad input: the rebuild below gives a consistent model all the same.
        error = (e as Error)?.stack ?? String(e);
      }
      if (up) {
        this.state = up.state;
        this.last = { incremental: true, files: up.files.size };
        return runPasses(up.state.model, { ...opts, today }, this.memos, { files: up.files, contracts: up.contracts, symbols: up.symbols, policies: up.policiesChanged });
      }
    }
    this.today = today;
    this.memos = [];
    const model = buildModel(sources, { ...opts, today });
    this.state = stateOf(model);
    this.last = { incremental: false, files: model.files.size, error };
    return runPasses(model, { ...opts, today }, this.memos);
  }
}
