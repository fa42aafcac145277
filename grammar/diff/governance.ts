// The governance delta: governance diagnostics (rule violations, waiver and
// central-rule problems) the working tree has and BASE has not (introduced),
// and the other way round (resolved). A diagnostic that only moved (lines
// added above it, its declaration moved to another file, a different
// counterexample for the same rule on the same declaration) is neither.

import type { FileDiagnostic, Model } from '../model/types';
import type { GovernanceDelta } from './types';

const GOVERNANCE_CODES = new Set(['waiver-reason', 'waiver-expired', 'waiver-unused', 'central-rule']);

export function isGovernanceDiagnostic(d: FileDiagnostic): boolean {
  return d.code.startsWith('rule:') || GOVERNANCE_CODES.has(d.code);
}

/** The message without the line numbers it quotes. */
function exactKey(d: FileDiagnostic): string {
  return `${d.code}\u0000${d.severity}\u0000${d.message.replace(/\bline \d+\b/g, 'line #')}`;
}

/** The rule and the declaration it is reported on (its name, where the diagnostic sits). */
function looseKey(m: Model, d: FileDiagnostic): string {
  const at = m.files.get(d.file)?.text.slice(d.range.start, d.range.end) ?? '';
  return `${d.code}\u0000${d.severity}\u0000${d.file}\u0000${at}`;
}

function unmatched(keysOf: (d: FileDiagnostic) => string, from: FileDiagnostic[], against: FileDiagnostic[], otherKeys: (d: FileDiagnostic) => string): [FileDiagnostic[], FileDiagnostic[]] {
  const pool = new Map<string, FileDiagnostic[]>();
  for (const d of against) {
    const k = otherKeys(d);
    const l = pool.get(k);
    if (l) l.push(d);
    else pool.set(k, [d]);
  }
  const left: FileDiagnostic[] = [];
  for (const d of from) {
    const l = pool.get(keysOf(d));
    if (l?.length) l.shift();
    else left.push(d);
  }
  return [left, [...pool.values()].flat()];
}

export function governanceDelta(before: Model, beforeDiags: FileDiagnostic[], after: Model, afterDiags: FileDiagnostic[]): GovernanceDelta {
  const b = beforeDiags.filter(isGovernanceDiagnostic);
  const a = afterDiags.filter(isGovernanceDiagnostic);
  const [a1, b1] = unmatched(exactKey, a, b, exactKey);
  const [introduced, resolved] = unmatched((d) => looseKey(after, d), a1, b1, (d) => looseKey(before, d));
  const order = (l: FileDiagnostic[]) => l.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.range.start - y.range.start));
  return { introduced: order(introduced), resolved: order(resolved) };
}
