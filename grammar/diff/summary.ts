// A diff as a reviewer reads it: a one-line headline, then per field the
// changes with principals collapsed by group when a whole group changes the
// same way ("analysts (12 principals): masked hash → clear when mfa=true"),
// and the contexts where each holds in a few words. Used by the text and
// Markdown renderers and by the editor's Compare with Base view.

import type { AttrValue, Model } from '../model/types';
import { canonicalRows, contextsKeyOf, finiteContext } from './access';
import type { AccessChange, AccessKind, GovernanceDelta, ModelDiff, Outcome, SchemaChange } from './types';

export interface SummaryLine {
  kind: AccessKind;
  /** "analysts (12 principals)", "alice", "analysts (2 principals), carol". */
  who: string;
  principals: string[];
  before: Outcome | null;
  after: Outcome | null;
  /** "" when it holds in every context, else "mfa=true, device=managed" and the like. */
  when: string;
  /** The change of the first principal (its reasons explain the line). */
  change: AccessChange;
  /** The field is gone: one line for everyone who could read it (the schema change says the rest). */
  gone?: boolean;
}

export interface FieldSummary {
  field: string;
  changes: AccessChange[];
  lines: SummaryLine[];
}

/** Fields of one contract whose changes read the same, shown once ("sales.orders.{amount, channel, country}"). */
export interface FieldBlock {
  label: string;
  fields: FieldSummary[];
}

export interface DiffSummary {
  headline: string;
  blocks: FieldBlock[];
  counts: {
    /** Principals (per field) gaining access. */
    exposures: number;
    restrictions: number;
    rows: number;
    fields: number;
    schema: number;
    breaking: number;
    declassified: number;
    introduced: number;
    /** Introduced errors and warnings. */
    violations: number;
    resolved: number;
  };
  fields: FieldSummary[];
  schema: SchemaChange[];
  governance: GovernanceDelta;
  unverified: ModelDiff['unverified'];
  empty: boolean;
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

export function outcomeText(o: Outcome | null, absent = 'absent'): string {
  if (!o) return absent;
  const base = o.decision === 'masked' ? `masked ${o.mask}` : o.decision;
  return o.decision !== 'denied' && o.rows !== undefined ? `${base} (rows ${o.rows})` : base;
}

function absentText(c: AccessChange, side: 'before' | 'after'): string {
  return c.sides[side] ? (side === 'before' ? 'new principal' : 'principal removed') : side === 'before' ? 'new field' : 'field removed';
}

/** The two sides of a summary line as words: "masked hash" → "clear", "new field", "could read it" → "field removed". */
export function lineParts(l: SummaryLine): [string, string] {
  if (l.gone) return ['could read it', 'field removed'];
  return arrowParts(l.before, l.after, absentText(l.change, 'before'), absentText(l.change, 'after'));
}

/** "masked hash → clear": row filters shown only where they tell the sides apart. */
export function arrowText(before: Outcome | null, after: Outcome | null, absentBefore = 'absent', absentAfter = 'absent'): string {
  return arrowParts(before, after, absentBefore, absentAfter).join(' → ');
}

/** The two sides of `arrowText`. */
export function arrowParts(before: Outcome | null, after: Outcome | null, absentBefore = 'absent', absentAfter = 'absent'): [string, string] {
  const grants = (o: Outcome | null) => !!o && o.decision !== 'denied';
  const sameRows = grants(before) && grants(after) && canonicalRows(before!.rows) === canonicalRows(after!.rows);
  const side = (o: Outcome | null, absent: string) => (sameRows ? outcomeText(o && { decision: o.decision, mask: o.mask }, absent) : outcomeText(o, absent));
  return [side(before, absentBefore), side(after, absentAfter)];
}

function showValue(v: AttrValue): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * The contexts where something holds, in a few words: '' when it holds in
 * all of them, "mfa=true, purpose is audit or support" when they form a
 * product, a short list of alternatives, or "in 5 of 16 contexts".
 */
const texts = new WeakMap<Map<string, AttrValue>[], string>();
const textsByKey = new Map<string, string>();

export function contextsText(contexts: Map<string, AttrValue>[], finite: Map<string, AttrValue[]>): string {
  let t = texts.get(contexts);
  if (t !== undefined) return t;
  // Changes from one diff with the same key hold in the same contexts: describe them once.
  const key = contextsKeyOf(contexts);
  const finiteKey = key === undefined ? '' : JSON.stringify([...finite]) + key;
  t = key === undefined ? undefined : textsByKey.get(finiteKey);
  if (t === undefined) {
    t = describeContexts(contexts, finite);
    if (key !== undefined) {
      if (textsByKey.size > 10_000) textsByKey.clear();
      textsByKey.set(finiteKey, t);
    }
  }
  texts.set(contexts, t);
  return t;
}

function describeContexts(contexts: Map<string, AttrValue>[], finite: Map<string, AttrValue[]>): string {
  if (!finite.size || !contexts.length) return '';
  const total = [...finite.values()].reduce((n, v) => n * v.length, 1);
  const unset = contexts.some((c) => [...finite.keys()].some((k) => !c.has(k)));
  if (!unset && contexts.length >= total) return '';
  const seen = (cs: Map<string, AttrValue>[], k: string) => {
    const vals: (AttrValue | undefined)[] = [];
    for (const c of cs) if (!vals.includes(c.get(k))) vals.push(c.get(k));
    return vals;
  };
  const describe = (cs: Map<string, AttrValue>[]): string | undefined => {
    const parts: string[] = [];
    let size = 1;
    for (const [k, all] of finite) {
      const vals = seen(cs, k);
      size *= vals.length;
      if (vals.length >= all.length && !vals.includes(undefined)) continue;
      const shown = vals.map((v) => (v === undefined ? 'unset' : showValue(v)));
      parts.push(vals.length === 1 ? (vals[0] === undefined ? `${k} unset` : `${k}=${shown[0]}`) : `${k} is ${shown.join(' or ')}`);
    }
    return size === new Set(cs.map((c) => JSON.stringify([...c]))).size ? parts.join(', ') : undefined;
  };
  const whole = describe(contexts);
  if (whole !== undefined) return whole;
  // A union of products: split on the attribute that gives the fewest pieces.
  let best: string[] | undefined;
  for (const k of finite.keys()) {
    const parts: string[] = [];
    for (const v of seen(contexts, k)) {
      const d = describe(contexts.filter((c) => c.get(k) === v));
      if (d === undefined) {
        parts.length = 0;
        break;
      }
      parts.push(d);
    }
    if (parts.length && (!best || parts.length < best.length)) best = parts;
  }
  if (best && best.length <= 3) return best.map((p) => `(${p})`).join(' or ');
  return `in ${contexts.length} of ${total} contexts`;
}

const keys = new WeakMap<Map<string, AttrValue>[], string>();
function contextsKey(cs: Map<string, AttrValue>[]): string {
  let k = keys.get(cs) ?? contextsKeyOf(cs);
  if (k === undefined) keys.set(cs, (k = cs.map((x) => JSON.stringify([...x])).join(';')));
  return k;
}

function outcomeKey(o: Outcome | null): string {
  return o ? `${o.decision}|${o.mask ?? ''}|${canonicalRows(o.rows)}` : '-';
}

/** Each principal's groups, at the working tree (or at BASE for a principal that is gone). */
function membership(before: Model, after: Model): { groupsOf: Map<string, string[]>; members: Map<string, string[]> } {
  const groupsOf = new Map<string, string[]>();
  for (const m of [before, after]) for (const p of m.principals.values()) groupsOf.set(p.name, [...p.groups]);
  const members = new Map<string, string[]>();
  for (const [p, gs] of groupsOf) {
    for (const g of gs) {
      const l = members.get(g);
      if (l) l.push(p);
      else members.set(g, [p]);
    }
  }
  return { groupsOf, members };
}

/** "analysts (12 principals), carol": whole groups first (largest first), then the rest by name. */
function collapse(principals: string[], members: Map<string, string[]>, everyone: number): string {
  const set = new Set(principals);
  if (principals.length > 1 && principals.length === everyone) return `everyone (${plural(everyone, 'principal')})`;
  const whole = [...members].filter(([, ms]) => ms.length >= 2 && ms.every((m) => set.has(m))).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const covered = new Set<string>();
  const parts: string[] = [];
  for (const [g, ms] of whole) {
    if (ms.every((m) => covered.has(m))) continue;
    parts.push(`${g} (${plural(ms.length, 'principal')})`);
    for (const m of ms) covered.add(m);
  }
  const rest = principals.filter((p) => !covered.has(p)).sort();
  const shown = rest.length > 8 ? [...rest.slice(0, 6), `and ${rest.length - 6} more`] : rest;
  return [...parts, ...shown].join(', ');
}

const KIND_ORDER: Record<AccessKind, number> = { exposure: 0, restriction: 1, rows: 2 };

export function summarize(diff: ModelDiff): DiffSummary {
  const finite = finiteContext(diff.before, diff.after);
  const { members } = membership(diff.before, diff.after);
  const everyone = new Set([...diff.before.principals.keys(), ...diff.after.principals.keys()]).size;
  const byField = new Map<string, AccessChange[]>();
  for (const c of diff.access) {
    const l = byField.get(c.field);
    if (l) l.push(c);
    else byField.set(c.field, [c]);
  }
  const fields: FieldSummary[] = [];
  for (const [field, changes] of byField) {
    const bySig = new Map<string, AccessChange[]>();
    for (const c of changes) {
      const sig = [c.kind, outcomeKey(c.before), outcomeKey(c.after), contextsKey(c.contexts)].join('\u0001');
      const l = bySig.get(sig);
      if (l) l.push(c);
      else bySig.set(sig, [c]);
    }
    let lines: SummaryLine[] = [...bySig.values()].map((cs) => {
      const principals = cs.map((c) => c.principal);
      return { kind: cs[0].kind, who: collapse(principals, members, everyone), principals, before: cs[0].before, after: cs[0].after, when: contextsText(cs[0].contexts, finite), change: cs[0] };
    });
    if (!changes[0].sides.after) {
      const principals = [...new Set(changes.map((c) => c.principal))].sort();
      lines = [{ kind: 'restriction', who: collapse(principals, members, everyone), principals, before: changes[0].before, after: null, when: '', change: changes[0], gone: true }];
    }
    lines.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.principals.length - a.principals.length || (a.who < b.who ? -1 : 1));
    fields.push({ field, changes, lines });
  }
  // Fields with exposures first, then restrictions, then row changes; by name within.
  const rank = (f: FieldSummary) => Math.min(...f.lines.map((l) => KIND_ORDER[l.kind]));
  fields.sort((a, b) => rank(a) - rank(b) || (a.field < b.field ? -1 : 1));

  const principalsWith = (kind: AccessKind, f?: FieldSummary) => {
    const list = f ? [f] : fields;
    let n = 0;
    for (const x of list) n += new Set(x.changes.filter((c) => c.kind === kind && c.sides.after).map((c) => c.principal)).size;
    return n;
  };
  const counts: DiffSummary['counts'] = {
    exposures: principalsWith('exposure'),
    restrictions: principalsWith('restriction'),
    rows: principalsWith('rows'),
    fields: fields.length,
    schema: diff.schema.length,
    breaking: diff.schema.filter((s) => s.breaking).length,
    declassified: diff.schema.filter((s) => s.change === 'tag-removed').length,
    introduced: diff.governance.introduced.length,
    violations: diff.governance.introduced.filter((d) => d.severity !== 'info').length,
    resolved: diff.governance.resolved.length,
  };
  return { headline: headline(fields, diff, counts), blocks: blocks(fields), counts, fields, schema: diff.schema, governance: diff.governance, unverified: diff.unverified, empty: !diff.access.length && !diff.schema.length && !counts.introduced && !counts.resolved };
}

function blocks(fields: FieldSummary[]): FieldBlock[] {
  const byKey = new Map<string, FieldSummary[]>();
  for (const f of fields) {
    const sym = f.changes[0].sides.after ?? f.changes[0].sides.before!;
    const key = sym.contract.name + '\u0002' + f.lines.map((l) => [l.kind, l.who, arrowText(l.before, l.after), l.when].join('\u0001')).join('\u0002');
    const l = byKey.get(key);
    if (l) l.push(f);
    else byKey.set(key, [f]);
  }
  return [...byKey.values()].map((fs) => {
    if (fs.length === 1) return { label: fs[0].field, fields: fs };
    const contract = (fs[0].changes[0].sides.after ?? fs[0].changes[0].sides.before!).contract.name;
    const names = fs.map((f) => f.field.slice(contract.length + 1));
    const shown = names.length > 8 ? [...names.slice(0, 6), `and ${names.length - 6} more`] : names;
    return { label: `${contract}.{${shown.join(', ')}}`, fields: fs };
  });
}

function headline(fields: FieldSummary[], diff: ModelDiff, counts: DiffSummary['counts']): string {
  const parts: string[] = [];
  // Access lost with a removed field is told by the schema part ("field removed").
  const counted = (c: AccessChange, kind: AccessKind) => c.kind === kind && !!c.sides.after;
  const phrase = (verb: string, kind: AccessKind, prep: string) => {
    const fs = fields.filter((f) => f.changes.some((c) => counted(c, kind)));
    if (!fs.length) return;
    const who = new Set(fs.flatMap((f) => f.changes.filter((c) => counted(c, kind)).map((c) => c.principal))).size;
    const what = fs.length === 1 ? fs[0].field : `${fs[0].field} and ${plural(fs.length - 1, 'more field')}`;
    let how = '';
    if (kind === 'exposure') {
      const afters = fs.flatMap((f) => f.changes.filter((c) => counted(c, kind)).map((c) => c.after?.decision));
      how = afters.every((d) => d === 'clear') ? ' in clear' : afters.every((d) => d === 'masked') ? ' masked' : '';
    }
    const n = who;
    parts.push(`${verb} ${what} ${prep} ${plural(n, 'principal')}${how}`);
  };
  phrase('exposes', 'exposure', 'to');
  phrase('restricts', 'restriction', 'for');
  phrase('changes the rows of', 'rows', 'for');
  if (counts.breaking) parts.push(`${plural(counts.breaking, 'breaking change')} without a major version bump`);
  const declass = [...new Set(diff.schema.filter((s) => s.change === 'tag-removed').map((s) => s.field!))];
  if (declass.length) parts.push(declass.length === 1 ? `declassifies ${declass[0]}` : `declassifies ${declass[0]} and ${plural(declass.length - 1, 'more field')}`);
  const other = counts.schema - counts.breaking - diff.schema.filter((s) => s.change === 'tag-removed').length;
  if (other > 0) parts.push(plural(other, counts.breaking || declass.length ? 'other schema change' : 'schema change'));
  if (counts.violations) parts.push(`introduces ${plural(counts.violations, 'governance violation')}`);
  else if (counts.introduced) parts.push(`introduces ${plural(counts.introduced, 'governance note')}`);
  if (counts.resolved) parts.push(`resolves ${plural(counts.resolved, 'governance diagnostic')}`);
  return parts.length ? parts.join('; ') : 'no change to access, schema or governance';
}
