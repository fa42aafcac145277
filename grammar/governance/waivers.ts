// Waivers silence one rule on one target. An invalid waiver (no reason,
// expired, unknown rule or target) silences nothing; one that silences
// nothing is reported as unused.

import type { FileDiagnostic, Model, WaiverSym } from '../model/types';
import type { Violation } from './check';

function valid(model: Model, w: WaiverSym, today: string): boolean {
  const d = w.decl;
  if (!d.reason || !d.reason.value.trim()) return false;
  if (d.expires && (d.expires.kind !== 'date' || d.expires.value < today)) return false;
  return !!d.rule && model.rules.has(d.rule.text) && !!d.target;
}

export function applyWaivers(model: Model, violations: Violation[], today: string): { kept: Violation[]; waived: (Violation & { waiver: string })[]; unused: FileDiagnostic[] } {
  const byKey = new Map<string, WaiverSym>();
  for (const w of model.waivers.values()) {
    if (valid(model, w, today)) byKey.set(`${w.decl.rule!.text}\u0000${w.decl.target!.text}`, w);
  }
  const used = new Set<WaiverSym>();
  const kept: Violation[] = [];
  const waived: (Violation & { waiver: string })[] = [];
  for (const v of violations) {
    const w = v.data?.unverifiable ? undefined : byKey.get(`${v.rule.name}\u0000${v.target}`);
    if (w) {
      used.add(w);
      waived.push({ ...v, waiver: w.name });
    } else kept.push(v);
  }
  const unused: FileDiagnostic[] = [];
  for (const w of byKey.values()) {
    if (used.has(w)) continue;
    unused.push({
      file: w.loc.file,
      range: w.loc.range,
      severity: 'warning',
      code: 'waiver-unused',
      message: `waiver '${w.name}' is unused: rule ${w.decl.rule!.text} has no violation on ${w.decl.target!.text}; remove the waiver`,
    });
  }
  return { kept, waived, unused };
}
