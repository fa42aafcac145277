// Exhaustive mode: for one field and an audience, every declared principal
// × every combination of finite context values (bool and enum attributes),
// until the first counterexample. Governance access rules use it.
//
// Speed comes from two observations: only the context attributes that the
// field's rules read need enumerating, and principals that agree on
// everything those rules look at (relevant groups, read subject attributes,
// being named) get the same decision, so one of each class is evaluated.

import type * as A from '../ast';
import type { AttrValue, FieldSym, Model, PrincipalSym } from '../model/types';
import { contextAttributes, contextHasAttributes, subjectAttributes } from './condition';
import { applicableRules, decide, decideKind, inAudience, type Decision } from './decide';

export type ExhaustiveResult =
  | { kind: 'verified'; principals: number; contexts: number }
  | { kind: 'counterexample'; principal: PrincipalSym; context: Map<string, AttrValue>; decision: Decision }
  | { kind: 'unverifiable'; attributes: string[] };

export interface ExhaustiveQuery {
  field: FieldSym;
  /** The audience the rule speaks about (its `owner` is the field's contract owner). */
  audience: A.Audience;
  /** Does this decision break the rule? (Called with the decision alone; reasons are computed for the counterexample.) */
  violates: (d: Pick<Decision, 'decision' | 'mask'>) => boolean;
}

/**
 * Every combination of the finite context attributes that `names` lists.
 * An unset attribute makes conditions fail closed, so it never grants more
 * than a set one — except through `has()`: attributes in `unsettable` are
 * also tried unset.
 */
export function contextCombinations(model: Model, names: Iterable<string>, unsettable: ReadonlySet<string> = new Set()): { combos: Map<string, AttrValue>[]; infinite: string[] } {
  const dims: { name: string; values: (AttrValue | undefined)[] }[] = [];
  const infinite: string[] = [];
  for (const n of [...names].sort()) {
    const a = model.contextSchema.get(n);
    if (!a) continue;
    const unset = unsettable.has(n) ? [undefined] : [];
    if (a.type.kind === 'bool') dims.push({ name: n, values: [true, false, ...unset] });
    else if (a.type.kind === 'enum') dims.push({ name: n, values: [...a.type.values.map((v) => v.value), ...unset] });
    else infinite.push(n);
  }
  let combos: Map<string, AttrValue>[] = [new Map()];
  for (const d of dims) {
    const next: Map<string, AttrValue>[] = [];
    for (const c of combos) for (const v of d.values) next.push(v === undefined ? new Map(c) : new Map(c).set(d.name, v));
    combos = next;
  }
  return { combos, infinite };
}

function audienceItems(a: A.Audience): A.AudienceItem[] {
  return [...a.include, ...a.except];
}

/** What the rules (and the audience) can tell principals apart by. */
function signatureOf(model: Model, field: FieldSym, audience: A.Audience) {
  const rules = applicableRules(model, field);
  const groups = new Set<string>();
  const names = new Set<string>();
  const attrs = new Set<string>();
  const ctx = new Set<string>();
  const hasCtx = new Set<string>();
  const owner = field.contract.owner;
  for (const item of [...audienceItems(audience), ...rules.flatMap((r) => audienceItems(r.rule.audience))]) {
    if (item.kind === 'group') groups.add(item.name.text);
    else if (item.kind === 'principal') names.add(item.name.text);
    else if (item.kind === 'owner' && owner) groups.add(owner);
  }
  for (const { rule } of rules) {
    const conds = [rule.condition, rule.kind === 'rows' ? rule.filter : undefined];
    for (const c of conds) {
      subjectAttributes(c, attrs);
      contextAttributes(c, ctx);
      contextHasAttributes(c, hasCtx);
    }
  }
  const groupList = [...groups].sort();
  const attrList = [...attrs].sort();
  return {
    ctx,
    hasCtx,
    key(p: PrincipalSym): string {
      let k = names.has(p.name) ? `@${p.name}|` : '|';
      for (const g of groupList) k += p.groups.has(g) ? '1' : '0';
      for (const a of attrList) k += '|' + (p.attributes.has(a) ? JSON.stringify(p.attributes.get(a)) : '-');
      return k;
    },
  };
}

// ----------------------------------------------------------------- cache
//
// The language server rebuilds the model on every edit, but syntax trees of
// unchanged files are reused, so AST node identity says "nothing relevant
// changed". A result is reused when the field's applicable rules, owner and
// tags, the audience, the principals and the context schema are the same
// objects as before. Only the counterexample's principal name and context
// are kept; its decision is recomputed against the current model.

const ids = new WeakMap<object, number>();
let nextId = 1;
const idOf = (o: object) => ids.get(o) ?? (ids.set(o, nextId), nextId++);

const worldKeys = new WeakMap<Model, string>();
function worldKey(model: Model): string {
  let k = worldKeys.get(model);
  if (k === undefined) {
    k = [...model.principals.values()].map((p) => idOf(p.decl)).join(',') + '|' + [...model.contextSchema.values()].map((a) => idOf(a.decl)).join(',') + '|' + [...model.groups.keys()].join(',');
    worldKeys.set(model, k);
  }
  return k;
}

type Cached = { kind: 'verified'; principals: number; contexts: number } | { kind: 'counterexample'; principal: string; context: [string, AttrValue][] } | { kind: 'unverifiable'; attributes: string[] };
const cache = new Map<string, Cached>();
const CACHE_LIMIT = 100_000;

export function exhaustive(model: Model, q: ExhaustiveQuery & { cacheTag?: string }): ExhaustiveResult {
  if (!q.cacheTag) return search(model, q);
  const f = q.field;
  const rules = applicableRules(model, f);
  const key = [q.cacheTag, idOf(q.audience), f.qname, f.contract.owner ?? '', [...f.tags.keys()].join(','), rules.map((r) => idOf(r.rule)).join(','), worldKey(model)].join('\u0000');
  const hit = cache.get(key);
  if (hit) {
    if (hit.kind !== 'counterexample') return hit;
    const principal = model.principals.get(hit.principal);
    if (principal) {
      const context = new Map(hit.context);
      return { kind: 'counterexample', principal, context, decision: decide(model, principal, context, f) };
    }
  }
  const r = search(model, q);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, r.kind === 'counterexample' ? { kind: 'counterexample', principal: r.principal.name, context: [...r.context] } : r);
  return r;
}

function search(model: Model, q: ExhaustiveQuery): ExhaustiveResult {
  const { field, audience, violates } = q;
  const owner = field.contract.owner;
  const sig = signatureOf(model, field, audience);
  const { combos, infinite } = contextCombinations(model, sig.ctx, sig.hasCtx);
  const seen = new Set<string>();
  let principals = 0;
  for (const p of model.principals.values()) {
    if (!inAudience(audience, p, owner)) continue;
    principals++;
    const key = sig.key(p);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const context of combos) {
      if (violates(decideKind(model, p, context, field))) return { kind: 'counterexample', principal: p, context, decision: decide(model, p, context, field) };
    }
  }
  if (infinite.length) return { kind: 'unverifiable', attributes: infinite };
  return { kind: 'verified', principals, contexts: combos.length };
}
