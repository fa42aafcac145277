// Access questions the editor asks: who can see a field (every principal's
// decision, with reasons), a field's one-line access summary (code lenses,
// hover), one principal's view of many fields (Simulate As...). Every answer
// comes from the evaluator's `decide`.

import type * as A from '../ast';
import { decide, type Decision } from '../evaluator/decide';
import { attributeValueFromText } from '../model/check-decls';
import { closest } from '../model/suggest';
import type { AttrValue, FieldSym, Model, PrincipalSym } from '../model/types';

export interface ReasonInfo {
  policy: string;
  effect: 'allow' | 'deny' | 'mask' | 'rows';
  text: string;
  file: string;
  range: A.Range;
  failedClosed: boolean;
}

export interface AccessRow {
  principal: string;
  service: boolean;
  groups: string[];
  decision: Decision['decision'];
  mask?: string;
  /** Row filter with the principal's values substituted; undefined: all rows. */
  rows?: string;
  summary: string;
  reasons: ReasonInfo[];
}

export interface AccessCounts {
  clear: number;
  masked: number;
  denied: number;
}

/**
 * A context from settings or a request: `{ "mfa": true, "device": "managed" }`.
 * Values may be typed (true, 2) or text ("true", "2"); each is checked
 * against the context schema. Unknown keys and bad values are errors.
 */
export function contextFrom(model: Model, raw: unknown): { context: Map<string, AttrValue>; errors: string[] } {
  const context = new Map<string, AttrValue>();
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { context, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { context, errors: ['the context is an object such as { "mfa": true }'] };
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const a = model.contextSchema.get(k);
    if (!a) {
      const guess = closest(k, model.contextSchema.keys());
      errors.push(`unknown context attribute '${k}'${guess ? `; did you mean '${guess}'?` : ''}`);
      continue;
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      errors.push(`context.${k}: expected a string, number or boolean`);
      continue;
    }
    const r = attributeValueFromText(a, typeof v === 'string' ? v : String(v));
    if (r.error) errors.push(r.error);
    else context.set(k, r.value!);
  }
  return { context, errors };
}

export function contextText(context: ReadonlyMap<string, AttrValue>): string {
  if (!context.size) return 'no context attributes set';
  return [...context].map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : v}`).join(', ');
}

function reasonInfo(d: Decision): ReasonInfo[] {
  return d.reasons.map((r) => ({ policy: r.policy.name, effect: r.effect, text: r.text, file: r.file, range: r.range, failedClosed: !!r.failedClosed }));
}

function sortedPrincipals(model: Model): PrincipalSym[] {
  return [...model.principals.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Every declared principal's decision for the field, by principal name. */
export function whoCanSee(model: Model, field: FieldSym, context: ReadonlyMap<string, AttrValue>): AccessRow[] {
  return sortedPrincipals(model).map((p) => row(model, p, field, context));
}

function row(model: Model, p: PrincipalSym, field: FieldSym, context: ReadonlyMap<string, AttrValue>): AccessRow {
  const d = decide(model, p, context, field);
  return {
    principal: p.name,
    service: p.service,
    groups: [...p.groups].sort(),
    decision: d.decision,
    mask: d.mask,
    rows: d.rows,
    summary: d.summary,
    reasons: reasonInfo(d),
  };
}

export function countDecisions(rows: { decision: Decision['decision'] }[]): AccessCounts {
  const c: AccessCounts = { clear: 0, masked: 0, denied: 0 };
  for (const r of rows) c[r.decision]++;
  return c;
}

/** Counts only (code lenses): no reasons are kept. */
export function accessCounts(model: Model, field: FieldSym, context: ReadonlyMap<string, AttrValue>): AccessCounts {
  const c: AccessCounts = { clear: 0, masked: 0, denied: 0 };
  for (const p of model.principals.values()) c[decide(model, p, context, field).decision]++;
  return c;
}

/** "3 clear · 2 masked · 4 denied" */
export function countsText(c: AccessCounts): string {
  return `${c.clear} clear · ${c.masked} masked · ${c.denied} denied`;
}

/** One line for a field's hover: the counts and, when few, who is in each bucket. */
export function accessSummaryLine(model: Model, field: FieldSym, context: ReadonlyMap<string, AttrValue>): string {
  const rows = whoCanSee(model, field, context);
  if (!rows.length) return 'No principals are declared, so nobody can be simulated.';
  const c = countDecisions(rows);
  const names = (k: Decision['decision']) => rows.filter((r) => r.decision === k).map((r) => (r.mask ? `${r.principal} (${r.mask})` : r.principal));
  const parts: string[] = [];
  for (const k of ['clear', 'masked', 'denied'] as const) {
    const n = names(k);
    if (!n.length) continue;
    parts.push(n.length <= 4 ? `${k}: ${n.join(', ')}` : `${k}: ${n.length}`);
  }
  return `${countsText(c)} — ${parts.join('; ')}`;
}

export interface SimulatedField {
  qname: string;
  file: string;
  /** Range of the field's name. */
  range: A.Range;
  decision: Decision['decision'];
  mask?: string;
  rows?: string;
  summary: string;
}

/** One principal's view of every field declared in `files` (all files when undefined). */
export function simulate(model: Model, principal: PrincipalSym, context: ReadonlyMap<string, AttrValue>, files?: ReadonlySet<string>): SimulatedField[] {
  const out: SimulatedField[] = [];
  for (const f of model.fields.values()) {
    if (files && !files.has(f.loc.file)) continue;
    const d = decide(model, principal, context, f);
    out.push({ qname: f.qname, file: f.loc.file, range: f.loc.range, decision: d.decision, mask: d.mask, rows: d.rows, summary: d.summary });
  }
  return out;
}
