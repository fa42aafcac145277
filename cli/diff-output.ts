// `charter diff` output: the stable JSON of LANGUAGE.md, SARIF of what is
// new, and the positions the text and Markdown renderers show.

import type { Analysis, AttrValue, ModelDiff, Outcome, Where, DiffSummary } from '../grammar/index';
import { lineParts } from '../grammar/index';
import { Positions, relativePath, toCliDiagnostics, toJsonDiagnostic, type CliDiagnostic } from './output';
import { jsonReasons } from './reasons';
import { toSarif } from './sarif';

export interface Sides {
  root: string;
  before: Analysis;
  after: Analysis;
}

function positions(s: Sides) {
  return { before: new Positions(s.before.model), after: new Positions(s.after.model) };
}

export function where(s: Sides): Where {
  const pos = positions(s);
  return { at: (side, file, offset) => `${relativePath(s.root, file)}:${pos[side].lineCol(file, offset).line}` };
}

function jsonOutcome(o: Outcome | null) {
  return o ? { decision: o.decision, mask: o.mask ?? null, rows: o.rows ?? null } : null;
}

const contextObject = (c: Map<string, AttrValue>) => Object.fromEntries(c);

/** `{"base","head","access","schema","governance"}`. */
export function diffJson(s: Sides, diff: ModelDiff, base: string, head: string) {
  const pos = positions(s);
  return {
    base,
    head,
    access: diff.access.map((c) => ({
      field: c.field,
      principal: c.principal,
      before: jsonOutcome(c.before),
      after: jsonOutcome(c.after),
      kind: c.kind,
      contexts: c.contexts.map(contextObject),
      reasons: { before: jsonReasons(s.root, pos.before, c.reasons.before), after: jsonReasons(s.root, pos.after, c.reasons.after) },
    })),
    schema: diff.schema.map((x) => ({ contract: x.contract, field: x.field, change: x.change, breaking: x.breaking, message: x.message })),
    governance: {
      introduced: toCliDiagnostics(s.root, s.after.model, diff.governance.introduced, []).map(toJsonDiagnostic),
      resolved: toCliDiagnostics(s.root, s.before.model, diff.governance.resolved, []).map(toJsonDiagnostic),
    },
  };
}

const DESCRIPTIONS: Record<string, string> = {
  'access-exposure': 'A change lets principals read a field more openly than before',
  'breaking-change': 'A breaking schema change without a major version bump',
  declassified: 'A tag was removed from a field (declassified)',
};

/** SARIF of what the change brings: exposures, breaking changes, declassifications, introduced governance diagnostics. */
export function diffSarif(s: Sides, summary: DiffSummary, version: string): object {
  const pos = positions(s);
  const results: CliDiagnostic[] = [];
  const at = (side: 'before' | 'after', file: string, range: { start: number; end: number }) => ({ file: relativePath(s.root, file), ...pos[side].range(file, range) });
  for (const f of summary.fields) {
    for (const l of f.lines) {
      if (l.kind !== 'exposure' || !l.change.sides.after) continue;
      const sym = l.change.sides.after;
      const message = `${f.field}: ${l.who}: ${lineParts(l).join(' → ')}${l.when ? ` when ${l.when}` : ''}`;
      results.push({ ...at('after', sym.loc.file, sym.loc.range), severity: 'warning', code: 'access-exposure', message });
    }
  }
  for (const x of summary.schema) {
    if (!x.breaking && x.change !== 'tag-removed') continue;
    results.push({ ...at(x.at.side, x.at.sym.loc.file, x.at.sym.loc.range), severity: x.breaking ? 'error' : 'warning', code: x.breaking ? 'breaking-change' : 'declassified', message: x.message });
  }
  results.push(...toCliDiagnostics(s.root, s.after.model, summary.governance.introduced, []));
  return toSarif(s.root, results, version, DESCRIPTIONS);
}
