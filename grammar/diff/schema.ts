// The schema delta: what a change does to the consumers of each contract.
// Breaking: removing a contract or a field, changing a type, adding
// `required`, changing `key`. A breaking change is `breaking: true` unless a
// major version bump announces it; removing a tag (declassifying a field) is
// always listed, whether declared or inherited through lineage.

import type * as A from '../ast';
import { showValue } from '../governance/properties';
import type { ContractSym, FieldSym, Model } from '../model/types';
import { BREAKING_CHANGES, SCHEMA_CHANGES, type SchemaChange, type SchemaChangeKind } from './types';

type Value = A.Literal | A.Name;

function show(v: Value | undefined): string {
  return v === undefined ? 'none' : showValue(v);
}

/** Same value, positions aside. */
function same(a: Value | undefined, b: Value | undefined): boolean {
  if (!a || !b) return a === b;
  return show(a) === show(b);
}

/** `version`, as written. */
function versionOf(c: ContractSym): string | undefined {
  const v = c.properties.get('version');
  if (!v) return undefined;
  return 'kind' in v ? String('value' in v ? v.value : '') : v.text;
}

function major(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.split('.')[0]);
  return Number.isFinite(n) ? n : undefined;
}

/** Which way an SLA entry gets stronger: lower (fresher, faster), higher (more available, kept longer), or encryption's order. */
const SLA_DIRECTION: Record<string, 'lower' | 'higher' | 'encryption'> = {
  freshness: 'lower',
  latency: 'lower',
  availability: 'higher',
  retention: 'higher',
  encryption: 'encryption',
};
const ENCRYPTION = ['none', 'optional', 'required'];

function slaEntries(c: ContractSym): Map<string, Value | undefined> {
  const out = new Map<string, Value | undefined>();
  for (const e of c.decl.sla?.entries ?? []) out.set(e.key.text, e.value);
  return out;
}

/** +1 stronger, -1 weaker, 0 cannot be ranked (a different escalation target, say: listed as weakened for review). */
function slaDirection(key: string, b: Value, a: Value): number {
  const dir = SLA_DIRECTION[key];
  const num = (v: Value) => ('kind' in v && (v.kind === 'duration' || v.kind === 'percent' || v.kind === 'number') ? v.value : undefined);
  if (dir === 'lower' || dir === 'higher') {
    const x = num(b);
    const y = num(a);
    if (x === undefined || y === undefined) return 0;
    return (dir === 'lower' ? x - y : y - x) > 0 ? 1 : -1;
  }
  if (dir === 'encryption') {
    const x = ENCRYPTION.indexOf(show(b));
    const y = ENCRYPTION.indexOf(show(a));
    if (x < 0 || y < 0) return 0;
    return y > x ? 1 : -1;
  }
  return 0;
}

function sourceText(c: ContractSym): string | undefined {
  const s = c.decl.source;
  if (!s) return undefined;
  return s.location ? `${s.system.text} ${show(s.location)}` : s.system.text;
}

function lineageText(f: FieldSym): string {
  const from = f.decl.from.map((q) => q.text);
  if (!from.length) return 'no lineage';
  return `from ${from.join(', ')}${f.decl.via ? ` via ${f.decl.via.text}` : ''}`;
}

class Collector {
  readonly out: SchemaChange[] = [];
  constructor(
    private readonly cb: ContractSym | undefined,
    private readonly ca: ContractSym | undefined,
  ) {}

  add(change: SchemaChangeKind, field: FieldSym | undefined, fieldSide: 'before' | 'after', message: string): void {
    const contract = (this.ca ?? this.cb)!;
    let text = message;
    let breaking = false;
    if (BREAKING_CHANGES.has(change)) {
      if (change === 'contract-removed') {
        breaking = true;
        text += ': breaking for every consumer';
      } else {
        const vb = versionOf(this.cb!);
        const va = this.ca && versionOf(this.ca);
        const mb = major(vb);
        const ma = major(va);
        if (mb !== undefined && ma !== undefined && ma > mb) text += `: breaking, announced by the major version bump ${vb} → ${va}`;
        else {
          breaking = true;
          if (va === undefined) text += ': breaking change on a contract without a version (declare one, and bump its major version with breaking changes)';
          else if (vb === va) text += `: breaking change without a major version bump (version stays ${va})`;
          else text += `: breaking change without a major version bump (${vb ?? 'no version'} → ${va})`;
        }
      }
    }
    const at = field ? { side: fieldSide, sym: field } : { side: this.ca ? ('after' as const) : ('before' as const), sym: contract };
    this.out.push({ contract: contract.name, field: field ? field.qname : null, change, breaking, message: text, at });
  }
}

function compareFields(c: Collector, fb: FieldSym, fa: FieldSym): void {
  const name = fa.qname;
  if (fb.type !== fa.type) c.add('type-changed', fa, 'after', `${name}: type ${fb.type || '(none)'} → ${fa.type || '(none)'}`);
  if (!fb.decl.required && fa.decl.required) c.add('required-added', fa, 'after', `${name} is now required`);
  if (fb.decl.key !== fa.decl.key) c.add('key-changed', fa, 'after', fa.decl.key ? `${name} is now part of the key` : `${name} is no longer part of the key`);
  // Tags: effective (what policies and rules see) and declared.
  const declaredB = new Set(fb.declaredTags);
  const declaredA = new Set(fa.declaredTags);
  for (const [tag, origin] of fb.tags) {
    const now = fa.tags.get(tag);
    if (!now) {
      c.add('tag-removed', fa, 'after', `${name}: tag ${tag} removed (declassified: policies and rules on ${tag} no longer apply)${origin.declared ? '' : ` — it no longer arrives through lineage`}`);
    } else if (declaredB.has(tag) && !declaredA.has(tag)) {
      c.add('tag-removed', fa, 'after', `${name}: declared tag ${tag} removed (it still arrives through lineage${now.from.length ? ` from ${now.from.join(', ')}` : ''})`);
    }
  }
  for (const [tag, origin] of fa.tags) {
    if (!fb.tags.has(tag)) c.add('tag-added', fa, 'after', `${name}: tag ${tag} added${origin.declared ? '' : ' (arrives through lineage)'}`);
    else if (declaredA.has(tag) && !declaredB.has(tag)) c.add('tag-added', fa, 'after', `${name}: tag ${tag}, inherited until now, is declared`);
  }
  if (lineageText(fb) !== lineageText(fa)) c.add('lineage-changed', fa, 'after', `${name}: lineage ${lineageText(fb)} → ${lineageText(fa)}`);
}

function compareContracts(c: Collector, cb: ContractSym, ca: ContractSym): void {
  const name = ca.name;
  const vb = versionOf(cb);
  const va = versionOf(ca);
  if (vb !== va) c.add('version-changed', undefined, 'after', `${name}: version ${vb ?? 'none'} → ${va ?? 'none'}`);
  const sb = cb.properties.get('status');
  const sa = ca.properties.get('status');
  if (!same(sb, sa)) c.add('status-changed', undefined, 'after', `${name}: status ${show(sb)} → ${show(sa)}`);
  const ob = sourceText(cb);
  const oa = sourceText(ca);
  if (ob !== oa) c.add('source-changed', undefined, 'after', `${name}: source ${ob ?? 'none'} → ${oa ?? 'none'}`);
  const lb = slaEntries(cb);
  const la = slaEntries(ca);
  for (const key of new Set([...lb.keys(), ...la.keys()])) {
    const x = lb.get(key);
    const y = la.get(key);
    if (lb.has(key) && !la.has(key)) c.add('sla-weakened', undefined, 'after', `${name}: sla.${key} ${show(x)} removed`);
    else if (!lb.has(key)) c.add('sla-strengthened', undefined, 'after', `${name}: sla.${key} ${show(y)} added`);
    else if (!same(x, y)) {
      const d = x && y ? slaDirection(key, x, y) : 0;
      const arrow = `sla.${key} ${show(x)} → ${show(y)}`;
      if (d > 0) c.add('sla-strengthened', undefined, 'after', `${name}: ${arrow}`);
      else c.add('sla-weakened', undefined, 'after', `${name}: ${arrow}${d === 0 ? ' (cannot be ranked: listed for review)' : ''}`);
    }
  }
  for (const fb of cb.fields.values()) {
    const fa = ca.fields.get(fb.name);
    if (fa) compareFields(c, fb, fa);
    else c.add('field-removed', fb, 'before', `field ${fb.qname} removed`);
  }
  for (const fa of ca.fields.values()) {
    if (!cb.fields.has(fa.name)) c.add('field-added', fa, 'after', `field ${fa.qname}: ${fa.type} added${fa.decl.required ? ' (required)' : ''}`);
  }
}

const ORDER = new Map(SCHEMA_CHANGES.map((k, i) => [k, i]));
const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

export function schemaDelta(before: Model, after: Model): SchemaChange[] {
  const out: SchemaChange[] = [];
  const names = [...new Set([...before.contracts.keys(), ...after.contracts.keys()])].sort();
  for (const n of names) {
    const cb = before.contracts.get(n);
    const ca = after.contracts.get(n);
    const c = new Collector(cb, ca);
    if (cb && !ca) c.add('contract-removed', undefined, 'before', `contract ${n} removed (${cb.fields.size} field${cb.fields.size === 1 ? '' : 's'})`);
    else if (!cb && ca) c.add('contract-added', undefined, 'after', `contract ${n} added (${ca.fields.size} field${ca.fields.size === 1 ? '' : 's'})`);
    else compareContracts(c, cb!, ca!);
    // Contract-level changes first, then by field, in the order of the change vocabulary.
    c.out.sort((x, y) => (x.field === null ? -1 : 0) - (y.field === null ? -1 : 0) || cmp(x.field ?? '', y.field ?? '') || ORDER.get(x.change)! - ORDER.get(y.change)!);
    out.push(...c.out);
  }
  return out;
}
