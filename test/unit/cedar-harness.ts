// Shared by the Cedar export tests: running Cedar (cedar-wasm) on an export,
// Charter's own answer in the same shape, and the random model generator,
// renderer and shrinker of the differential test.

import { createRequire } from 'node:module';
import v8 from 'node:v8';
import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { attributeValueFromText, buildModel, decide, decideKind, type AttrValue, type Model } from '../../grammar/index';
import { actionUid, cedarContext, exportCedar, fieldUid, principalUid, type CedarExport } from '../../grammar/export/cedar';

// Node 20's V8 (11.3) can crash ("Fatal error ... unreachable code" in
// Deoptimizer::DoComputeBuiltinContinuation) when Turbofan inlines a JS->Wasm
// call that later deoptimizes; cedar-wasm's calls hit it after a few thousand
// requests. Turning that inlining off before the module loads avoids it.
v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');
// `@cedar-policy/cedar-wasm/nodejs` is CommonJS and loads its .wasm synchronously.
export const cedar: typeof CedarWasm = createRequire(import.meta.url)('@cedar-policy/cedar-wasm/nodejs');

// ------------------------------------------------------------------ answers

/** What both engines say about one request: the decision and which rules made it. */
export interface Answer {
  decision: 'allow' | 'deny';
  /** Allow: the allow rules that match. Deny: the deny rules that match (none: default deny). Rule ids `policy.n`. */
  reasons: string[];
  /** When allowed: the mask rules that apply and the strongest method. */
  masks?: string[];
  mask?: string;
  /** When allowed: the row filters that apply. */
  rows?: string[];
}

export function sameAnswer(a: Answer, b: Answer): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function showAnswer(a: Answer): string {
  const parts = [a.decision, `reasons [${a.reasons.join(', ')}]`];
  if (a.masks) parts.push(`masks [${a.masks.join(', ')}]${a.mask ? ` -> ${a.mask}` : ''}`);
  if (a.rows) parts.push(`rows [${a.rows.join(', ')}]`);
  return parts.join('; ');
}

const MASK_ORDER = ['null', 'redact', 'hash', 'partial'];

export function charterAnswer(model: Model, principal: string, context: ReadonlyMap<string, AttrValue>, field: string): Answer {
  const d = decide(model, model.principals.get(principal)!, context, model.fields.get(field)!);
  const id = (r: (typeof d.reasons)[number]) => `${r.policy.name}.${r.policy.decl.rules.indexOf(r.rule) + 1}`;
  const of = (effect: string) => d.reasons.filter((r) => r.effect === effect).map(id).sort();
  if (d.decision === 'denied') return { decision: 'deny', reasons: of('deny') };
  return { decision: 'allow', reasons: of('allow'), masks: of('mask'), mask: d.mask, rows: of('rows') };
}

export interface CedarCheck {
  /** Strict validation of the policies against the schema, and of the entities. */
  problems: string[];
  answer(principal: string, context: ReadonlyMap<string, AttrValue>, field: string): Answer;
}

let seq = 0;

/** Loads an export into Cedar (preparsed once) and answers requests with it. */
export function cedarFor(model: Model, ex: CedarExport = exportCedar(model)): CedarCheck {
  const problems: string[] = [...ex.warnings.map((w) => `warning: ${w}`)];
  const staticPolicies: Record<string, string> = {};
  for (const p of ex.policyList) staticPolicies[p.id] = p.text;
  const v = cedar.validate({ schema: ex.schema, policies: { staticPolicies }, validationSettings: { mode: 'strict' } });
  if (v.type === 'failure') problems.push(...v.errors.map((e) => `validate: ${e.message}`));
  else problems.push(...v.validationErrors.map((e) => `validate ${e.policyId}: ${e.error.message}`));
  const ents = cedar.checkParseEntities({ entities: ex.entities as CedarWasm.EntityJson[], schema: ex.schema });
  if (ents.type === 'failure') problems.push(...ents.errors.map((e) => `entities: ${e.message}`));
  const id = `charter-${++seq}`;
  const ps = cedar.preparsePolicySet(id, { staticPolicies });
  if (ps.type === 'failure') problems.push(...ps.errors.map((e) => `policies: ${e.message}`));
  const sc = cedar.preparseSchema(id, ex.schema);
  if (sc.type === 'failure') problems.push(...sc.errors.map((e) => `schema: ${e.message}`));
  const annotations = new Map(ex.policyList.map((p) => [p.id, p]));
  // Each request gets the entities it can reach (the principal, the field and
  // their ancestors), as an enforcement point would send them.
  const key = (u: { type: string; id: string }) => `${u.type}::${u.id}`;
  const byUid = new Map(ex.entities.map((e) => [key(e.uid), e]));
  const slice = (...roots: { type: string; id: string }[]) => {
    const out = new Map<string, CedarWasm.EntityJson>();
    const todo = roots.map(key);
    while (todo.length) {
      const k = todo.pop()!;
      const e = byUid.get(k);
      if (!e || out.has(k)) continue;
      out.set(k, e as CedarWasm.EntityJson);
      for (const p of e.parents) todo.push(key(p));
    }
    return [...out.values()];
  };
  const ask = (action: 'read' | 'mask' | 'rows', principal: string, context: Record<string, unknown>, field: string) => {
    const r = cedar.statefulIsAuthorized({
      principal: principalUid(principal),
      action: actionUid(action),
      resource: fieldUid(field),
      context: context as CedarWasm.Context,
      preparsedPolicySetId: id,
      preparsedSchemaName: id,
      validateRequest: true,
      entities: slice(principalUid(principal), fieldUid(field)),
    });
    if (r.type === 'failure') throw new Error(`cedar: ${r.errors.map((e) => e.message).join('; ')}`);
    if (r.response.diagnostics.errors.length) {
      // Exported policies guard every access: a Cedar evaluation error is a translation bug.
      throw new Error(`cedar evaluation error: ${r.response.diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ')}`);
    }
    return r.response;
  };
  return {
    problems,
    answer(principal, context, field) {
      const ctx = cedarContext(model, context, ex.numberType);
      const read = ask('read', principal, ctx, field);
      const reasons = [...read.diagnostics.reason].sort();
      if (read.decision === 'deny') return { decision: 'deny', reasons };
      const masks = [...ask('mask', principal, ctx, field).diagnostics.reason].sort();
      const methods = masks.map((m) => annotations.get(m)!.mask!).sort((a, b) => MASK_ORDER.indexOf(a) - MASK_ORDER.indexOf(b));
      const rows = [...ask('rows', principal, ctx, field).diagnostics.reason].sort();
      return { decision: 'allow', reasons, masks, mask: methods[0], rows };
    },
  };
}

// ------------------------------------------------------------------ generator

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => next() < p;
  const some = <T>(xs: readonly T[], min: number, max: number): T[] => {
    const pool = [...xs];
    const n = Math.min(pool.length, min + int(max - min + 1));
    const out: T[] = [];
    while (out.length < n) out.push(pool.splice(int(pool.length), 1)[0]);
    return out;
  };
  return { next, int, pick, chance, some };
}
export type Rng = ReturnType<typeof prng>;

export type AttrKind = 'bool' | 'number' | 'string' | 'date' | { enum: string[] };
export interface GAttr {
  name: string;
  type: AttrKind;
}

/** A condition, kept as a tree so the shrinker can cut it. */
export type GExpr =
  | { k: 'and' | 'or'; l: GExpr; r: GExpr }
  | { k: 'not'; x: GExpr }
  | { k: 'cmp'; op: string; l: GExpr; r: GExpr }
  | { k: 'has'; path: string }
  | { k: 'ref'; path: string }
  | { k: 'lit'; text: string }
  | { k: 'list'; items: GExpr[] };

export interface GRule {
  kind: 'allow' | 'deny' | 'mask' | 'rows';
  action?: string;
  method?: string;
  fields: string[];
  include: string[];
  except: string[];
  cond?: GExpr;
  filter?: string;
}

export interface GSpec {
  /** Numbers may have decimals (else integers only, and the export may use Long). */
  decimals: boolean;
  /** How the export writes numbers. */
  numbers: 'decimal' | 'Long';
  groups: string[];
  subject: GAttr[];
  context: GAttr[];
  principals: { name: string; groups: string[]; attrs: [string, string][] }[];
  classifications: string[];
  domains: { name: string; owner?: string }[];
  contracts: { name: string; owner?: string; fields: { name: string; type: string; tags: string[]; from: string[]; via?: string }[] }[];
  policies: { name: string; target: string; rules: GRule[] }[];
}

export interface GRequest {
  principal: string;
  context: [string, string][];
  field: string;
}

const SUBJECT_POOL: GAttr[] = [
  { name: 'region', type: { enum: ['EU', 'US', 'APAC'] } },
  { name: 'clearance', type: 'number' },
  { name: 'department', type: 'string' },
  { name: 'contractor', type: 'bool' },
  { name: 'cost-center', type: 'string' },
  { name: 'hired', type: 'date' },
  { name: 'like', type: 'bool' },
];
const CONTEXT_POOL: GAttr[] = [
  { name: 'mfa', type: 'bool' },
  { name: 'device', type: { enum: ['managed', 'byod'] } },
  { name: 'purpose', type: { enum: ['audit', 'analytics', 'support'] } },
  { name: 'ticket', type: 'string' },
  { name: 'risk', type: 'number' },
  { name: 'day', type: 'date' },
  { name: 'if', type: 'string' },
];
const GROUPS = ['analysts', 'ops', 'data-team', 'auditors', 'privacy', 'pay_team'];
const CLASSIFICATIONS = ['pii', 'pii.email', 'pii.email.work', 'pci', 'conf'];
const DOMAINS = ['sales', 'crm', 'pay'];
const FIELD_NAMES = ['id', 'email', 'amount', 'country', 'note'];
const FIELD_TYPES = ['string', 'int', 'decimal', 'bool', 'date'];
const TRANSFORMS = ['copy', 'derive', 'hash', 'mask', 'aggregate', 'tokenize'];
const STRINGS = ['a', 'b', 'EU', 'pii', '2026-01-01'];
const DATES = ['2026-01-01', '2026-06-30', '2027-03-31'];

/** Values of an attribute, as Charter literals. `decimals`: the model uses non-integer numbers. */
function valueText(r: Rng, t: AttrKind, decimals: boolean): string {
  if (typeof t === 'object') return JSON.stringify(r.pick(t.enum));
  switch (t) {
    case 'bool':
      return r.pick(['true', 'false']);
    case 'number':
      return decimals ? r.pick(['0', '1', '1.5', '2', '2.25', '3']) : r.pick(['0', '1', '2', '3', '5']);
    case 'string':
      return JSON.stringify(r.pick(STRINGS));
    case 'date':
      return r.pick(DATES);
  }
}

const cls = (t: AttrKind) => (typeof t === 'object' ? 'string' : t);

export function generate(r: Rng): GSpec {
  const decimals = r.chance(0.2);
  const groups = r.some(GROUPS, 1, 4);
  const subject = r.some(SUBJECT_POOL, 1, 4);
  const context = r.some(CONTEXT_POOL, 1, 3);
  const principals = Array.from({ length: 2 + r.int(4) }, (_, i) => ({
    name: r.pick(['alice', 'bob', 'carol', 'dan', 'etl-bot', 'eve']) + i,
    groups: r.some(groups, 0, 2),
    attrs: subject.filter(() => r.chance(0.75)).map((a) => [a.name, valueText(r, a.type, decimals)] as [string, string]),
  }));
  const classifications = [...new Set(r.some(CLASSIFICATIONS, 1, 4).flatMap((c) => c.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))))];
  const domains = r.some(DOMAINS, 1, 3).map((name) => ({ name, owner: r.chance(0.6) ? r.pick(groups) : undefined }));
  const contracts: GSpec['contracts'] = [];
  const allFields: string[] = [];
  for (const d of domains) {
    for (let i = 0; i < 1 + r.int(2); i++) {
      const name = `${d.name}.t${i}`;
      const fields = r.some(FIELD_NAMES, 1, 3).map((f) => {
        const from = allFields.length && r.chance(0.35) ? [r.pick(allFields)] : [];
        return { name: f, type: r.pick(FIELD_TYPES), tags: r.chance(0.5) ? r.some(classifications, 1, 2) : [], from, via: from.length && r.chance(0.6) ? r.pick(TRANSFORMS) : undefined };
      });
      for (const f of fields) allFields.push(`${name}.${f.name}`);
      contracts.push({ name, owner: r.chance(0.3) ? r.pick(groups) : undefined, fields });
    }
  }
  const numbers = decimals ? 'decimal' : r.pick(['decimal', 'Long'] as const);
  const spec: GSpec = { decimals, numbers, groups, subject, context, principals, classifications, domains, contracts, policies: [] };
  const nPolicies = 1 + r.int(5);
  for (let i = 0; i < nPolicies; i++) spec.policies.push(genPolicy(r, spec, `p${i}`, decimals));
  return spec;
}

function genPolicy(r: Rng, s: GSpec, name: string, decimals: boolean): GSpec['policies'][number] {
  const kind = r.pick(['contract', 'contract', 'wildcard', 'domain', 'tagged']);
  let target: string;
  let columns: { name: string; type: string }[] = [];
  if (kind === 'tagged') target = `fields tagged ${r.some(s.classifications, 1, 2).join(', ')}`;
  else if (kind === 'contract') {
    const c = r.pick(s.contracts);
    target = c.name;
    columns = c.fields;
  } else {
    const d = r.pick(s.domains).name;
    target = kind === 'domain' ? `domain ${d}` : `${d}.*`;
    columns = s.contracts.filter((c) => c.name.startsWith(d + '.')).flatMap((c) => c.fields);
  }
  const rules: GRule[] = [];
  for (let i = 0, n = 1 + r.int(4); i < n; i++) {
    const kindR = r.pick(['allow', 'allow', 'allow', 'allow', 'allow', 'deny', 'deny', 'mask', 'mask', 'rows'] as const);
    const fields = kind !== 'tagged' && columns.length && kindR !== 'rows' && r.chance(0.3) ? [...new Set(r.some(columns, 1, 2).map((c) => c.name))] : [];
    const aud = () => {
      const items = ['everyone', 'owner', ...s.groups, ...s.principals.map((p) => `principal ${p.name}`)];
      return r.pick(['everyone', 'owner', r.pick(items), r.pick(items)]);
    };
    const include = [aud(), ...(r.chance(0.25) ? [aud()] : [])];
    const except = r.chance(0.3) ? [aud(), ...(r.chance(0.3) ? [aud()] : [])] : [];
    const rule: GRule = { kind: kindR, fields, include, except };
    if (kindR === 'allow' || kindR === 'deny') {
      rule.action = r.chance(0.85) ? 'read' : r.pick(['write', 'discover']);
      if (r.chance(kindR === 'allow' ? 0.5 : 0.7)) rule.cond = genCond(r, s, kindR === 'allow' ? 2 : 3, decimals);
    } else if (kindR === 'mask') {
      rule.method = r.pick(['null', 'redact', 'hash', 'partial']);
      if (r.chance(0.45)) rule.cond = genCond(r, s, 2, decimals);
    } else {
      const strCol = kind === 'contract' ? columns.find((c) => c.type === 'string') : undefined;
      const strAttr = s.subject.find((a) => cls(a.type) === 'string');
      rule.filter = strCol && strAttr ? `${strCol.name} == subject.${strAttr.name}` : strCol ? `${strCol.name} == "a"` : strAttr ? `subject.${strAttr.name} == ${valueText(r, strAttr.type, decimals)}` : 'true';
    }
    rules.push(rule);
  }
  return { name, target, rules };
}

const lit = (text: string): GExpr => ({ k: 'lit', text });
const ref = (path: string): GExpr => ({ k: 'ref', path });

function genLeaf(r: Rng, s: GSpec, decimals: boolean): GExpr {
  const attrs = [...s.subject.map((a) => ({ path: `subject.${a.name}`, type: a.type })), ...s.context.map((a) => ({ path: `context.${a.name}`, type: a.type }))];
  const roll = r.int(20);
  if (roll < 2) return { k: 'has', path: r.pick(attrs).path };
  if (roll < 3) {
    // constants
    return r.pick<GExpr>([
      lit('true'),
      lit('false'),
      { k: 'cmp', op: '<', l: lit('15m'), r: lit('1h') },
      { k: 'cmp', op: '>', l: lit('2026-01-01'), r: lit('2027-03-31') },
      { k: 'cmp', op: '==', l: { k: 'list', items: [lit('"a"')] }, r: { k: 'list', items: [lit('"a"')] } },
      { k: 'cmp', op: 'in', l: lit('2'), r: { k: 'list', items: [lit('1'), lit('2.0')] } },
      { k: 'cmp', op: '>=', l: lit('99.9%'), r: lit('99.95%') },
    ]);
  }
  if (roll < 6) {
    // resource attributes
    switch (r.int(7)) {
      case 0:
        return { k: 'cmp', op: r.pick(['==', '!=']), l: ref('resource.domain'), r: lit(JSON.stringify(r.pick(DOMAINS))) };
      case 1:
        return { k: 'cmp', op: '==', l: ref('resource.owner'), r: lit(JSON.stringify(r.pick([...s.groups, '']))) };
      case 2:
        return { k: 'cmp', op: '==', l: ref('resource.name'), r: lit(JSON.stringify(r.pick(s.contracts).name)) };
      case 3:
        return { k: 'cmp', op: 'in', l: lit(JSON.stringify(r.pick(s.classifications))), r: ref('resource.tags') };
      case 4: {
        // a field's declared tags, in order or reversed: list equality is ordered
        const tagged = s.contracts.flatMap((c) => c.fields).filter((f) => f.tags.length);
        const tags = tagged.length && r.chance(0.6) ? [...r.pick(tagged).tags] : r.some(s.classifications, 0, 2);
        if (r.chance(0.3)) tags.reverse();
        const items = tags.map((c) => lit(JSON.stringify(c)));
        return { k: 'cmp', op: r.pick(['==', '!=']), l: ref('resource.tags'), r: { k: 'list', items } };
      }
      case 5: {
        const str = attrs.filter((a) => cls(a.type) === 'string');
        if (!str.length) return lit('true');
        return { k: 'cmp', op: 'in', l: ref(r.pick(str).path), r: ref('resource.tags') };
      }
      default: {
        const str = attrs.filter((a) => cls(a.type) === 'string');
        if (!str.length) return lit('false');
        return { k: 'cmp', op: '==', l: ref('resource.tags'), r: { k: 'list', items: [ref(r.pick(str).path), ...(r.chance(0.5) ? [lit('"pii"')] : [])] } };
      }
    }
  }
  const a = r.pick(attrs);
  const t = a.type;
  const c = cls(t);
  if (r.chance(0.15)) {
    // attribute against attribute of the same class
    const others = attrs.filter((b) => cls(b.type) === c && b.path !== a.path);
    if (others.length) {
      const ops = c === 'number' || c === 'date' ? ['==', '!=', '<', '<=', '>', '>='] : ['==', '!='];
      return { k: 'cmp', op: r.pick(ops), l: ref(a.path), r: ref(r.pick(others).path) };
    }
  }
  switch (c) {
    case 'bool':
      return r.pick([ref(a.path), { k: 'cmp', op: r.pick(['==', '!=']), l: ref(a.path), r: lit(r.pick(['true', 'false'])) } as GExpr]);
    case 'number':
    case 'date':
      if (r.chance(0.15)) {
        // the checker types a list by its first item: later items may be of another type (never equal)
        const items = [lit(valueText(r, t, decimals)), lit(valueText(r, t, decimals)), ...(r.chance(0.3) ? [lit(r.pick(['"2"', 'true', '"2026-01-01"']))] : [])];
        return { k: 'cmp', op: 'in', l: ref(a.path), r: { k: 'list', items } };
      }
      return { k: 'cmp', op: r.pick(['==', '!=', '<', '<=', '>', '>=']), l: ref(a.path), r: lit(valueText(r, t, decimals)) };
    default: {
      if (r.chance(0.3)) {
        const items: GExpr[] = [lit(valueText(r, t, decimals)), lit(valueText(r, t, decimals))];
        const sameClass = attrs.filter((b) => cls(b.type) === 'string' && b.path !== a.path);
        if (sameClass.length && r.chance(0.4)) items.push(ref(r.pick(sameClass).path));
        if (r.chance(0.15)) items.push(lit(r.pick(['1', 'false', '2026-01-01'])));
        return { k: 'cmp', op: 'in', l: ref(a.path), r: { k: 'list', items } };
      }
      return { k: 'cmp', op: r.pick(['==', '!=']), l: ref(a.path), r: lit(valueText(r, t, decimals)) };
    }
  }
}

function genCond(r: Rng, s: GSpec, depth: number, decimals: boolean): GExpr {
  if (depth <= 0 || r.chance(0.35)) return genLeaf(r, s, decimals);
  const roll = r.int(10);
  if (roll < 2) return { k: 'not', x: genCond(r, s, depth - 1, decimals) };
  if (roll < 3) {
    // a condition compared as a value
    if (r.chance(0.2)) return { k: 'cmp', op: 'in', l: genLeaf(r, s, decimals), r: { k: 'list', items: r.some([lit('true'), lit('false'), genLeaf(r, s, decimals)], 1, 2) } };
    return { k: 'cmp', op: r.pick(['==', '!=']), l: genLeaf(r, s, decimals), r: r.chance(0.5) ? lit(r.pick(['true', 'false'])) : genLeaf(r, s, decimals) };
  }
  return { k: r.chance(0.5) ? 'and' : 'or', l: genCond(r, s, depth - 1, decimals), r: genCond(r, s, depth - 1, decimals) };
}

export function renderExpr(e: GExpr): string {
  switch (e.k) {
    case 'and':
    case 'or':
      return `(${renderExpr(e.l)} ${e.k} ${renderExpr(e.r)})`;
    case 'not':
      return `not ${renderExpr(e.x)}`;
    case 'cmp':
      return `(${renderExpr(e.l)} ${e.op} ${renderExpr(e.r)})`;
    case 'has':
      return `has(${e.path})`;
    case 'ref':
      return e.path;
    case 'lit':
      return e.text;
    case 'list':
      return `[${e.items.map(renderExpr).join(', ')}]`;
  }
}

function renderType(t: AttrKind): string {
  return typeof t === 'object' ? t.enum.map((v) => JSON.stringify(v)).join(' | ') : t;
}

export function render(s: GSpec): string {
  const out: string[] = [];
  for (const g of s.groups) out.push(`group ${g}`);
  if (s.subject.length) out.push(`subject attributes {\n${s.subject.map((a) => `  ${a.name}: ${renderType(a.type)}`).join('\n')}\n}`);
  if (s.context.length) out.push(`context attributes {\n${s.context.map((a) => `  ${a.name}: ${renderType(a.type)}`).join('\n')}\n}`);
  for (const p of s.principals) {
    const body = [...(p.groups.length ? [`member of ${p.groups.join(', ')}`] : []), ...p.attrs.map(([k, v]) => `${k} ${v}`)];
    out.push(`principal ${p.name} {${body.length ? '\n' + body.map((b) => `  ${b}`).join('\n') + '\n' : ''}}`);
  }
  for (const c of s.classifications) out.push(`classification ${c}`);
  for (const d of s.domains) out.push(`domain ${d.name}${d.owner ? ` { owner ${d.owner} }` : ''}`);
  for (const c of s.contracts) {
    const lines = [...(c.owner ? [`  owner ${c.owner}`] : [])];
    for (const f of c.fields) {
      let l = `  field ${f.name}: ${f.type}`;
      if (f.tags.length) l += ` tagged ${f.tags.join(', ')}`;
      if (f.from.length) l += ` from ${f.from.join(', ')}${f.via ? ` via ${f.via}` : ''}`;
      lines.push(l);
    }
    out.push(`contract ${c.name} {\n${lines.join('\n')}\n}`);
  }
  for (const p of s.policies) {
    const rules = p.rules.map((r) => {
      const aud = r.include.join(', ') + (r.except.length ? ` except ${r.except.join(', ')}` : '');
      const when = r.cond ? ` when ${renderExpr(r.cond)}` : '';
      switch (r.kind) {
        case 'allow':
        case 'deny':
          return `${r.kind} ${r.action}${r.fields.length ? ` of ${r.fields.join(', ')}` : ''} to ${aud}${when}`;
        case 'mask':
          return `mask${r.fields.length ? ' ' + r.fields.join(', ') : ''} with ${r.method} for ${aud}${when}`;
        case 'rows':
          return `rows where ${r.filter} for ${aud}`;
      }
    });
    out.push(`policy ${p.name} on ${p.target} {\n${rules.map((r) => `  ${r}`).join('\n')}\n}`);
  }
  return out.join('\n') + '\n';
}

export function genRequest(r: Rng, s: GSpec): GRequest {
  const decimals = s.decimals;
  let fields = s.contracts.flatMap((c) => c.fields.map((f) => ({ q: `${c.name}.${f.name}`, c: c.name, tags: f.tags })));
  if (s.policies.length && r.chance(0.7)) {
    // Mostly fields some policy targets: other fields are denied by default.
    const t = r.pick(s.policies).target;
    const m = /^(?:domain (\S+)|(\S+)\.\*|fields tagged (.*)|(\S+))$/.exec(t)!;
    const dom = m[1] ?? m[2];
    const tags = m[3]?.split(', ');
    const covered = fields.filter((f) => (dom ? f.c.startsWith(dom + '.') : tags ? f.tags.some((x) => tags.some((t) => x === t || x.startsWith(t + '.'))) : f.c === m[4]));
    if (covered.length) fields = covered;
  }
  return {
    principal: r.pick(s.principals).name,
    context: s.context.filter(() => r.chance(0.7)).map((a) => [a.name, valueText(r, a.type, decimals)] as [string, string]),
    field: r.pick(fields).q,
  };
}

// ------------------------------------------------------------------ checking one case

export function buildSpec(s: GSpec): Model | undefined {
  const model = buildModel([{ uri: 'gen.charter', text: render(s) }], { today: '2026-11-23' });
  return model.diagnostics.some((d) => d.severity === 'error') ? undefined : model;
}

export function requestContext(model: Model, req: GRequest): Map<string, AttrValue> | undefined {
  const out = new Map<string, AttrValue>();
  for (const [k, raw] of req.context) {
    const a = model.contextSchema.get(k);
    if (!a) return undefined;
    const v = attributeValueFromText(a, raw.replace(/^"(.*)"$/, '$1'));
    if (v.error) return undefined;
    out.set(k, v.value!);
  }
  return out;
}

export interface Verdict {
  charter: Answer;
  cedar: Answer | string;
  /** Set when Charter's own decideKind (the exhaustive search's fast path) disagrees with decide. */
  decideKind?: string;
}

/** Charter's and Cedar's answers for one request, or undefined when the request does not fit the model. */
export function verdict(model: Model, check: CedarCheck, req: GRequest): Verdict | undefined {
  const ctx = requestContext(model, req);
  if (!ctx || !model.principals.has(req.principal) || !model.fields.has(req.field)) return undefined;
  const charter = charterAnswer(model, req.principal, ctx, req.field);
  const fast = decideKind(model, model.principals.get(req.principal)!, ctx, model.fields.get(req.field)!);
  const fastAnswer = fast.decision === 'denied' ? 'deny' : `allow ${fast.mask ?? 'clear'}`;
  const slowAnswer = charter.decision === 'deny' ? 'deny' : `allow ${charter.mask ?? 'clear'}`;
  let ced: Answer | string;
  try {
    ced = check.answer(req.principal, ctx, req.field);
  } catch (e) {
    ced = (e as Error).message;
  }
  return { charter, cedar: ced, decideKind: fastAnswer === slowAnswer ? undefined : fastAnswer };
}

export const disagrees = (v: Verdict | undefined) => !!v && (typeof v.cedar === 'string' || !sameAnswer(v.charter, v.cedar) || !!v.decideKind);

// ------------------------------------------------------------------ shrinking

/** Every one-step smaller variant of a failing case (the caller keeps those that still fail). */
export function* smaller(s: GSpec, req: GRequest): Generator<[GSpec, GRequest]> {
  const clone = (): GSpec => structuredClone(s);
  const same = (x: GSpec): [GSpec, GRequest] => [x, req];
  for (let i = 0; i < s.policies.length; i++) {
    const x = clone();
    x.policies.splice(i, 1);
    yield same(x);
  }
  for (let i = 0; i < s.policies.length; i++) {
    for (let j = 0; j < s.policies[i].rules.length; j++) {
      const x = clone();
      x.policies[i].rules.splice(j, 1);
      if (x.policies[i].rules.length) yield same(x);
    }
  }
  for (let i = 0; i < s.policies.length; i++) {
    for (let j = 0; j < s.policies[i].rules.length; j++) {
      const rule = s.policies[i].rules[j];
      const edit = (f: (r: GRule) => void) => {
        const x = clone();
        f(x.policies[i].rules[j]);
        return same(x);
      };
      if (rule.cond) {
        yield edit((r) => delete r.cond);
        for (const sub of subExprs(rule.cond)) yield edit((r) => (r.cond = sub));
      }
      for (let k = 0; k < rule.fields.length; k++) yield edit((r) => r.fields.splice(k, 1));
      for (let k = 0; k < rule.except.length; k++) yield edit((r) => r.except.splice(k, 1));
      if (rule.include.length > 1) for (let k = 0; k < rule.include.length; k++) yield edit((r) => r.include.splice(k, 1));
      if (rule.include.some((a) => a !== 'everyone')) yield edit((r) => (r.include = ['everyone']));
      if (rule.action && rule.action !== 'read') yield edit((r) => (r.action = 'read'));
    }
  }
  for (let i = 0; i < s.principals.length; i++) {
    if (s.principals[i].name !== req.principal) {
      const x = clone();
      x.principals.splice(i, 1);
      yield same(x);
    }
    for (let k = 0; k < s.principals[i].groups.length; k++) {
      const x = clone();
      x.principals[i].groups.splice(k, 1);
      yield same(x);
    }
    for (let k = 0; k < s.principals[i].attrs.length; k++) {
      const x = clone();
      x.principals[i].attrs.splice(k, 1);
      yield same(x);
    }
  }
  for (let k = 0; k < req.context.length; k++) yield [s, { ...req, context: req.context.filter((_, i) => i !== k) }];
  for (let i = 0; i < s.contracts.length; i++) {
    const c = s.contracts[i];
    if (!req.field.startsWith(c.name + '.')) {
      const x = clone();
      x.contracts.splice(i, 1);
      yield same(x);
    }
    for (let j = 0; j < c.fields.length; j++) {
      const f = c.fields[j];
      if (`${c.name}.${f.name}` !== req.field) {
        const x = clone();
        x.contracts[i].fields.splice(j, 1);
        if (x.contracts[i].fields.length) yield same(x);
      }
      for (let k = 0; k < f.tags.length; k++) {
        const x = clone();
        x.contracts[i].fields[j].tags.splice(k, 1);
        yield same(x);
      }
      if (f.from.length) {
        const x = clone();
        x.contracts[i].fields[j].from = [];
        delete x.contracts[i].fields[j].via;
        yield same(x);
      }
    }
    if (c.owner) {
      const x = clone();
      delete x.contracts[i].owner;
      yield same(x);
    }
  }
  for (let i = 0; i < s.domains.length; i++) {
    const x = clone();
    x.domains.splice(i, 1);
    yield same(x);
    if (s.domains[i].owner) {
      const y = clone();
      delete y.domains[i].owner;
      yield same(y);
    }
  }
  for (const key of ['groups', 'classifications', 'subject', 'context'] as const) {
    for (let i = 0; i < s[key].length; i++) {
      const x = clone();
      (x[key] as unknown[]).splice(i, 1);
      yield same(x);
    }
  }
}

function* subExprs(e: GExpr): Generator<GExpr> {
  switch (e.k) {
    case 'and':
    case 'or':
      yield e.l;
      yield e.r;
      for (const l of subExprs(e.l)) yield { ...e, l };
      for (const r of subExprs(e.r)) yield { ...e, r };
      break;
    case 'not':
      yield e.x;
      for (const x of subExprs(e.x)) yield { k: 'not', x };
      break;
    case 'cmp':
      for (const l of subExprs(e.l)) yield { ...e, l };
      for (const r of subExprs(e.r)) yield { ...e, r };
      break;
    case 'list':
      for (let i = 0; i < e.items.length; i++) yield { k: 'list', items: e.items.filter((_, j) => j !== i) };
      break;
  }
}

export interface Failure {
  source: string;
  numbers: 'decimal' | 'Long';
  request: GRequest;
  verdict: Verdict;
  problems: string[];
}

/**
 * Shrinks a failing case: drops rules, principals, attributes, fields...
 * while the model stays valid and the engines still disagree.
 * `check` builds the Cedar side (tests substitute a broken translation to test the shrinker).
 */
export type CheckFactory = (m: Model, s: GSpec) => CedarCheck;
export const defaultCheck: CheckFactory = (m, s) => cedarFor(m, exportCedar(m, { numbers: s.numbers }));

export function shrink(spec: GSpec, req: GRequest, check: CheckFactory = defaultCheck): Failure {
  const fails = (s: GSpec, q: GRequest): Verdict | undefined => {
    const m = buildSpec(s);
    if (!m) return undefined;
    const v = verdict(m, check(m, s), q);
    return disagrees(v) ? v : undefined;
  };
  let cur = spec;
  let curReq = req;
  let v = fails(cur, curReq);
  if (!v) throw new Error('shrink: the case does not fail');
  for (let progress = true, rounds = 0; progress && rounds < 200; rounds++) {
    progress = false;
    for (const [s, q] of smaller(cur, curReq)) {
      const w = fails(s, q);
      if (w) {
        cur = s;
        curReq = q;
        v = w;
        progress = true;
        break;
      }
    }
  }
  const m = buildSpec(cur)!;
  return { source: render(cur), request: curReq, verdict: v, problems: check(m, cur).problems, numbers: cur.numbers };
}

export function describeFailure(f: Failure): string {
  const ctx = f.request.context.length ? f.request.context.map(([k, v]) => `${k}=${v}`).join(' ') : '(none)';
  return [
    'Charter and Cedar disagree. Smallest model:',
    '',
    f.source,
    `export: numbers as ${f.numbers}`,
    `request: principal ${f.request.principal}, field ${f.request.field}, context ${ctx}`,
    `charter: ${showAnswer(f.verdict.charter)}`,
    `cedar:   ${typeof f.verdict.cedar === 'string' ? f.verdict.cedar : showAnswer(f.verdict.cedar)}`,
    ...(f.verdict.decideKind ? [`charter decideKind (fast path) says: ${f.verdict.decideKind}`] : []),
    ...(f.problems.length ? ['export problems:', ...f.problems.map((p) => '  ' + p)] : []),
  ].join('\n');
}
