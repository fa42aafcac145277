// Evaluates every governance rule over the model. A violation sits on the
// offending declaration, with code `rule:<name>`, a message that says
// exactly what is wrong and the rule's location as related information.

import type * as A from '../ast';
import { LineIndex } from '../text';
import type { FieldSym, FileDiagnostic, Model, RuleSym } from '../model/types';
import { PROTECTING } from '../model/types';
import { MUST_HAVE_PATHS } from '../model/check-decls';
import { exhaustive } from '../evaluator/exhaustive';
import type { Decision } from '../evaluator/decide';
import { describeDecision } from '../evaluator/tests';
import { matchingTags, select, selectedName, type Selected } from './select';
import { compareProperty, property, showValue } from './properties';

export interface Violation extends FileDiagnostic {
  rule: RuleSym;
  /** Qualified name of the offending declaration (what a waiver names). */
  target: string;
}

function locationOf(x: Selected): { file: string; range: A.Range } {
  return { file: x.sym.loc.file, range: x.sym.loc.range };
}

class Reporter {
  readonly out: Violation[] = [];
  private readonly lines = new Map<string, LineIndex>();
  constructor(readonly model: Model) {}

  line(file: string, offset: number): number {
    let li = this.lines.get(file);
    if (!li) this.lines.set(file, (li = new LineIndex(this.model.files.get(file)?.text ?? '')));
    return li.position(offset).line + 1;
  }

  report(rule: RuleSym, target: string, at: { file: string; range: A.Range }, generated: string, severity: A.Severity = rule.decl.severity, data?: Record<string, unknown>): void {
    const custom = rule.decl.message?.value;
    const message = severity === 'info' && rule.decl.severity !== 'info' ? generated : custom ? `${custom}: ${generated}` : generated;
    this.out.push({
      file: at.file,
      range: at.range,
      severity,
      code: `rule:${rule.name}`,
      message,
      related: [{ file: rule.loc.file, range: rule.decl.range, message: `rule ${rule.name} (${rule.central ? 'central' : 'local'} governance ${rule.governance})` }],
      rule,
      target,
      data,
    });
  }
}

function what(x: Selected): string {
  return `${x.kind} ${selectedName(x)}`;
}

function checkMustHave(r: Reporter, rule: RuleSym, body: Extract<A.RuleBody, { form: 'must-have' }>): void {
  // An unknown property is already an error on the rule; checking it would only repeat that everywhere.
  if (!(MUST_HAVE_PATHS[body.selector.what] ?? []).includes(body.path.text)) return;
  for (const x of select(r.model, body.selector)) {
    const v = property(x, body.path.text);
    if (v === undefined) {
      r.report(rule, selectedName(x), locationOf(x), `${what(x)} has no ${body.path.text}`, undefined, { missingProperty: body.path.text });
      continue;
    }
    if (!body.op || body.value === undefined) continue;
    const ok = compareProperty(v, body.op, body.value);
    const expected = showValue(body.value);
    if (ok === undefined) {
      r.report(rule, selectedName(x), locationOf(x), `${what(x)}: ${body.path.text} is ${showValue(v)}, which cannot be compared with ${expected}`);
    } else if (!ok) {
      r.report(rule, selectedName(x), locationOf(x), `${what(x)}: ${body.path.text} is ${showValue(v)}, must be ${body.op} ${expected}`);
    }
  }
}

function checkMustMatch(r: Reporter, rule: RuleSym, body: Extract<A.RuleBody, { form: 'must-match' }>): void {
  let re: RegExp;
  try {
    re = new RegExp(body.regex.value);
  } catch {
    return; // reported by the model checks
  }
  for (const x of select(r.model, body.selector)) {
    const name = x.kind === 'field' ? x.sym.name : x.sym.name;
    if (!re.test(name)) r.report(rule, selectedName(x), locationOf(x), `${x.kind} name '${name}' does not match /${body.regex.value}/`);
  }
}

function counterexample(r: Reporter, f: FieldSym, p: { name: string; groups: Set<string> }, context: Map<string, unknown>, d: Decision): string {
  const groups = [...p.groups].join(', ');
  const cause = d.reasons.find((x) => x.effect === (d.decision === 'masked' ? 'mask' : 'allow')) ?? d.reasons[0];
  let where = '';
  if (cause) {
    const line = r.line(cause.file, cause.range.start);
    const sameFile = cause.file === f.loc.file;
    where = ` (${cause.policy.name}, line ${line}${sameFile ? '' : ` of ${cause.file.split(/[\\/]/).pop()}`})`;
  }
  const ctx = context.size ? ` when ${[...context].map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
  return `${p.name}${groups ? ` (${groups})` : ''} reads ${f.qname} ${describeDecision(d)}${where}${ctx}`;
}

function checkAccess(r: Reporter, rule: RuleSym, body: Extract<A.RuleBody, { form: 'must-be-masked' | 'not-readable' }>): void {
  if (body.selector.what !== 'field') return;
  const violates = body.form === 'must-be-masked' ? (d: Pick<Decision, 'decision'>) => d.decision === 'clear' : (d: Pick<Decision, 'decision'>) => d.decision !== 'denied';
  for (const x of select(r.model, body.selector)) {
    const f = x.sym as FieldSym;
    const res = exhaustive(r.model, { field: f, audience: body.audience, violates, cacheTag: body.form });
    if (res.kind === 'counterexample') {
      r.report(rule, f.qname, locationOf(x), counterexample(r, f, res.principal, res.context, res.decision), undefined, {
        principal: res.principal.name,
        context: Object.fromEntries(res.context),
        decision: res.decision.decision,
      });
    } else if (res.kind === 'unverifiable') {
      const attrs = res.attributes.map((a) => `context.${a}`).join(', ');
      r.report(
        rule,
        f.qname,
        locationOf(x),
        `rule ${rule.name} cannot be verified for ${f.qname}: its policies read ${attrs}, which ${res.attributes.length > 1 ? 'have' : 'has'} no finite set of values to simulate (declare ${res.attributes.length > 1 ? 'them' : 'it'} as bool or "a" | "b")`,
        'info',
        { unverifiable: true },
      );
    }
  }
}

function inTarget(f: FieldSym, t: Extract<A.RuleBody, { form: 'not-flow' }>['target']): boolean {
  return t.kind === 'domain' ? f.contract.domain === t.name.text : f.contract.name === t.name.text;
}

function checkFlow(r: Reporter, rule: RuleSym, body: Extract<A.RuleBody, { form: 'not-flow' }>): void {
  const s = body.selector;
  const t = body.target;
  for (const f of r.model.fields.values()) {
    if (!inTarget(f, t) || f.transform === 'aggregate') continue;
    for (const src of f.sources) {
      if (inTarget(src, t)) continue;
      // The tags as they arrive through this edge (after its transform).
      const protects = PROTECTING.has(f.transform);
      const arrives = (tag: string) => !(s.unprotected && (protects || src.tags.get(tag)!.protected));
      const tags = s.tagged.length ? matchingTags(src, s.tagged, false).filter(arrives) : [...src.tags.keys()].filter(arrives);
      if (s.tagged.length && !tags.length) continue;
      const into = `${t.kind} ${t.name.text}`;
      r.report(rule, f.qname, { file: f.loc.file, range: f.decl.fromRange ?? f.loc.range }, `${tags.length ? tags.join(', ') : 'data'} flows into ${into}: ${f.qname} ← ${src.qname}${f.transform === 'copy' ? '' : ` via ${f.transform}`}`);
    }
  }
}

export function checkGovernance(model: Model): Violation[] {
  const r = new Reporter(model);
  for (const rule of model.rules.values()) {
    const body = rule.decl.body;
    if (!body) continue;
    switch (body.form) {
      case 'must-have':
        checkMustHave(r, rule, body);
        break;
      case 'must-match':
        checkMustMatch(r, rule, body);
        break;
      case 'must-be-masked':
      case 'not-readable':
        checkAccess(r, rule, body);
        break;
      case 'not-flow':
        checkFlow(r, rule, body);
        break;
    }
  }
  return r.out;
}
