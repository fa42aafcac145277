// Evaluates every governance rule over the model. A violation sits on the
// offending declaration, with code `rule:<name>`, a message that says
// exactly what is wrong and the rule's location as related information.

import { compileRegex, isRegexError } from '../regex';
import type * as A from '../ast';
import { LineIndex } from '../text';
import type { ContractSym, DomainSym, FieldSym, FileDiagnostic, Model, PolicySym, RuleSym, Sym } from '../model/types';
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
  /** The offending declaration. */
  item: Selected['sym'];
  /** Files whose positions the diagnostic shows (its own, the rule's, a policy it quotes). */
  cites: string[];
}

/** An incremental check: only these contracts (and their fields) changed, in these files. */
export interface GovernanceScope {
  /** The violations of the previous check, on the previous version of the same model. */
  previous: Violation[];
  files: Set<string>;
  contracts: Set<ContractSym>;
  /** Everything declared in those files. */
  symbols: Set<Sym>;
}

type Pool = { contracts: ContractSym[]; fields: FieldSym[]; policies: PolicySym[]; domains: DomainSym[] } | undefined;

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

  report(rule: RuleSym, item: Selected['sym'], at: { file: string; range: A.Range }, generated: string, severity: A.Severity = rule.decl.severity, data?: Record<string, unknown>, cites: string[] = []): void {
    const target = item.kind === 'field' ? item.qname : item.name;
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
      item,
      cites: [at.file, rule.loc.file, ...cites],
      data,
    });
  }
}

function what(x: Selected): string {
  return `${x.kind} ${selectedName(x)}`;
}

function checkMustHave(r: Reporter, rule: RuleSym, body: Extract<A.RuleBody, { form: 'must-have' }>, pool: Pool): void {
  // An unknown property is already an error on the rule; checking it would only repeat that everywhere.
  if (!(MUST_HAVE_PATHS[body.selector.what] ?? []).includes(body.path.text)) return;
  for (const x of select(r.model, body.selector, pool)) {
    const v = property(x, body.path.text);
    if (v === undefined) {
      r.report(rule, x.sym, locationOf(x), `${what(x)} has no ${body.path.text}`, undefined, { missingProperty: body.path.text });
      continue;
    }
    if (!body.op || body.value === undefined) continue;
    const ok = compareProperty(v, body.op, body.value);
    const expected = showValue(body.value);
    if (ok === undefined) {
      r.report(rule, x.sym, locationOf(x), `${what(x)}: ${body.path.text} is ${showValue(v)}, which cannot be compared with ${expected}`);
    } else if (!ok) {
      r.report(rule, x.sym, locationOf(x), `${what(x)}: ${body.path.text} is ${showValue(v)}, must be ${body.op} ${expected}`);
    }
  }
}

function checkMustMatch(r: Reporter, rule: RuleSym, body: Extract<A.RuleBody, { form: 'must-match' }>, pool: Pool): void {
  const re = compileRegex(body.regex.value, body.regex.flags);
  if (isRegexError(re)) return; // reported by the model checks
  for (const x of select(r.model, body.selector, pool)) {
    const name = x.kind === 'field' ? x.sym.name : x.sym.name;
    if (!re.test(name)) r.report(rule, x.sym, locationOf(x), `${x.kind} name '${name}' does not match /${body.regex.value}/`);
  }
}

function counterexample(r: Reporter, f: FieldSym, p: { name: string; groups: Set<string> }, context: Map<string, unknown>, d: Decision): [string, string[]] {
  const groups = [...p.groups].join(', ');
  const cause = d.reasons.find((x) => x.effect === (d.decision === 'masked' ? 'mask' : 'allow')) ?? d.reasons[0];
  let where = '';
  if (cause) {
    const line = r.line(cause.file, cause.range.start);
    const sameFile = cause.file === f.loc.file;
    where = ` (${cause.policy.name}, line ${line}${sameFile ? '' : ` of ${cause.file.split(/[\\/]/).pop()}`})`;
  }
  const ctx = context.size ? ` when ${[...context].map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
  return [`${p.name}${groups ? ` (${groups})` : ''} reads ${f.qname} ${describeDecision(d)}${where}${ctx}`, cause ? [cause.file] : []];
}

function checkAccess(r: Reporter, rule: RuleSym, body: Extract<A.RuleBody, { form: 'must-be-masked' | 'not-readable' }>, pool: Pool): void {
  if (body.selector.what !== 'field') return;
  const violates = body.form === 'must-be-masked' ? (d: Pick<Decision, 'decision'>) => d.decision === 'clear' : (d: Pick<Decision, 'decision'>) => d.decision !== 'denied';
  for (const x of select(r.model, body.selector, pool)) {
    const f = x.sym as FieldSym;
    const res = exhaustive(r.model, { field: f, audience: body.audience, violates, cacheTag: body.form });
    if (res.kind === 'counterexample') {
      const [message, cites] = counterexample(r, f, res.principal, res.context, res.decision);
      const data = { principal: res.principal.name, context: Object.fromEntries(res.context), decision: res.decision.decision };
      r.report(rule, f, locationOf(x), message, undefined, data, cites);
    } else if (res.kind === 'unverifiable') {
      const attrs = res.attributes.map((a) => `context.${a}`).join(', ');
      r.report(
        rule,
        f,
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

function checkFlow(r: Reporter, rule: RuleSym, body: Extract<A.RuleBody, { form: 'not-flow' }>, pool: Pool): void {
  const s = body.selector;
  const t = body.target;
  for (const f of pool?.fields ?? r.model.fields.values()) {
    if (!inTarget(f, t) || f.transform === 'aggregate') continue;
    for (const src of f.sources) {
      if (inTarget(src, t)) continue;
      // The tags as they arrive through this edge (after its transform).
      const protects = PROTECTING.has(f.transform);
      const arrives = (tag: string) => !(s.unprotected && (protects || src.tags.get(tag)!.protected));
      const tags = s.tagged.length ? matchingTags(src, s.tagged, false).filter(arrives) : [...src.tags.keys()].filter(arrives);
      if (s.tagged.length && !tags.length) continue;
      const into = `${t.kind} ${t.name.text}`;
      r.report(rule, f, { file: f.loc.file, range: f.decl.fromRange ?? f.loc.range }, `${tags.length ? tags.join(', ') : 'data'} flows into ${into}: ${f.qname} ← ${src.qname}${f.transform === 'copy' ? '' : ` via ${f.transform}`}`);
    }
  }
}

/**
 * Every violation of every rule. With a scope, only the changed contracts,
 * and the declarations whose earlier violations quote a changed file, are
 * checked again; the other violations are taken from the previous check.
 */
export function checkGovernance(model: Model, scope?: GovernanceScope): Violation[] {
  const r = new Reporter(model);
  // Declarations whose earlier violations quote a position in a changed file.
  const again = new Set<Selected['sym']>();
  const previous = new Map<RuleSym, Violation[]>();
  if (scope) {
    for (const v of scope.previous) {
      if (v.cites.some((f) => scope.files.has(f))) again.add(v.item);
      const l = previous.get(v.rule);
      if (l) l.push(v);
      else previous.set(v.rule, [v]);
    }
  }
  // What to check again: the changed contracts (with their fields), policies and domains declared in changed files, and what `again` holds.
  let pool: Pool;
  let redo: ((x: Selected['sym']) => boolean) | undefined;
  if (scope) {
    const changed = (x: Selected['sym']) => (x.kind === 'field' ? scope.contracts.has(x.contract) : x.kind === 'contract' ? scope.contracts.has(x) : scope.symbols.has(x));
    redo = (x) => again.has(x) || changed(x);
    const present = (x: Selected['sym']) =>
      x.kind === 'field' ? model.fields.get(x.qname) === x : x.kind === 'contract' ? model.contracts.get(x.name) === x : x.kind === 'policy' ? model.policies.get(x.name) === x : model.domains.get(x.name) === x;
    const p: NonNullable<Pool> = { contracts: [], fields: [], policies: [], domains: [] };
    for (const c of scope.contracts) {
      if (!present(c)) continue;
      p.contracts.push(c);
      p.fields.push(...c.fields.values());
    }
    for (const x of scope.symbols) {
      if (x.kind === 'policy' && present(x)) p.policies.push(x);
      else if (x.kind === 'domain' && present(x)) p.domains.push(x);
    }
    for (const x of again) {
      if (changed(x) || !present(x)) continue; // a violation cites its own file: one on something removed is in `again`, and dropped
      if (x.kind === 'field') p.fields.push(x);
      else if (x.kind === 'contract') p.contracts.push(x);
      else if (x.kind === 'policy') p.policies.push(x);
      else p.domains.push(x);
    }
    pool = p;
  }
  for (const rule of model.rules.values()) {
    const body = rule.decl.body;
    if (!body) continue;
    // A rule in a changed file is checked everywhere (its position is in every message).
    const partial = redo && !scope!.files.has(rule.loc.file);
    if (partial) for (const v of previous.get(rule) ?? []) if (!redo!(v.item)) r.out.push(v);
    const within = partial ? pool : undefined;
    switch (body.form) {
      case 'must-have':
        checkMustHave(r, rule, body, within);
        break;
      case 'must-match':
        checkMustMatch(r, rule, body, within);
        break;
      case 'must-be-masked':
      case 'not-readable':
        checkAccess(r, rule, body, within);
        break;
      case 'not-flow':
        checkFlow(r, rule, body, within);
        break;
    }
  }
  return r.out;
}
