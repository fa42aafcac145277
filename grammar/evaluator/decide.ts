// The access decision of LANGUAGE.md ("Decision for principal P, context C,
// field F of contract K"): deny overrides allow, default deny, the strongest
// mask, row filters joined with `and`, fail closed on missing attributes.

import type * as A from '../ast';
import { MASK_METHODS, type AttrValue, type FieldSym, type MaskMethod, type Model, type PolicySym, type PrincipalSym } from '../model/types';
import { targetMatchesField } from '../model/targets';
import { ERROR, evaluate, residualFilter, type EvalEnv } from './condition';

export type DecisionKind = 'clear' | 'masked' | 'denied';

/** One rule that contributed to a decision. */
export interface Reason {
  policy: PolicySym;
  rule: A.PolicyRule;
  effect: 'allow' | 'deny' | 'mask' | 'rows';
  file: string;
  /** Offset of the rule in its file (the CLI and server turn it into a line). */
  range: A.Range;
  /** The rule's source text on one line. */
  text: string;
  /** The rule's condition could not be evaluated (a missing attribute), and it failed closed. */
  failedClosed?: boolean;
}

export interface Decision {
  decision: DecisionKind;
  mask?: MaskMethod;
  /** Row filter with the principal's and context's values substituted; undefined: all rows. */
  rows?: string;
  reasons: Reason[];
  /** One line for people: why. */
  summary: string;
}

/** A rule together with its policy, pre-selected for one field. */
export interface ApplicableRule {
  policy: PolicySym;
  rule: A.PolicyRule;
}

interface PolicyIndex {
  byContract: Map<string, PolicySym[]>;
  byDomain: Map<string, PolicySym[]>;
  tagged: PolicySym[];
  perField: Map<FieldSym, ApplicableRule[]>;
}

const indexes = new WeakMap<Model, PolicyIndex>();

function policyIndex(model: Model): PolicyIndex {
  let ix = indexes.get(model);
  if (ix) return ix;
  ix = { byContract: new Map(), byDomain: new Map(), tagged: [], perField: new Map() };
  const add = (m: Map<string, PolicySym[]>, k: string, p: PolicySym) => {
    const l = m.get(k);
    if (l) l.push(p);
    else m.set(k, [p]);
  };
  for (const p of model.policies.values()) {
    const t = p.decl.target;
    if (!t) continue;
    if (t.kind === 'contract') add(ix.byContract, t.name.text, p);
    else if (t.kind === 'wildcard') add(ix.byDomain, t.prefix.text, p);
    else if (t.kind === 'domain') add(ix.byDomain, t.name.text, p);
    else ix.tagged.push(p);
  }
  indexes.set(model, ix);
  return ix;
}

/**
 * Lets `to` (an incremental update of `from` in which no policy changed) use
 * `from`'s index of policies by target; the rules per field are found again.
 */
export function inheritPolicyIndex(from: Model, to: Model): void {
  const ix = indexes.get(from);
  if (ix && !indexes.has(to)) indexes.set(to, { byContract: ix.byContract, byDomain: ix.byDomain, tagged: ix.tagged, perField: new Map() });
}

/** Rules that apply to the field (read only: write/discover rules do not decide reads), in declaration order. */
export function applicableRules(model: Model, field: FieldSym): ApplicableRule[] {
  const ix = policyIndex(model);
  let list = ix.perField.get(field);
  if (list) return list;
  const candidates = [...(ix.byContract.get(field.contract.name) ?? []), ...(ix.byDomain.get(field.contract.domain) ?? []), ...ix.tagged];
  list = [];
  for (const policy of candidates) {
    if (!targetMatchesField(policy.decl.target, field)) continue;
    for (const rule of policy.decl.rules) {
      if ((rule.kind === 'allow' || rule.kind === 'deny') && rule.action.text !== 'read') continue;
      if (rule.fields.length && !rule.fields.some((f) => f.text === field.name)) continue;
      list.push({ policy, rule });
    }
  }
  ix.perField.set(field, list);
  return list;
}

function inItem(item: A.AudienceItem, p: PrincipalSym, owner: string | undefined): boolean {
  switch (item.kind) {
    case 'everyone':
      return true;
    case 'owner':
      return owner !== undefined && p.groups.has(owner);
    case 'group':
      return p.groups.has(item.name.text);
    case 'principal':
      return p.name === item.name.text;
  }
}

/** Is the principal in the audience (include minus except)? `owner` is the owning group of the field's contract. */
export function inAudience(a: A.Audience, p: PrincipalSym, owner: string | undefined): boolean {
  return a.include.some((i) => inItem(i, p, owner)) && !a.except.some((i) => inItem(i, p, owner));
}

export function envFor(p: PrincipalSym, context: ReadonlyMap<string, AttrValue>, field: FieldSym): EvalEnv {
  const c = field.contract;
  return {
    subject: p.attributes,
    context,
    resource: { domain: c.domain, owner: c.owner ?? '', tags: [...field.tags.keys()], name: c.name },
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const ruleTexts = new WeakMap<A.PolicyRule, string>();

/** The rule's source on one line (cached: the exhaustive search asks often). */
export function ruleText(model: Model, policy: PolicySym, rule: A.PolicyRule): string {
  let t = ruleTexts.get(rule);
  if (t === undefined) {
    t = oneLine(model.files.get(policy.loc.file)?.text.slice(rule.range.start, rule.range.end) ?? '');
    ruleTexts.set(rule, t);
  }
  return t;
}

function reason(model: Model, r: ApplicableRule, effect: Reason['effect'], failedClosed = false): Reason {
  const file = r.policy.loc.file;
  return { policy: r.policy, rule: r.rule, effect, file, range: r.rule.range, text: ruleText(model, r.policy, r.rule), failedClosed: failedClosed || undefined };
}

export function strongestMask(methods: Iterable<MaskMethod>): MaskMethod | undefined {
  let best: MaskMethod | undefined;
  for (const m of methods) if (best === undefined || MASK_METHODS.indexOf(m) < MASK_METHODS.indexOf(best)) best = m;
  return best;
}

/**
 * The decision alone, without reasons or row filters: what the exhaustive
 * search needs for every principal class and context (no allocation per rule).
 */
export function decideKind(model: Model, p: PrincipalSym, context: ReadonlyMap<string, AttrValue>, field: FieldSym): { decision: DecisionKind; mask?: MaskMethod } {
  const rules = applicableRules(model, field);
  const owner = field.contract.owner;
  let env: EvalEnv | undefined;
  let allowed = false;
  let mask: MaskMethod | undefined;
  for (const { rule } of rules) {
    if (rule.kind === 'rows' || !inAudience(rule.audience, p, owner)) continue;
    const cond = rule.condition ? evaluate(rule.condition, (env ??= envFor(p, context, field))) : true;
    if (rule.kind === 'deny') {
      if (cond !== false) return { decision: 'denied' };
    } else if (rule.kind === 'allow') {
      if (cond === true) allowed = true;
    } else if (rule.kind === 'mask' && cond !== false && (MASK_METHODS as readonly string[]).includes(rule.method.text)) {
      mask = strongestMask(mask ? [mask, rule.method.text as MaskMethod] : [rule.method.text as MaskMethod]);
    }
  }
  if (!allowed) return { decision: 'denied' };
  return mask ? { decision: 'masked', mask } : { decision: 'clear' };
}

export function decide(model: Model, p: PrincipalSym, context: ReadonlyMap<string, AttrValue>, field: FieldSym): Decision {
  const rules = applicableRules(model, field);
  const owner = field.contract.owner;
  const env = envFor(p, context, field);
  const denies: Reason[] = [];
  const allows: Reason[] = [];
  const masks: { reason: Reason; method: MaskMethod }[] = [];
  const rows: { reason: Reason; filter: string }[] = [];
  for (const r of rules) {
    const rule = r.rule;
    if (!inAudience(rule.audience, p, owner)) continue;
    const cond = rule.condition ? evaluate(rule.condition, env) : true;
    switch (rule.kind) {
      case 'deny':
        if (cond !== false) denies.push(reason(model, r, 'deny', cond === ERROR));
        break;
      case 'allow':
        if (cond === true) allows.push(reason(model, r, 'allow'));
        break;
      case 'mask':
        if (cond !== false && (MASK_METHODS as readonly string[]).includes(rule.method.text)) {
          masks.push({ reason: reason(model, r, 'mask', cond === ERROR), method: rule.method.text as MaskMethod });
        }
        break;
      case 'rows':
        rows.push({ reason: reason(model, r, 'rows'), filter: residualFilter(rule.filter, env) });
        break;
    }
  }
  if (denies.length) {
    const d = denies[0];
    return { decision: 'denied', reasons: denies, summary: `${d.policy.name}: ${d.text}${d.failedClosed ? ' (its condition lacks an attribute: fails closed)' : ''}` };
  }
  if (!allows.length) {
    return { decision: 'denied', reasons: [], summary: 'no allow rule matches (default deny)' };
  }
  const filters = rows.map((r) => r.filter).filter((f) => f !== 'true');
  const rowsText = filters.includes('false') ? 'false' : filters.length ? filters.map((f) => (filters.length > 1 && / or /.test(f) && !f.startsWith('(') ? `(${f})` : f)).join(' and ') : undefined;
  const rowReasons = rows.map((r) => r.reason);
  const mask = strongestMask(masks.map((m) => m.method));
  if (mask) {
    const ordered = [...masks].sort((a, b) => MASK_METHODS.indexOf(a.method) - MASK_METHODS.indexOf(b.method));
    const m = ordered[0];
    return {
      decision: 'masked',
      mask,
      rows: rowsText,
      reasons: [...ordered.map((x) => x.reason), ...allows, ...rowReasons],
      summary: `${m.reason.policy.name}: ${m.reason.text}${m.reason.failedClosed ? ' (its condition lacks an attribute: fails closed)' : ''}`,
    };
  }
  const a = allows[0];
  return { decision: 'clear', rows: rowsText, reasons: [...allows, ...rowReasons], summary: `${a.policy.name}: ${a.text}` };
}
