// The access delta: for every field and every declared principal, at every
// combination of finite context values (bool and enum attributes, as the
// governance checks simulate), the decision at BASE and in the working tree,
// both from the one decision implementation (evaluator/decide.ts). Pairs that
// differ are grouped by (field, principal, before, after) with the contexts
// where each holds.
//
// Exact, and fast because most of a change leaves most decisions alone: a
// decision depends only on the field's applicable rules, its contract's name,
// domain and owner, its effective tags, the principal's groups and
// attributes, and the context. Where all of those are the same at both sides
// (rules compared without positions), nothing can differ and nothing is
// evaluated; otherwise one principal per class of principals the rules
// cannot tell apart is evaluated, over only the context attributes the rules
// read (the others cannot change the answer, so the result is spread over
// their values).

import type * as A from '../ast';
import { contextAttributes, contextHasAttributes, subjectAttributes } from '../evaluator/condition';
import { applicableRules, decide, decideKind, type ApplicableRule, type Reason } from '../evaluator/decide';
import { fingerprint } from '../model/fingerprint';
import { MASK_METHODS, type AttrValue, type FieldSym, type Model, type PolicySym, type PrincipalSym } from '../model/types';
import { targetMatchesField } from '../model/targets';
import type { AccessChange, AccessKind, Outcome } from './types';

/** denied (or absent) 0 < masked null < redact < hash < partial < clear. */
export function permissiveness(o: Outcome | null): number {
  if (!o || o.decision === 'denied') return 0;
  if (o.decision === 'clear') return MASK_METHODS.length + 1;
  return 1 + Math.max(0, MASK_METHODS.indexOf(o.mask!));
}

/** The conjuncts of a row filter as `decide` joins them (top-level ` and `, outside parentheses, lists and strings). */
export function rowConjuncts(rows: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < rows.length; i++) {
    const c = rows[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && rows.startsWith(' and ', i)) {
      out.push(rows.slice(start, i).trim());
      start = i + 5;
      i += 4;
    }
  }
  out.push(rows.slice(start).trim());
  return out;
}

/** A row filter in a form where the order of its conjuncts does not matter (policies moved around give the same filter). */
export function canonicalRows(rows: string | undefined): string {
  if (rows === undefined) return '';
  return [...new Set(rowConjuncts(rows))].sort().join(' and ');
}

function outcomeKey(o: Outcome | null): string {
  if (!o) return '-';
  if (o.decision === 'denied') return 'denied';
  return `${o.decision}|${o.mask ?? ''}|${canonicalRows(o.rows)}`;
}

/** Do two outcomes differ for a reader: in permissiveness, or (both granting) in rows? */
export function outcomesDiffer(b: Outcome | null, a: Outcome | null): boolean {
  const pb = permissiveness(b);
  const pa = permissiveness(a);
  if (pb !== pa) return true;
  return pb > 0 && canonicalRows(b!.rows) !== canonicalRows(a!.rows);
}

export function changeKind(b: Outcome | null, a: Outcome | null): AccessKind {
  const pb = permissiveness(b);
  const pa = permissiveness(a);
  return pa > pb ? 'exposure' : pa < pb ? 'restriction' : 'rows';
}

// ------------------------------------------------------ what decisions read

const ruleFingerprints = new WeakMap<A.PolicyRule, string>();
function ruleFingerprint(r: ApplicableRule): string {
  let s = ruleFingerprints.get(r.rule);
  if (s === undefined) ruleFingerprints.set(r.rule, (s = fingerprint(r.rule)));
  return s;
}

const policyFingerprints = new WeakMap<A.PolicyDecl, string>();
function policyFingerprint(p: PolicySym): string {
  let s = policyFingerprints.get(p.decl);
  if (s === undefined) policyFingerprints.set(p.decl, (s = fingerprint(p.decl)));
  return s;
}

/**
 * The fields a changed, added or removed policy targets (at its side), or
 * undefined when too many policies changed to be worth it. A field no such
 * policy targets, with the same contract and tags at both sides, has the
 * same applicable rules at both sides: the other policies are the same.
 */
function fieldsOfChangedPolicies(before: Model, after: Model): ((side: 'before' | 'after', f: FieldSym) => boolean) | undefined {
  const changed: { side: 'before' | 'after'; target: A.PolicyTarget }[] = [];
  for (const name of new Set([...before.policies.keys(), ...after.policies.keys()])) {
    const pb = before.policies.get(name);
    const pa = after.policies.get(name);
    if (pb && pa && (pb.decl === pa.decl || policyFingerprint(pb) === policyFingerprint(pa))) continue;
    if (pb?.decl.target) changed.push({ side: 'before', target: pb.decl.target });
    if (pa?.decl.target) changed.push({ side: 'after', target: pa.decl.target });
    if (changed.length > 40) return undefined;
  }
  return (side, f) => changed.some((c) => c.side === side && targetMatchesField(c.target, f));
}

/** Does every input of the field's decisions (other than principals and context) agree at both sides? */
function sameInputs(before: Model, fb: FieldSym, after: Model, fa: FieldSym, targeted: ReturnType<typeof fieldsOfChangedPolicies>): boolean {
  const cb = fb.contract;
  const ca = fa.contract;
  if (cb.name !== ca.name || cb.domain !== ca.domain || (cb.owner ?? '') !== (ca.owner ?? '')) return false;
  const tb = [...fb.tags.keys()];
  const ta = [...fa.tags.keys()];
  if (tb.length !== ta.length || tb.some((t, i) => t !== ta[i])) return false;
  // The rules read fields by name; a field not targeted by a changed policy has the same ones.
  if (targeted && fb.name === fa.name && !targeted('before', fb) && !targeted('after', fa)) return true;
  const rb = applicableRules(before, fb);
  const ra = applicableRules(after, fa);
  if (rb.length !== ra.length) return false;
  if (rb.every((r, i) => r.rule === ra[i].rule)) return true;
  // Order does not change a decision (deny overrides, the strongest mask wins, filters are a conjunction).
  const sb = rb.map(ruleFingerprint).sort();
  const sa = ra.map(ruleFingerprint).sort();
  return sb.every((s, i) => s === sa[i]);
}

/** Everything of a principal that a decision can read. */
function principalKey(p: PrincipalSym): string {
  const attrs = [...p.attributes].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return [...p.groups].sort().join(',') + '|' + JSON.stringify(attrs);
}

function audienceItems(a: A.Audience): A.AudienceItem[] {
  return [...a.include, ...a.except];
}

/** What a field's rules can tell principals apart by (as the exhaustive search does): principals with the same key get the same decisions. */
function classifier(rules: ApplicableRule[], owner: string | undefined): (p: PrincipalSym | undefined) => string {
  const groups = new Set<string>();
  const names = new Set<string>();
  const attrs = new Set<string>();
  for (const { rule } of rules) {
    for (const item of audienceItems(rule.audience)) {
      if (item.kind === 'group') groups.add(item.name.text);
      else if (item.kind === 'principal') names.add(item.name.text);
      else if (item.kind === 'owner' && owner) groups.add(owner);
    }
    subjectAttributes(rule.condition, attrs);
    if (rule.kind === 'rows') subjectAttributes(rule.filter, attrs);
  }
  const groupList = [...groups].sort();
  const attrList = [...attrs].sort();
  return (p) => {
    if (!p) return '-';
    let k = names.has(p.name) ? `@${p.name}|` : '|';
    for (const g of groupList) k += p.groups.has(g) ? '1' : '0';
    for (const a of attrList) k += '|' + (p.attributes.has(a) ? JSON.stringify(p.attributes.get(a)) : '-');
    return k;
  };
}

// -------------------------------------------------------------- contexts

/** The finite context attributes of either side (bool, enum), by name, with every value either side allows. */
export function finiteContext(before: Model, after: Model): Map<string, AttrValue[]> {
  const out = new Map<string, AttrValue[]>();
  for (const m of [after, before]) {
    for (const a of m.contextSchema.values()) {
      const values: AttrValue[] = a.type.kind === 'bool' ? [true, false] : a.type.kind === 'enum' ? a.type.values.map((v) => v.value) : [];
      if (!values.length) continue;
      const have = out.get(a.name);
      if (!have) out.set(a.name, values);
      else for (const v of values) if (!have.includes(v)) have.push(v);
    }
  }
  return new Map([...out].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));
}

/** Every combination of the dimensions' values (undefined: the attribute is unset). */
function product(dims: { name: string; values: (AttrValue | undefined)[] }[]): (AttrValue | undefined)[][] {
  let combos: (AttrValue | undefined)[][] = [[]];
  for (const d of dims) combos = combos.flatMap((c) => d.values.map((v) => [...c, v]));
  return combos;
}

function readContext(rules: ApplicableRule[], read: Set<string>, has: Set<string>): void {
  for (const { rule } of rules) {
    contextAttributes(rule.condition, read);
    contextHasAttributes(rule.condition, has);
    if (rule.kind === 'rows') {
      contextAttributes(rule.filter, read);
      contextHasAttributes(rule.filter, has);
    }
  }
}

// -------------------------------------------------------------- the delta

interface Side {
  model: Model;
  field?: FieldSym;
  rules: ApplicableRule[];
  /** Any `rows where`: then the full decision is needed for the filter. */
  rows: boolean;
  classify: (p: PrincipalSym | undefined) => string;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
const idOf = (o: object) => ids.get(o) ?? (ids.set(o, nextId), nextId++);

/** Classifiers by rule set and owner: the fields of one contract mostly share their rules. */
type Classifiers = Map<string, (p: PrincipalSym | undefined) => string>;

function side(model: Model, field: FieldSym | undefined, classifiers: Classifiers): Side {
  const rules = field ? applicableRules(model, field) : [];
  let classify: Side['classify'] = () => '-';
  if (field) {
    const key = (field.contract.owner ?? '') + '|' + rules.map((r) => idOf(r.rule)).join(',');
    let c = classifiers.get(key);
    if (!c) classifiers.set(key, (c = classifier(rules, field.contract.owner)));
    classify = c;
  }
  return { model, field, rules, rows: rules.some((r) => r.rule.kind === 'rows'), classify };
}

function outcome(s: Side, p: PrincipalSym | undefined, context: ReadonlyMap<string, AttrValue>): Outcome | null {
  if (!s.field || !p) return null;
  const k = decideKind(s.model, p, context, s.field);
  if (!s.rows || k.decision === 'denied') return k;
  // The row filter needs the full decision.
  const d = decide(s.model, p, context, s.field);
  return { decision: d.decision, mask: d.mask, rows: d.rows };
}

function reasons(s: Side, p: PrincipalSym | undefined, context: ReadonlyMap<string, AttrValue>): Reason[] {
  return s.field && p ? decide(s.model, p, context, s.field).reasons : [];
}

function clean(o: Outcome | null): Outcome | null {
  if (!o) return null;
  return o.decision === 'denied' ? { decision: 'denied' } : { decision: o.decision, mask: o.mask, rows: o.rows };
}

export interface AccessDelta {
  changes: AccessChange[];
  unverified: { field: string; attributes: string[] }[];
}

export function accessDelta(before: Model, after: Model): AccessDelta {
  const finite = finiteContext(before, after);
  const names = [...new Set([...after.principals.keys(), ...before.principals.keys()])];
  // Principals whose decisions can differ on any field: changed, added or removed.
  const moved = names.filter((n) => {
    const pb = before.principals.get(n);
    const pa = after.principals.get(n);
    return !pb || !pa || principalKey(pb) !== principalKey(pa);
  });
  const changes: AccessChange[] = [];
  const unverified: AccessDelta['unverified'] = [];
  const qnames = [...new Set([...after.fields.keys(), ...before.fields.keys()])];
  const classifiers: Classifiers = new Map();
  const space = contextSpace(finite);
  const targeted = fieldsOfChangedPolicies(before, after);
  for (const q of qnames) {
    const fb = before.fields.get(q);
    const fa = after.fields.get(q);
    const same = !!fb && !!fa && sameInputs(before, fb, after, fa, targeted);
    if (same && !moved.length) continue;
    const b = side(before, fb, classifiers);
    const a = side(after, fa, classifiers);
    // Same rules: a changed principal matters only where the rules can tell its two versions apart.
    const candidates = same ? moved.filter((n) => b.classify(before.principals.get(n)) !== a.classify(after.principals.get(n))) : names;
    if (!candidates.length) continue;
    // The context attributes these rules read; only those are enumerated.
    const read = new Set<string>();
    const has = new Set<string>();
    readContext(b.rules, read, has);
    readContext(a.rules, read, has);
    const readFinite = [...read].filter((n) => finite.has(n)).sort();
    if (!same) {
      const infinite = [...read].filter((n) => !finite.has(n)).sort();
      if (infinite.length) unverified.push({ field: q, attributes: infinite });
    }
    const { combos, spread, key: spaceKey } = space(readFinite, has);
    // One evaluation per class of principals the rules (at either side) cannot tell apart.
    const classes = new Map<string, string[]>();
    for (const n of candidates) {
      const pb = before.principals.get(n);
      const pa = after.principals.get(n);
      if (!(fb && pb) && !(fa && pa)) continue;
      const k = b.classify(pb) + '#' + a.classify(pa);
      const l = classes.get(k);
      if (l) l.push(n);
      else classes.set(k, [n]);
    }
    for (const members of classes.values()) {
      const pb = before.principals.get(members[0]);
      const pa = after.principals.get(members[0]);
      const groups = new Map<string, { ob: Outcome | null; oa: Outcome | null; at: Map<string, AttrValue>[] }>();
      for (const context of combos) {
        const ob = outcome(b, pb, context);
        const oa = outcome(a, pa, context);
        if (!outcomesDiffer(ob, oa)) continue;
        const key = outcomeKey(ob) + '\u0001' + outcomeKey(oa);
        const g = groups.get(key);
        if (g) g.at.push(context);
        else groups.set(key, { ob, oa, at: [context] });
      }
      for (const g of groups.values()) {
        const first = g.at[0];
        const why = { before: reasons(b, pb, first), after: reasons(a, pa, first) };
        const contexts = g.at.flatMap(spread);
        contextKeys.set(contexts, spaceKey + ':' + g.at.map((c) => combos.indexOf(c)).join(','));
        for (const principal of members) {
          changes.push({ field: q, principal, before: clean(g.ob), after: clean(g.oa), kind: changeKind(g.ob, g.oa), contexts, reasons: why, sides: { before: fb, after: fa } });
        }
      }
    }
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  changes.sort((x, y) => cmp(x.field, y.field) || cmp(x.principal, y.principal) || cmp(contextKey(x.contexts[0]), contextKey(y.contexts[0])));
  unverified.sort((x, y) => cmp(x.field, y.field));
  return { changes, unverified };
}

/** A key per `contexts` array of a change: equal keys, equal sets of contexts (the summary groups by it). */
const contextKeys = new WeakMap<Map<string, AttrValue>[], string>();

export function contextsKeyOf(contexts: Map<string, AttrValue>[]): string | undefined {
  return contextKeys.get(contexts);
}

/**
 * The combinations of the context attributes a field's rules read (`names`,
 * with those in `has` also unset), and how each spreads over the other
 * finite attributes: computed once per set of attributes and shared.
 */
function contextSpace(finite: Map<string, AttrValue[]>) {
  const spaces = new Map<string, { key: string; combos: Map<string, AttrValue>[]; spread: (c: Map<string, AttrValue>) => Map<string, AttrValue>[] }>();
  return (names: string[], has: Set<string>) => {
    const key = names.map((n) => (has.has(n) ? `${n}?` : n)).join(',');
    let sp = spaces.get(key);
    if (sp) return sp;
    const dims = names.map((name) => ({ name, values: [...finite.get(name)!, ...(has.has(name) ? [undefined] : [])] as (AttrValue | undefined)[] }));
    const combos = product(dims).map((values) => {
      const m = new Map<string, AttrValue>();
      values.forEach((v, i) => v !== undefined && m.set(dims[i].name, v));
      return m;
    });
    const spreadOne = spreader(finite, new Set(names));
    const spread = new Map(combos.map((c) => [c, spreadOne(c)]));
    sp = { key, combos, spread: (c) => spread.get(c)! };
    spaces.set(key, sp);
    return sp;
  };
}

function contextKey(c: Map<string, AttrValue> | undefined): string {
  return c ? JSON.stringify([...c]) : '';
}

/**
 * Spreads a combination of the attributes the rules read over every value
 * of the other finite attributes (which cannot change the decision), giving
 * full combinations with their keys in name order.
 */
function spreader(finite: Map<string, AttrValue[]>, read: Set<string>): (c: Map<string, AttrValue>) => Map<string, AttrValue>[] {
  const names = [...finite.keys()];
  return (c) => {
    let out: Map<string, AttrValue>[] = [new Map()];
    for (const n of names) {
      if (read.has(n)) {
        const v = c.get(n);
        if (v !== undefined) for (const m of out) m.set(n, v);
      } else {
        out = out.flatMap((m) => finite.get(n)!.map((v) => new Map(m).set(n, v)));
      }
    }
    return out;
  };
}
