// The access delta of `charter diff` against an independent answer: for
// random policy, principal, tag and lineage edits of examples/, every
// (field, principal, context) whose decision differs — computed by `decide`
// at both sides, over every principal and every combination of finite
// context values, without the diff's shortcuts — appears in the diff with
// the same before and after, and nothing else does. Plus: diff(A, A) is
// empty, moving and reformatting declarations is empty, and the shape of
// entries for fields and principals that exist on one side only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { contextHasAttributes } from '../../grammar/evaluator/condition';
import { accessDelta, analyze, applicableRules, canonicalRows, decide, diffAnalyses, parse, renderText, summarize, type AttrValue, type Model, type Outcome, type SourceFile } from '../../grammar/index';
import { formatCharter } from '../../grammar/services/format';

const TODAY = '2026-11-23';

class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s * 1103515245 + 12345) % 2147483648;
    return this.s / 2147483648;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

function exampleSources(): SourceFile[] {
  const root = path.resolve('examples');
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir).sort()) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.charter')) out.push({ uri: p, text: readFileSync(p, 'utf8'), central: p.includes(`${path.sep}governance${path.sep}`) });
    }
  };
  walk(root);
  return out;
}

const run = (sources: SourceFile[]) => analyze(sources, { today: TODAY });

// ------------------------------------------------------- the independent answer

const RANK: Record<string, number> = { denied: 0, null: 1, redact: 2, hash: 3, partial: 4, clear: 5 };
const rank = (o: Outcome | null) => (!o ? 0 : o.decision === 'masked' ? RANK[o.mask!] : RANK[o.decision]);
const differs = (b: Outcome | null, a: Outcome | null) => rank(b) !== rank(a) || (rank(b) > 0 && canonicalRows(b!.rows) !== canonicalRows(a!.rows));

/** Every combination of the finite context values of either side; attributes a has() reads for this field may also be unset. */
function allContexts(before: Model, after: Model, unsettable: Set<string>): Map<string, AttrValue>[] {
  const dims = new Map<string, (AttrValue | undefined)[]>();
  for (const m of [before, after]) {
    for (const a of m.contextSchema.values()) {
      const vals: AttrValue[] = a.type.kind === 'bool' ? [true, false] : a.type.kind === 'enum' ? a.type.values.map((v) => v.value) : [];
      if (!vals.length) continue;
      const have = dims.get(a.name) ?? [];
      for (const v of vals) if (!have.includes(v)) have.push(v);
      dims.set(a.name, have);
    }
  }
  for (const n of unsettable) dims.get(n)?.push(undefined);
  let combos: Map<string, AttrValue>[] = [new Map()];
  for (const [n, vals] of dims) combos = combos.flatMap((c) => vals.map((v) => (v === undefined ? new Map(c) : new Map(c).set(n, v))));
  return combos;
}

const ctxKey = (c: Map<string, AttrValue>) => JSON.stringify([...c].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
const plain = (o: Outcome | null) => (o ? { decision: o.decision, mask: o.mask, rows: o.decision === 'denied' ? undefined : o.rows } : null);

function bruteForce(before: Model, after: Model): Map<string, { before: Outcome | null; after: Outcome | null }> {
  const out = new Map<string, { before: Outcome | null; after: Outcome | null }>();
  const fields = new Set([...before.fields.keys(), ...after.fields.keys()]);
  const principals = new Set([...before.principals.keys(), ...after.principals.keys()]);
  for (const q of fields) {
    const fb = before.fields.get(q);
    const fa = after.fields.get(q);
    const has = new Set<string>();
    for (const [m, f] of [[before, fb], [after, fa]] as const) {
      if (f) for (const r of applicableRules(m, f)) contextHasAttributes(r.rule.condition, has);
    }
    const contexts = allContexts(before, after, has);
    for (const n of principals) {
      const pb = before.principals.get(n);
      const pa = after.principals.get(n);
      for (const c of contexts) {
        const ob = fb && pb ? decide(before, pb, c, fb) : null;
        const oa = fa && pa ? decide(after, pa, c, fa) : null;
        if (differs(ob, oa)) out.set(`${q}|${n}|${ctxKey(c)}`, { before: plain(ob), after: plain(oa) });
      }
    }
  }
  return out;
}

function assertMatchesBruteForce(before: Model, after: Model, label: string, expected = bruteForce(before, after)): number {
  const { changes } = accessDelta(before, after);
  const seen = new Set<string>();
  for (const c of changes) {
    assert.ok(c.contexts.length > 0, `${label}: an entry holds somewhere`);
    for (const ctx of c.contexts) {
      const k = `${c.field}|${c.principal}|${ctxKey(ctx)}`;
      assert.ok(!seen.has(k), `${label}: ${k} listed twice`);
      seen.add(k);
      const e = expected.get(k);
      assert.ok(e, `${label}: ${k} is in the diff but its decision does not differ (${JSON.stringify(c.before)} → ${JSON.stringify(c.after)})`);
      assert.deepEqual(plain(c.before), e.before, `${label}: before of ${k}`);
      assert.deepEqual(plain(c.after), e.after, `${label}: after of ${k}`);
    }
    const kind = rank(c.after) > rank(c.before) ? 'exposure' : rank(c.after) < rank(c.before) ? 'restriction' : 'rows';
    assert.equal(c.kind, kind, `${label}: kind of ${c.field}/${c.principal}`);
    // Reasons are the decision's own, at the first context.
    const first = c.contexts[0];
    const fb = before.fields.get(c.field);
    const pb = before.principals.get(c.principal);
    const fa = after.fields.get(c.field);
    const pa = after.principals.get(c.principal);
    assert.deepEqual(c.reasons.before.map((r) => r.text), fb && pb ? decide(before, pb, first, fb).reasons.map((r) => r.text) : []);
    assert.deepEqual(c.reasons.after.map((r) => r.text), fa && pa ? decide(after, pa, first, fa).reasons.map((r) => r.text) : []);
  }
  for (const k of expected.keys()) assert.ok(seen.has(k), `${label}: ${k} differs (${JSON.stringify(expected.get(k))}) but the diff misses it`);
  return expected.size;
}

// ------------------------------------------------------------ random edits

const GROUPS = ['analysts', 'privacy-office', 'auditors', 'sales-data', 'payments-team', 'marketing-team', 'finance-team', 'support-agents', 'crm-team', 'logistics-team', 'owner', 'everyone'];
const MASKS = ['null', 'redact', 'hash', 'partial'];
const TRANSFORMS = ['copy', 'derive', 'hash', 'tokenize', 'encrypt', 'mask', 'aggregate'];
const TAGS = ['pii', 'pii.email', 'pci', 'confidential'];
const CONDITIONS = ['context.mfa', 'not context.mfa', 'context.device == "managed"', 'context.purpose in ["audit", "support"]', 'subject.clearance >= 3', 'subject.region == "EU"', 'not has(context.mfa)', 'context.ticket == "T-1"'];

const asts = new Map<string, ReturnType<typeof parse>>();
function parsed(text: string): ReturnType<typeof parse> {
  let a = asts.get(text);
  if (!a) asts.set(text, (a = parse(text)));
  return a;
}

interface Edit {
  file: number;
  start: number;
  end: number;
  text: string;
  what: string;
}

function randomEdit(rng: Rng, files: SourceFile[]): Edit | undefined {
  const kind = rng.int(4);
  // A file that declares what this kind of edit changes.
  const wanted = kind === 0 ? 'policy' : kind === 1 ? 'principal' : 'contract';
  const candidates = files.map((f, i) => ({ f, i, ast: parsed(f.text) })).filter((x) => x.ast.declarations.some((d) => d.kind === wanted));
  if (!candidates.length) return undefined;
  const { f, i, ast } = rng.pick(candidates);
  const at = (start: number, end: number, text: string, what: string): Edit => ({ file: i, start, end, text, what: `${path.basename(f.uri)}: ${what}` });
  if (kind === 0) {
    // A policy rule: change its method or audience, add a condition, delete or duplicate it, or add a rule.
    const rules = ast.declarations.flatMap((d) => (d.kind === 'policy' ? d.rules : []));
    if (!rules.length) return undefined;
    const r = rng.pick(rules);
    const src = f.text.slice(r.range.start, r.range.end);
    switch (rng.int(6)) {
      case 0:
        if (r.kind !== 'mask') return at(r.range.start, r.range.end, '', `delete '${src}'`);
        return at(r.method.range.start, r.method.range.end, rng.pick(MASKS), `mask method of '${src}'`);
      case 1: {
        const g = rng.pick(GROUPS);
        const text = g === 'owner' || g === 'everyone' ? g : rng.next() < 0.3 ? `principal ${rng.pick(['alice', 'bob', 'carol', 'erin'])}` : g;
        return at(r.audience.range.start, r.audience.range.end, text, `audience of '${src}' → ${text}`);
      }
      case 2:
        if (r.kind === 'rows' || r.condition) return at(r.range.start, r.range.end, '', `delete '${src}'`);
        return at(r.range.end, r.range.end, ` when ${rng.pick(CONDITIONS)}`, `condition on '${src}'`);
      case 3:
        return at(r.range.start, r.range.end, '', `delete '${src}'`);
      case 4: {
        const text = rng.pick([
          `allow read to ${rng.pick(GROUPS)}`,
          `allow read to ${rng.pick(GROUPS)} when ${rng.pick(CONDITIONS)}`,
          `deny read to ${rng.pick(GROUPS)} when ${rng.pick(CONDITIONS)}`,
          `mask with ${rng.pick(MASKS)} for ${rng.pick(GROUPS)}`,
          `rows where region == subject.region for ${rng.pick(GROUPS)}`,
          `rows where country != "DE" for everyone`,
        ]);
        return at(r.range.end, r.range.end, `\n  ${text}`, `add '${text}'`);
      }
      default:
        return at(r.range.start, r.range.start, `${src}\n  `, `duplicate '${src}'`);
    }
  }
  if (kind === 1) {
    // A principal: groups or an attribute; or a principal added or removed.
    const ps = ast.declarations.filter((d) => d.kind === 'principal');
    if (!ps.length) return undefined;
    const p = rng.pick(ps);
    const choice = rng.int(5);
    if (choice === 0 && p.memberOf.length) {
      const gs = [...new Set([rng.pick(GROUPS.slice(0, 10)), ...p.memberOf.filter(() => rng.next() < 0.5).map((g) => g.text)])];
      return at(p.memberOf[0].range.start, p.memberOf[p.memberOf.length - 1].range.end, gs.join(', '), `${p.name.text} member of ${gs.join(', ')}`);
    }
    if (choice === 1 && p.attributes.length) {
      const a = rng.pick(p.attributes);
      const v = a.name.text === 'region' ? `"${rng.pick(['EU', 'US', 'APAC'])}"` : a.name.text === 'clearance' ? String(rng.int(5)) : a.name.text === 'contractor' ? rng.pick(['true', 'false']) : '"x"';
      return at(a.value.range.start, a.value.range.end, v, `${p.name.text} ${a.name.text} ${v}`);
    }
    if (choice === 2) return at(p.range.start, p.range.end, '', `remove principal ${p.name.text}`);
    const g = rng.pick(GROUPS.slice(0, 10));
    return at(p.range.end, p.range.end, `\nprincipal newbie${rng.int(100)} {\n  member of ${g}\n  region "EU"\n  clearance ${rng.int(5)}\n}\n`, `add a principal in ${g}`);
  }
  // A field: its tags (kind 2) or its lineage (kind 3).
  const fields = ast.declarations.flatMap((d) => (d.kind === 'contract' ? d.fields : []));
  if (!fields.length) return undefined;
  const fd = rng.pick(fields);
  if (kind === 2) {
    if (fd.tags.length && rng.next() < 0.5) {
      const t = rng.pick(fd.tags);
      const first = fd.tags[0] === t;
      // Remove one tag (with its keyword or comma).
      if (fd.tags.length === 1) {
        const src = f.text.slice(fd.range.start, fd.range.end);
        const m = /\btagged\s+/.exec(src);
        return m ? at(fd.range.start + m.index, t.range.end, '', `untag ${fd.name.text}`) : undefined;
      }
      return first ? at(t.range.start, fd.tags[1].range.start, '', `untag ${t.text} from ${fd.name.text}`) : at(fd.tags[fd.tags.indexOf(t) - 1].range.end, t.range.end, '', `untag ${t.text} from ${fd.name.text}`);
    }
    if (!fd.type) return undefined;
    const tag = rng.pick(TAGS);
    if (fd.tags.length) return at(fd.tags[fd.tags.length - 1].range.end, fd.tags[fd.tags.length - 1].range.end, `, ${tag}`, `tag ${fd.name.text} ${tag}`);
    return at(fd.type.range.end, fd.type.range.end, ` tagged ${tag}`, `tag ${fd.name.text} ${tag}`);
  }
  if (fd.via && rng.next() < 0.6) {
    const t = rng.pick(TRANSFORMS);
    return at(fd.via.range.start, fd.via.range.end, t, `${fd.name.text} via ${t}`);
  }
  if (fd.fromRange && rng.next() < 0.5) return at(fd.fromRange.start, fd.fromRange.end, '', `drop lineage of ${fd.name.text}`);
  if (!fd.type) return undefined;
  const src = rng.pick(['crm.customers.email', 'crm.customers.phone', 'payments.cards.pan', 'crm.customers.id']);
  if (fd.fromRange) return undefined;
  return at(fd.type.range.end, fd.type.range.end, ` from ${src} via ${rng.pick(TRANSFORMS)}`, `${fd.name.text} from ${src}`);
}

test('diff(A, A) is empty: the same files, and the same files parsed again', () => {
  const sources = exampleSources();
  const a = run(sources);
  for (const b of [a, run(sources.map((s) => ({ ...s })))]) {
    const d = diffAnalyses(a, b);
    assert.deepEqual(d.access, []);
    assert.deepEqual(d.schema, []);
    assert.deepEqual(d.governance, { introduced: [], resolved: [] });
  }
});

test('moving declarations between files, reordering and reformatting them changes nothing', () => {
  const sources = exampleSources();
  const before = run(sources);
  // Reverse the declarations of each file, reformat it, and move every policy to a file of its own.
  const policies: string[] = [];
  let formatted = 0;
  const moved = sources.map((s) => {
    const ast = parse(s.text);
    const keep: string[] = [];
    for (const d of [...ast.declarations].reverse()) {
      const text = s.text.slice(d.range.start, d.range.end);
      if (d.kind === 'policy' && !s.central) policies.push(text);
      else keep.push(text);
    }
    const joined = '# moved\n\n' + keep.join('\n\n\n') + '\n';
    const f = formatCharter(joined);
    if (f.ok) formatted++;
    return { ...s, text: f.ok ? f.text : joined };
  });
  assert.ok(formatted >= sources.length - 1, 'every file but the one with a syntax error is reformatted');
  moved.push({ uri: path.resolve('examples/policies-moved.charter'), text: policies.reverse().join('\n') + '\n', central: false });
  const after = run(moved);
  const d = diffAnalyses(before, after);
  assert.deepEqual(d.access.map((c) => `${c.field} ${c.principal}`), []);
  assert.deepEqual(d.schema.map((c) => c.message), []);
  assert.deepEqual(d.governance.introduced.map((x) => x.message), []);
  assert.deepEqual(d.governance.resolved.map((x) => x.message), []);
});

test('random policy, principal, tag and lineage edits of examples/: the diff is exactly the decisions that differ', () => {
  const sources = exampleSources();
  const base = run(sources);
  const rng = new Rng(Number(process.env.DIFF_SEED ?? 20261201));
  let nonEmpty = 0;
  const trials = 40;
  for (let t = 0; t < trials; t++) {
    const files = sources.map((s) => ({ ...s }));
    const edits: string[] = [];
    const n = 1 + rng.int(3);
    for (let k = 0; k < n; k++) {
      const e = randomEdit(rng, files);
      if (!e) continue;
      const f = files[e.file];
      files[e.file] = { ...f, text: f.text.slice(0, e.start) + e.text + f.text.slice(e.end) };
      edits.push(e.what);
    }
    const after = run(files);
    const label = `trial ${t} (${edits.join('; ')})`;
    const expected = bruteForce(base.model, after.model);
    if (assertMatchesBruteForce(base.model, after.model, label, expected) > 0) nonEmpty++;
    // And the other way round: the same pairs, swapped.
    const swapped = new Map([...expected].map(([k, v]) => [k, { before: v.after, after: v.before }]));
    assertMatchesBruteForce(after.model, base.model, `${label}, reversed`, swapped);
  }
  assert.ok(nonEmpty >= trials / 2, `most random edits change some decision (${nonEmpty} of ${trials} did)`);
});

const MINI = `
group analysts
group owners
principal alice { member of analysts }
principal olga { member of owners }
domain sales { owner owners }
classification pii
contract sales.orders {
  field id: uuid
  field email: string tagged pii
}
`;

test('entries: one per field × principal × (before, after), with [{}] when there is no finite context attribute', () => {
  const a = run([{ uri: 'a.charter', text: MINI + 'policy p on sales.orders {\n  allow read to owner\n}\n' }]);
  const b = run([{ uri: 'a.charter', text: MINI + 'policy p on sales.orders {\n  allow read to owner, analysts\n  mask email with hash for analysts\n  rows where id != "x" for owner\n}\n' }]);
  const { changes } = accessDelta(a.model, b.model);
  const got = changes.map((c) => ({ field: c.field, principal: c.principal, before: c.before, after: c.after, kind: c.kind, contexts: c.contexts.map((x) => Object.fromEntries(x)) }));
  assert.deepEqual(got, [
    { field: 'sales.orders.email', principal: 'alice', before: { decision: 'denied' }, after: { decision: 'masked', mask: 'hash', rows: undefined }, kind: 'exposure', contexts: [{}] },
    { field: 'sales.orders.email', principal: 'olga', before: { decision: 'clear', mask: undefined, rows: undefined }, after: { decision: 'clear', mask: undefined, rows: 'id != "x"' }, kind: 'rows', contexts: [{}] },
    { field: 'sales.orders.id', principal: 'alice', before: { decision: 'denied' }, after: { decision: 'clear', mask: undefined, rows: undefined }, kind: 'exposure', contexts: [{}] },
    { field: 'sales.orders.id', principal: 'olga', before: { decision: 'clear', mask: undefined, rows: undefined }, after: { decision: 'clear', mask: undefined, rows: 'id != "x"' }, kind: 'rows', contexts: [{}] },
  ]);
  assert.deepEqual(changes[0].reasons.before, [], 'default deny has no reasons');
  assert.deepEqual(changes[0].reasons.after.map((r) => r.text), ['mask email with hash for analysts', 'allow read to owner, analysts']);
});

test('a field or a principal on one side only has before or after null; nobody denied on both is listed', () => {
  const ctx = 'context attributes {\n  mfa: bool\n  device: "managed" | "byod"\n}\n';
  const a = run([{ uri: 'a.charter', text: ctx + MINI + 'principal bob { member of analysts }\npolicy p on sales.orders {\n  allow read to analysts when context.mfa\n}\n' }]);
  const b = run([{ uri: 'a.charter', text: ctx + MINI.replace('  field email: string tagged pii\n', '  field email: string tagged pii\n  field total: decimal\n').replace('  field id: uuid\n', '') + 'principal carol { member of analysts }\npolicy p on sales.orders {\n  allow read to analysts when context.mfa\n}\n' }]);
  const { changes } = accessDelta(a.model, b.model);
  const got = changes.map((c) => `${c.field} ${c.principal} ${c.before?.decision ?? 'null'}→${c.after?.decision ?? 'null'} ${c.kind} ${c.contexts.map((x) => JSON.stringify(Object.fromEntries(x))).join(' ')}`);
  assert.deepEqual(got, [
    'sales.orders.email bob clear→null restriction {"device":"managed","mfa":true} {"device":"byod","mfa":true}',
    'sales.orders.email carol null→clear exposure {"device":"managed","mfa":true} {"device":"byod","mfa":true}',
    'sales.orders.id alice clear→null restriction {"device":"managed","mfa":true} {"device":"byod","mfa":true}',
    'sales.orders.id bob clear→null restriction {"device":"managed","mfa":true} {"device":"byod","mfa":true}',
    'sales.orders.total alice null→clear exposure {"device":"managed","mfa":true} {"device":"byod","mfa":true}',
    'sales.orders.total carol null→clear exposure {"device":"managed","mfa":true} {"device":"byod","mfa":true}',
  ]);
});

test('the permissiveness order: denied < masked null < redact < hash < partial < clear', () => {
  const text = (mask: string) => MINI + `policy p on sales.orders {\n  allow read to everyone\n  ${mask}\n}\n`;
  const steps = ['deny read to analysts', 'mask with null for analysts', 'mask with redact for analysts', 'mask with hash for analysts', 'mask with partial for analysts', ''];
  const models = steps.map((s) => run([{ uri: 'a.charter', text: text(s) }]).model);
  for (let i = 0; i < models.length; i++) {
    for (let j = 0; j < models.length; j++) {
      const c = accessDelta(models[i], models[j]).changes.filter((x) => x.principal === 'alice' && x.field === 'sales.orders.id');
      if (i === j) assert.equal(c.length, 0);
      else assert.equal(c[0].kind, j > i ? 'exposure' : 'restriction', `${steps[i] || 'clear'} → ${steps[j] || 'clear'}`);
    }
  }
});

test('row filters that only moved (policies reordered) are the same filter', () => {
  assert.equal(canonicalRows('a == 1 and (b == 2 or c == "x and y") and a == 1'), canonicalRows('(b == 2 or c == "x and y") and a == 1'));
  assert.notEqual(canonicalRows('a == 1'), canonicalRows('a == 2'));
  assert.equal(canonicalRows(undefined), '');
});

test('context attributes: the values of both sides are enumerated; a non-finite one read by changed rules is reported as not verified', () => {
  const schema = (device: string) => `context attributes {\n  device: ${device}\n  ticket: string\n}\n`;
  const a = run([{ uri: 'a.charter', text: schema('"managed" | "byod"') + MINI + 'policy p on sales.orders {\n  allow read to analysts when context.device == "managed"\n}\n' }]);
  const b = run([{ uri: 'a.charter', text: schema('"managed" | "byod" | "kiosk"') + MINI + 'policy p on sales.orders {\n  allow read to analysts when context.device != "byod"\n  allow read to owner when context.ticket == "T-1"\n}\n' }]);
  const d = accessDelta(a.model, b.model);
  const alice = d.changes.filter((c) => c.principal === 'alice').map((c) => `${c.field} ${c.kind} ${c.contexts.map((x) => x.get('device')).join(',')}`);
  assert.deepEqual(alice, ['sales.orders.email exposure kiosk', 'sales.orders.id exposure kiosk'], 'the value only the working tree declares is tried at both sides');
  assert.deepEqual(d.unverified, [
    { field: 'sales.orders.email', attributes: ['ticket'] },
    { field: 'sales.orders.id', attributes: ['ticket'] },
  ]);
  // olga (owners) only reads with a ticket, which no enumeration sets: nothing listed, and the text says it is not verified.
  assert.ok(!d.changes.some((c) => c.principal === 'olga'));
  assert.match(renderText(summarize(diffAnalyses(a, b)), { at: () => 'x' }, { base: 'B', head: 'H' }), /\nNot verified: sales\.orders\.email \(reads context\.ticket, which has no finite set of values; compared with it unset\)/);
});
