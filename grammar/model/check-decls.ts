// Pass 2: resolve and check every declaration (names, types, values).
// Lineage has its own pass (lineage.ts); governance evaluation and tests
// run over the finished model (governance/, evaluator/).

import type * as A from '../ast';
import type { BuildContext } from './context';
import { checkCondition } from './conditions';
import { resolveFieldRef, resolveFieldIn } from './lineage';
import { targetContracts } from './targets';
import { compileRegex, isRegexError } from '../regex';
import { attrType } from './conditions';
import {
  ACTIONS,
  CONTRACT_STATUSES,
  FIELD_TYPES,
  MASK_METHODS,
  type AttrValue,
  type AttributeSym,
  type ContractSym,
  type Model,
} from './types';

const SLA_KEYS: Record<string, A.Literal['kind'] | 'name'> = {
  freshness: 'duration',
  availability: 'percent',
  retention: 'duration',
  encryption: 'name',
  escalation: 'string',
  latency: 'duration',
  support: 'string',
};
const CONTRACT_KEYS = ['version', 'owner', 'status', 'description'];

function valueKind(v: A.Literal | A.Name | undefined): string {
  if (!v) return 'nothing';
  return 'kind' in v ? v.kind : 'name';
}
function valueText(v: A.Literal | A.Name): string {
  if (!('kind' in v)) return v.text;
  if (v.kind === 'list') return '[...]';
  if ('text' in v) return v.text;
  return String(v.value);
}

/** Checks every declaration, or those of `files` (an incremental rebuild). */
export function checkDeclarations(ctx: BuildContext, files?: Set<string>): void {
  const m = ctx.model;
  const mine = (s: { loc: { file: string } }) => !files || files.has(s.loc.file);
  checkSchemas(ctx, mine);
  for (const c of m.classifications.values()) {
    if (!mine(c)) continue;
    const parts = c.decl.name.parts;
    if (parts.length > 1) {
      const parent = parts.slice(0, -1).map((p) => p.text).join('.');
      if (!m.classifications.has(parent)) {
        ctx.error(c.loc.file, c.decl.name.range, 'unknown-classification', `classification '${c.name}' is a child of '${parent}', which is not declared`);
      }
    }
  }
  for (const d of m.domains.values()) {
    if (!mine(d)) continue;
    for (const p of d.decl.properties) {
      if (p.key.text === 'owner') {
        const g = p.value && !('kind' in p.value) ? p.value : undefined;
        if (g && ctx.resolve(d.loc.file, g, m.groups, 'group')) d.owner = g.text;
        else if (!g) ctx.error(d.loc.file, p.range, 'invalid-value', `owner names a group`);
      } else if (p.key.text !== 'description') {
        ctx.diag(d.loc.file, p.key.range, 'warning', 'unknown-property', `unknown domain property '${p.key.text}' (expected owner or description)`);
      }
    }
  }
  for (const c of m.contracts.values()) if (mine(c)) checkContract(ctx, c);
  for (const p of m.principals.values()) if (mine(p)) checkPrincipal(ctx, p);
  for (const p of m.policies.values()) if (mine(p)) checkPolicy(ctx, p.decl, p.loc.file);
  for (const r of m.rules.values()) if (mine(r)) checkRule(ctx, r.decl, r.loc.file);
  for (const w of m.waivers.values()) if (mine(w)) checkWaiver(ctx, w.decl, w.loc.file);
  for (const t of m.tests.values()) if (mine(t)) checkTest(ctx, t.decl, t.loc.file);
}

function checkSchemas(ctx: BuildContext, mine: (s: AttributeSym) => boolean): void {
  for (const a of [...ctx.model.subjectSchema.values(), ...ctx.model.contextSchema.values()]) {
    if (!mine(a)) continue;
    const t = a.type;
    if (t.kind === 'enum') {
      const seen = new Set<string>();
      for (const v of t.values) {
        if (seen.has(v.value)) ctx.error(a.loc.file, v.range, 'duplicate', `"${v.value}" is listed twice`);
        seen.add(v.value);
      }
    } else if (!['string', 'number', 'bool', 'date'].includes(t.kind)) {
      ctx.error(a.loc.file, t.range, 'unknown-type', `unknown attribute type '${t.kind}' (expected string, number, bool, date or "a" | "b")`);
    }
  }
}

function checkContract(ctx: BuildContext, c: ContractSym): void {
  const m = ctx.model;
  const file = c.loc.file;
  const d = c.decl;
  if (d.name.parts.length !== 2) {
    ctx.error(file, d.name.range, 'contract-name', `a contract is named <domain>.<product>, e.g. sales.orders; '${d.name.text}' has ${d.name.parts.length} part(s)`);
  }
  const domain = m.domains.get(c.domain);
  if (c.domain) {
    if (domain) ctx.ref(file, d.name.parts[0].range, domain);
    else ctx.unknown(file, d.name.parts[0], m.domains.keys(), 'domain');
  }
  if (d.description) c.properties.set('description', d.description);
  for (const p of d.properties) {
    const key = p.key.text;
    if (!CONTRACT_KEYS.includes(key)) {
      ctx.diag(file, p.key.range, 'warning', 'unknown-property', `unknown contract property '${key}' (expected version, owner, status, description, source, sla or field)`);
      continue;
    }
    if (c.properties.has(key)) ctx.error(file, p.key.range, 'duplicate', `'${key}' is set twice`);
    if (p.value) c.properties.set(key, p.value);
    const v = p.value;
    if (key === 'owner') {
      if (v && !('kind' in v)) {
        if (ctx.resolve(file, v, m.groups, 'group')) c.owner = v.text;
      } else ctx.error(file, p.range, 'invalid-value', 'owner names a group');
    } else if (key === 'version' && valueKind(v) !== 'version' && valueKind(v) !== 'number') {
      ctx.error(file, (v ?? p.key).range, 'invalid-value', `version is a version number such as 2.1.0`);
    } else if (key === 'status' && (!v || !(CONTRACT_STATUSES as readonly string[]).includes(valueText(v)))) {
      ctx.error(file, (v ?? p.key).range, 'invalid-value', `status is one of ${CONTRACT_STATUSES.join(', ')}`);
    } else if (key === 'description' && valueKind(v) !== 'string') {
      ctx.error(file, (v ?? p.key).range, 'invalid-value', `description is a string`);
    }
  }
  if (!c.owner && domain?.owner) {
    c.owner = domain.owner;
    c.ownerInherited = true;
  }
  if (d.source) {
    c.properties.set('source', d.source.system);
  }
  if (d.sla) {
    c.properties.set('sla', { text: 'sla', range: d.sla.range });
    for (const e of d.sla.entries) {
      const key = e.key.text;
      const expected = SLA_KEYS[key];
      if (!expected) {
        ctx.diag(file, e.key.range, 'warning', 'unknown-property', `unknown sla entry '${key}' (expected ${Object.keys(SLA_KEYS).join(', ')})`);
      } else if (valueKind(e.value) !== expected) {
        const what = { duration: 'a duration such as 1h or 400d', percent: 'a percentage such as 99.9%', string: 'a string', name: 'required, optional or none' }[expected as string];
        ctx.error(file, (e.value ?? e.key).range, 'invalid-value', `sla ${key} is ${what}`);
      } else if (key === 'encryption' && !['required', 'optional', 'none'].includes(valueText(e.value!))) {
        ctx.error(file, e.value!.range, 'invalid-value', `sla encryption is required, optional or none`);
      }
      if (e.value) c.properties.set(`sla.${key}`, e.value);
    }
  }
  for (const f of c.fields.values()) {
    const t = f.decl.type;
    checkType(ctx, file, t);
    for (const tag of f.decl.tags) ctx.resolve(file, tag, m.classifications, 'classification');
    if (f.description) {
      /* kept for hover */
    }
  }
}

function checkType(ctx: BuildContext, file: string, t: A.TypeRef | undefined): void {
  if (!t) return;
  if (t.name.text === 'list' && t.element) return checkType(ctx, file, t.element);
  if (!(FIELD_TYPES as readonly string[]).includes(t.name.text)) {
    ctx.unknown(file, t.name, [...FIELD_TYPES, 'list'], 'type');
  }
}

/** Does a literal fit an attribute's declared type? Returns the runtime value, or an error message. */
export function attributeValue(a: AttributeSym, v: A.Literal): { value?: AttrValue; error?: string; code?: string } {
  const t = attrType(a);
  switch (t.t) {
    case 'enum':
      if (v.kind === 'string' && t.values.includes(v.value)) return { value: v.value };
      return { error: `${a.scope}.${a.name} is ${t.values.map((x) => JSON.stringify(x)).join(' | ')}` };
    case 'string':
      return v.kind === 'string' ? { value: v.value } : { error: `${a.scope}.${a.name} is a string` };
    case 'number':
      return v.kind === 'number' ? { value: v.value } : { error: `${a.scope}.${a.name} is a number` };
    case 'bool':
      return v.kind === 'bool' ? { value: v.value } : { error: `${a.scope}.${a.name} is true or false` };
    case 'date':
      if (v.kind !== 'date') return { error: `${a.scope}.${a.name} is a date (YYYY-MM-DD)` };
      return isRealDate(v.value) ? { value: v.value } : { error: `${v.value} is not a date in the calendar`, code: 'invalid-value' };
  }
  return { error: `${a.scope}.${a.name} has an unknown type` };
}

/** 2027-02-30 has the shape of a date but is not one. */
export function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A value typed on a command line or in a settings file (`true`, `2`, `EU`, `"EU"`) for an attribute. */
export function attributeValueFromText(a: AttributeSym, raw: string): { value?: AttrValue; error?: string } {
  const unquoted = /^".*"$/.test(raw) ? raw.slice(1, -1) : raw;
  const t = a.type;
  const lit = (v: A.Literal) => attributeValue(a, v);
  const range = { start: 0, end: 0 };
  if (t.kind === 'bool') {
    if (unquoted === 'true' || unquoted === 'false') return lit({ kind: 'bool', value: unquoted === 'true', range });
    return { error: `${a.scope}.${a.name} is true or false` };
  }
  if (t.kind === 'number') {
    const n = Number(unquoted);
    if (unquoted.trim() !== '' && Number.isFinite(n)) return lit({ kind: 'number', value: n, range });
    return { error: `${a.scope}.${a.name} is a number` };
  }
  if (t.kind === 'date') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(unquoted)) return lit({ kind: 'date', value: unquoted, range });
    return { error: `${a.scope}.${a.name} is a date (YYYY-MM-DD)` };
  }
  return lit({ kind: 'string', value: unquoted, range });
}

function checkPrincipal(ctx: BuildContext, p: import('./types').PrincipalSym): void {
  const m = ctx.model;
  const file = p.loc.file;
  for (const g of p.decl.memberOf) if (ctx.resolve(file, g, m.groups, 'group')) p.groups.add(g.text);
  for (const a of p.decl.attributes) {
    const sym = m.subjectSchema.get(a.name.text);
    if (!sym) {
      ctx.unknown(file, a.name, m.subjectSchema.keys(), 'subject attribute', 'unknown-attribute');
      continue;
    }
    ctx.ref(file, a.name.range, sym);
    if (p.attributes.has(a.name.text)) ctx.error(file, a.name.range, 'duplicate', `'${a.name.text}' is set twice`);
    const r = attributeValue(sym, a.value);
    if (r.error) ctx.error(file, a.value.range, r.code ?? (sym.type.kind === 'enum' ? 'bad-enum-value' : 'type-mismatch'), r.error);
    else p.attributes.set(a.name.text, r.value!);
  }
}

function checkAudience(ctx: BuildContext, file: string, a: A.Audience): void {
  const m = ctx.model;
  for (const item of [...a.include, ...a.except]) {
    if (item.kind === 'group') ctx.resolve(file, item.name, m.groups, 'group');
    else if (item.kind === 'principal') ctx.resolve(file, item.name, m.principals, 'principal');
  }
}

function checkPolicy(ctx: BuildContext, p: A.PolicyDecl, file: string): void {
  const m = ctx.model;
  const t = p.target;
  if (!t) return;
  let contracts: ContractSym[] = [];
  switch (t.kind) {
    case 'contract': {
      const c = m.contracts.get(t.name.text);
      if (c) {
        ctx.ref(file, t.name.range, c);
        contracts = [c];
      } else ctx.unknown(file, t.name, m.contracts.keys(), 'contract');
      break;
    }
    case 'wildcard': {
      const d = m.domains.get(t.prefix.text);
      if (d) ctx.ref(file, t.prefix.range, d);
      else ctx.unknown(file, t.prefix, m.domains.keys(), 'domain');
      break;
    }
    case 'domain':
      ctx.resolve(file, t.name, m.domains, 'domain');
      break;
    case 'tagged':
      for (const tag of t.tags) ctx.resolve(file, tag, m.classifications, 'classification');
      break;
  }
  // The covered contracts matter only to rules naming fields or columns (and cost a scan).
  if (t.kind === 'wildcard' || t.kind === 'domain' || t.kind === 'tagged') {
    if (p.rules.some((r) => r.fields.length || r.kind === 'rows')) contracts = targetContracts(m, t);
  }
  for (const r of p.rules) {
    checkAudience(ctx, file, r.audience);
    if (r.kind === 'allow' || r.kind === 'deny') {
      if (!(ACTIONS as readonly string[]).includes(r.action.text)) ctx.unknown(file, r.action, ACTIONS, 'action');
    }
    if (r.kind === 'mask' && !(MASK_METHODS as readonly string[]).includes(r.method.text)) ctx.unknown(file, r.method, MASK_METHODS, 'mask method');
    if (r.fields.length) {
      if (t.kind === 'tagged') {
        ctx.error(file, r.fields[0].range, 'invalid-target', `a policy on fields tagged ... applies to the tagged fields; it cannot name fields`);
      } else if (t.kind === 'contract' && contracts.length === 1) {
        for (const f of r.fields) resolveFieldIn(ctx, file, contracts[0], f);
      } else if (contracts.length) {
        for (const f of r.fields) {
          const hits = contracts.map((c) => c.fields.get(f.text)).filter((x) => x !== undefined);
          if (!hits.length) {
            const all = new Set<string>();
            for (const c of contracts) for (const k of c.fields.keys()) all.add(k);
            ctx.unknown(file, f, all, `field in the contracts this policy targets`, 'unknown-field');
          } else for (const h of hits) ctx.ref(file, f.range, h!);
        }
      }
    }
    if (r.condition) checkCondition(ctx, r.condition, { file });
    if (r.kind === 'rows') checkCondition(ctx, r.filter, { file, columns: contracts });
  }
}

export const MUST_HAVE_PATHS: Record<string, string[]> = {
  contract: ['owner', 'description', 'version', 'status', 'source', 'sla', 'sla.freshness', 'sla.availability', 'sla.retention', 'sla.encryption', 'sla.escalation', 'sla.latency', 'sla.support'],
  field: ['description', 'type', 'key', 'required', 'unique', 'tags', 'from'],
  policy: ['description'],
  domain: ['owner', 'description'],
};

function checkRule(ctx: BuildContext, r: A.GovRule, file: string): void {
  const m = ctx.model;
  const b = r.body;
  if (!b) return;
  const s = b.selector;
  for (const t of [...s.tagged, ...s.withFieldsTagged]) ctx.resolve(file, t, m.classifications, 'classification');
  if (s.tagged.length && s.what !== 'field') ctx.error(file, s.whatRange, 'invalid-rule', `'tagged' selects fields: write 'every ${s.what} with fields tagged ...' or 'every field tagged ...'`);
  if (s.withFieldsTagged.length && s.what !== 'contract') ctx.error(file, s.whatRange, 'invalid-rule', `'with fields tagged' selects contracts`);
  const must = b.form === 'must-have' || b.form === 'must-match' || b.form === 'must-be-masked';
  if (must && s.quantifier !== 'every') ctx.error(file, s.range, 'invalid-rule', `'must' rules start with 'every', not 'no'`);
  if (!must && s.quantifier !== 'no') ctx.error(file, s.range, 'invalid-rule', `'may' rules start with 'no': no field ... may ...`);
  switch (b.form) {
    case 'must-have': {
      const known = MUST_HAVE_PATHS[s.what] ?? [];
      if (!known.includes(b.path.text)) {
        ctx.unknown(file, b.path, known, `property of a ${s.what}`, 'unknown-property');
      }
      break;
    }
    case 'must-match':
      {
        const re = compileRegex(b.regex.value, b.regex.flags);
        if (isRegexError(re)) ctx.error(file, b.regex.range, 'invalid-regex', re.error);
      }
      break;
    case 'must-be-masked':
    case 'not-readable':
      if (s.what !== 'field') ctx.error(file, s.whatRange, 'invalid-rule', `access rules apply to fields: write '${s.quantifier} field tagged ...'`);
      checkAudience(ctx, file, b.audience);
      break;
    case 'not-flow':
      if (s.what !== 'field') ctx.error(file, s.whatRange, 'invalid-rule', `flow rules apply to fields: write 'no field tagged ... may flow into ...'`);
      if (b.target.kind === 'domain') ctx.resolve(file, b.target.name as unknown as A.Name, m.domains, 'domain');
      else ctx.resolve(file, b.target.name as unknown as A.Name, m.contracts, 'contract');
      break;
  }
}

/** The symbol a waiver or rule target names: a contract, field, policy or domain. */
export function resolveTargetName(m: Model, name: string): import('./types').Sym | undefined {
  return m.fields.get(name) ?? m.contracts.get(name) ?? m.policies.get(name) ?? m.domains.get(name);
}

function checkWaiver(ctx: BuildContext, w: A.WaiverDecl, file: string): void {
  const m = ctx.model;
  if (w.rule) ctx.resolve(file, w.rule, m.rules, 'rule');
  if (w.target) {
    const sym = resolveTargetName(m, w.target.text);
    if (sym) ctx.ref(file, w.target.range, sym);
    else {
      const all = [...m.fields.keys(), ...m.contracts.keys(), ...m.policies.keys(), ...m.domains.keys()];
      ctx.unknown(file, w.target, all, 'waiver target', 'unknown-target');
    }
  }
  const known = ['reason', 'expires', 'approved-by'];
  for (const p of w.properties) {
    if (!known.includes(p.key.text)) ctx.diag(file, p.key.range, 'warning', 'unknown-property', `unknown waiver property '${p.key.text}' (expected reason, expires, approved-by)`);
  }
  if (!w.reason || !w.reason.value.trim()) {
    ctx.error(file, w.name.range, 'waiver-reason', `waiver '${w.name.text}' has no reason: add reason "why this exception is acceptable"`);
  }
  if (w.expires) {
    if (w.expires.kind !== 'date') ctx.error(file, w.expires.range, 'invalid-value', 'expires is a date (YYYY-MM-DD)');
    else if (!isRealDate(w.expires.value)) ctx.error(file, w.expires.range, 'invalid-value', `${w.expires.value} is not a date in the calendar`);
    else if (w.expires.value < ctx.today) {
      ctx.error(file, w.expires.range, 'waiver-expired', `waiver '${w.name.text}' expired on ${w.expires.value} (today is ${ctx.today}): renew it or fix the violation`);
    }
  }
  const approved = w.properties.find((p) => p.key.text === 'approved-by');
  if (approved?.value && !('kind' in approved.value)) ctx.resolve(file, approved.value, m.groups, 'group');
}

function checkTest(ctx: BuildContext, t: A.TestDecl, file: string): void {
  const m = ctx.model;
  for (const step of t.steps) {
    if (step.kind === 'given') {
      for (const e of step.entries) {
        const sym = m.contextSchema.get(e.name.text);
        if (!sym) {
          ctx.unknown(file, e.name, m.contextSchema.keys(), 'context attribute', 'unknown-attribute');
          continue;
        }
        ctx.ref(file, e.name.range, sym);
        const r = attributeValue(sym, e.value);
        if (r.error) ctx.error(file, e.value.range, r.code ?? (sym.type.kind === 'enum' ? 'bad-enum-value' : 'type-mismatch'), r.error);
      }
    } else {
      if (step.principal) ctx.resolve(file, step.principal, m.principals, 'principal');
      for (const item of step.only ?? []) {
        // A bare name in `expect only ...` is a group, or else a principal.
        if (item.kind === 'group' && !m.groups.has(item.name.text) && m.principals.has(item.name.text)) ctx.ref(file, item.name.range, m.principals.get(item.name.text)!);
        else if (item.kind === 'group' && !m.groups.has(item.name.text)) ctx.unknown(file, item.name, [...m.groups.keys(), ...m.principals.keys()], 'group or principal', 'unknown-group');
        else checkAudience(ctx, file, { include: [item], except: [], range: item.range });
      }
      const field = resolveFieldRef(ctx, file, step.field);
      if (step.rows && field) checkCondition(ctx, step.rows, { file, columns: [field.contract] });
      if (step.method && !(MASK_METHODS as readonly string[]).includes(step.method.text)) ctx.unknown(file, step.method, MASK_METHODS, 'mask method');
    }
  }
}
