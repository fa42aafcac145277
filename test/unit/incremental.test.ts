// The incremental rebuild (Analyzer, model/incremental.ts) against a build
// from scratch: after every edit of a long random sequence, both must give
// the same diagnostics, waivers, references and model (tags, lineage,
// owners...). Edits are seeded, so a failure replays.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyze, Analyzer, ParseCache, type Analysis, type SourceFile } from '../../grammar/index';
import { generateMesh } from '../../scripts/bench/gen-mesh';

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
  pick<T>(xs: T[]): T {
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
      else if (p.endsWith('.charter')) out.push({ uri: `file://${p}`, text: readFileSync(p, 'utf8'), central: p.includes(`${path.sep}governance${path.sep}`) });
    }
  };
  walk(root);
  return out;
}

function meshSources(contracts: number): SourceFile[] {
  return generateMesh({ contracts })
    .files.filter((f) => f.path.endsWith('.charter'))
    .map((f) => ({ uri: `file:///mesh/${f.path}`, text: f.text, central: f.path.startsWith('governance/') }));
}

/** Everything a user can see, independent of order. */
function observable(a: Analysis): Record<string, string[]> {
  const m = a.model;
  const diag = (d: Analysis['diagnostics'][number]) =>
    [d.file, d.range.start, d.range.end, d.severity, d.code, d.message, JSON.stringify(d.related ?? []), JSON.stringify(d.data ?? null)].join('|');
  const loc = (l: { file: string; range: { start: number; end: number } }) => `${l.file}:${l.range.start}-${l.range.end}`;
  const sorted = (xs: string[]) => xs.sort();
  return {
    diagnostics: sorted(a.diagnostics.map(diag)),
    waived: sorted(a.waived.map((w) => `${diag(w)}|${w.waiver}`)),
    references: sorted(m.references.map((r) => `${r.file}:${r.range.start}-${r.range.end} -> ${r.target.kind}:${r.target.name}@${loc(r.target.loc)}`)),
    fields: sorted(
      [...m.fields.values()].map((f) =>
        [
          f.qname,
          loc(f.loc),
          f.type,
          f.transform,
          f.contract.name,
          f.sources.map((s) => s.qname).sort().join(','),
          f.consumers.map((s) => s.qname).sort().join(','),
          [...f.tags.values()].map((t) => `${t.tag}:${t.declared}:${t.protected}:${[...t.from].sort().join('+')}`).sort().join(','),
        ].join('|'),
      ),
    ),
    contracts: sorted([...m.contracts.values()].map((c) => `${c.name}|${loc(c.loc)}|${c.owner}|${c.ownerInherited}|${[...c.fields.keys()].join(',')}|${[...c.properties.keys()].sort().join(',')}`)),
    domains: sorted([...m.domains.values()].map((d) => `${d.name}|${d.owner}|${d.contracts.map((c) => c.name).join(',')}`)),
    principals: sorted([...m.principals.values()].map((p) => `${p.name}|${loc(p.loc)}|${[...p.groups].sort()}|${JSON.stringify([...p.attributes].sort())}`)),
    policies: sorted([...m.policies.values()].map((p) => `${p.name}|${loc(p.loc)}`)),
    lineage: sorted(m.lineage.map((e) => `${e.source.qname}>${e.target.qname}:${e.transform}`)),
  };
}

const TYPES = ['string', 'int', 'decimal', 'bool', 'date', 'timestamp', 'uuid', 'json', 'strin', 'list<string>'];
const TAGS = ['pii', 'pii.email', 'pii.contact', 'financial', 'confidential', 'nosuchtag'];

/** One plausible edit of `text` (typing, deleting, or a change a person makes on purpose). */
function edit(rng: Rng, text: string, fieldNames: string[]): string {
  const at = (re: RegExp, f: (m: RegExpExecArray) => string): string => {
    const all = [...text.matchAll(new RegExp(re.source, 'g'))];
    if (!all.length) return text;
    const m = rng.pick(all) as RegExpExecArray;
    return text.slice(0, m.index) + f(m) + text.slice(m.index + m[0].length);
  };
  switch (rng.int(14)) {
    case 0: {
      const i = rng.int(text.length + 1);
      return text.slice(0, i) + rng.pick(['x', ' ', '\n', '{', '}', '"', '.', 'a', '1']) + text.slice(i);
    }
    case 1: {
      const i = rng.int(text.length);
      return text.slice(0, i) + text.slice(i + 1 + rng.int(4));
    }
    case 2:
      return at(/: (string|int|decimal|bool|date|timestamp|uuid|json)\b/, () => `: ${rng.pick(TYPES)}`);
    case 3:
      return at(/(field \w+: [\w<>]+)/, (m) => `${m[1]} tagged ${rng.pick(TAGS)}`);
    case 4:
      return at(/ tagged [\w.]+(, [\w.]+)*/, () => '');
    case 5:
      return at(/field (\w+)/, (m) => `field ${m[1]}${rng.pick(['2', '', 'x'])}`);
    case 6:
      return at(/from ([\w.]+)/, () => `from ${rng.pick(fieldNames)}`);
    case 7:
      return at(/via \w+/, () => `via ${rng.pick(['copy', 'hash', 'aggregate', 'derive', 'mask', 'smash'])}`);
    case 8:
      return at(/"[^"\n]*"/, () => `"${rng.pick(['changed', '', 'a longer text'])}"`);
    case 9:
      return at(/(field \w+: \w+)/, (m) => `${m[1]} from ${rng.pick(fieldNames)}`);
    case 11:
      return at(/contract ([\w.]+)/, (m) => `contract ${m[1]}${rng.pick(['2', 'x', ''])}`);
    case 12:
      return `${text}\ncontract ${rng.pick(['sales', 'crm', 'nowhere'])}.extra${rng.int(1_000_000)} {\n  field id: string from ${rng.pick(fieldNames)}\n}\n`;
    case 13:
      return at(/contract [\w.]+ \{[\s\S]*?\n\}\n/, () => '');
    default:
      return at(/owner [\w-]+/, () => `owner ${rng.pick(['nobody', 'data-platform', 'analysts'])}`);
  }
}

function run(name: string, base: SourceFile[], seed: number, steps: number): { incremental: number; steps: number } {
  const rng = new Rng(seed);
  const sources = base.map((s) => ({ ...s }));
  const cache = new ParseCache();
  const analyzer = new Analyzer();
  const fieldNames = [...analyze(sources, { today: TODAY }).model.fields.keys()];
  let incremental = 0;
  analyzer.analyze(sources, { parseCache: cache, today: TODAY });
  for (let step = 0; step < steps; step++) {
    // Mostly one file, as in an editor; sometimes two at once, sometimes back to the original.
    const files = rng.int(10) === 0 ? 2 : 1;
    for (let k = 0; k < files; k++) {
      const i = rng.int(sources.length);
      sources[i] = { ...sources[i], text: rng.int(12) === 0 ? base[i].text : edit(rng, sources[i].text, fieldNames) };
    }
    const inc = analyzer.analyze(sources, { parseCache: cache, today: TODAY });
    if (analyzer.last.incremental) incremental++;
    const full = analyze(sources, { today: TODAY });
    const a = observable(inc);
    const b = observable(full);
    for (const k of Object.keys(b)) {
      assert.deepEqual(a[k], b[k], `${name}, seed ${seed}, step ${step} (${analyzer.last.incremental ? 'incremental' : 'from scratch'}): ${k} differ`);
    }
  }
  if (process.env.SHOW) console.log(name, incremental, steps);
  return { incremental, steps };
}

test('incremental analysis equals a rebuild from scratch after every edit (examples)', () => {
  const r = run('examples', exampleSources(), 7, 250);
  // The comparison must have exercised the incremental path, not only the fallback.
  assert.ok(r.incremental > r.steps / 4, `only ${r.incremental} of ${r.steps} edits were incremental`);
});

test('incremental analysis equals a rebuild from scratch after every edit (generated mesh)', () => {
  const r = run('mesh', meshSources(60), 11, 250);
  assert.ok(r.incremental > r.steps / 4, `only ${r.incremental} of ${r.steps} edits were incremental`);
});

test('a field type edit re-analyses only the files it affects', () => {
  const sources = meshSources(60);
  const cache = new ParseCache();
  const analyzer = new Analyzer();
  analyzer.analyze(sources, { parseCache: cache, today: TODAY });
  const i = sources.findIndex((s) => /field \w+: string/.test(s.text) && !s.uri.includes('/org/'));
  sources[i] = { ...sources[i], text: sources[i].text.replace(/(field \w+): string/, '$1: strng') };
  const a = analyzer.analyze(sources, { parseCache: cache, today: TODAY });
  assert.equal(analyzer.last.incremental, true);
  assert.ok(analyzer.last.files < sources.length / 4, `${analyzer.last.files} of ${sources.length} files re-analysed`);
  assert.ok(a.diagnostics.some((d) => d.file === sources[i].uri && d.code === 'unknown-type' && /did you mean 'string'/.test(d.message)));
});

/**
 * Edits one file of a small workspace step by step; after each, incremental
 * equals from scratch. An analysis is only valid until the next step (its
 * symbols are reused), so a step's own checks run right after it.
 */
function steps(files: Record<string, string>, edits: [string, (text: string) => string, ((a: Analysis) => void)?][], central: string[] = []): Analysis[] {
  let sources: SourceFile[] = Object.entries(files).map(([uri, text]) => ({ uri, text, central: central.includes(uri) }));
  const cache = new ParseCache();
  const analyzer = new Analyzer();
  analyzer.analyze(sources, { parseCache: cache, today: TODAY });
  const out: Analysis[] = [];
  for (const [uri, f, check] of edits) {
    sources = sources.map((s) => (s.uri === uri ? { ...s, text: f(s.text) } : s));
    const inc = analyzer.analyze(sources, { parseCache: cache, today: TODAY });
    assert.equal(analyzer.last.incremental, true, `the edit of ${uri} is handled incrementally`);
    assert.deepEqual(observable(inc), observable(analyze(sources, { today: TODAY })));
    check?.(inc);
    out.push(inc);
  }
  return out;
}

const ORG = 'group analysts\ngroup owners\nprincipal alice { member of analysts }\nclassification pii\ndomain sales { owner owners }\n';

test('a column type changed in one file updates the row filter checked in another', () => {
  const [a] = steps(
    {
      'org.charter': ORG,
      'orders.charter': 'contract sales.orders {\n  field region: string\n}\n',
      'policies.charter': 'policy p on sales.orders { rows where region == "EU" for analysts }\n',
    },
    [['orders.charter', (t) => t.replace('region: string', 'region: int')]],
  );
  assert.ok(a.diagnostics.some((d) => d.file === 'policies.charter'), 'the comparison of an int column with a string is reported in policies.charter');
});

test('a governance counterexample quoting a policy in another file follows that policy when its file is edited', () => {
  const files = {
    'org.charter': ORG,
    'orders.charter': 'contract sales.orders {\n  field email: string tagged pii\n}\n',
    'policies.charter': 'policy p on sales.orders {\n  allow read to analysts\n}\n',
    'gov.charter': 'governance g {\n  rule masked error { every field tagged pii must be masked for everyone except owner }\n}\n',
  };
  const [a] = steps(files, [['policies.charter', (t) => '\n\n' + t]], ['gov.charter']);
  const v = a.diagnostics.find((d) => d.code === 'rule:masked');
  assert.match(v?.message ?? '', /\(p, line 4 of policies\.charter\)/);
});

test('renaming a field updates the files that name it', () => {
  const [a, b] = steps(
    {
      'org.charter': ORG,
      'orders.charter': 'contract sales.orders {\n  field email: string tagged pii\n}\n',
      'report.charter': 'contract sales.report {\n  field email: string tagged pii from sales.orders.email\n}\n',
      'gov.charter': 'governance g {\n  rule described warning { every field must have description }\n}\n',
      'waivers.charter': 'waiver w for rule described on sales.orders.mail {\n  reason "legacy"\n}\n',
    },
    [
      ['orders.charter', (t) => t.replace('field email', 'field mail')],
      ['orders.charter', (t) => t.replace('field mail', 'field email')],
    ],
  );
  assert.ok(a.diagnostics.some((d) => d.file === 'report.charter' && d.code === 'unknown-field' && /did you mean 'mail'/.test(d.message)));
  assert.ok(!a.diagnostics.some((d) => d.file === 'waivers.charter' && d.code === 'unknown-target'), 'the waiver names the renamed field');
  assert.ok(!b.diagnostics.some((d) => d.file === 'report.charter' && d.code.startsWith('unknown')));
  assert.ok(b.diagnostics.some((d) => d.file === 'waivers.charter' && d.code === 'unknown-target' && /did you mean 'sales.orders.email'/.test(d.message)));
});

test('a tag added upstream reaches the fields downstream, two files away', () => {
  const [a] = steps(
    {
      'org.charter': ORG + 'classification secret\n',
      'a.charter': 'contract sales.a {\n  field x: string\n}\n',
      'b.charter': 'contract sales.b {\n  field x: string from sales.a.x\n}\n',
      'c.charter': 'contract sales.c {\n  field x: string from sales.b.x\n}\n',
    },
    [['a.charter', (t) => t.replace('field x: string', 'field x: string tagged secret')]],
  );
  assert.ok(a.diagnostics.some((d) => d.file === 'c.charter' && d.code === 'inherits-tag' && /inherits secret from sales\.b\.x/.test(d.message)));
  assert.deepEqual([...a.model.fields.get('sales.c.x')!.tags.keys()], ['secret']);
});

test('editing a policy re-checks governance on the contracts it covers, in other files', () => {
  const files = {
    'org.charter': ORG,
    'orders.charter': 'contract sales.orders {\n  field email: string tagged pii\n}\n',
    'policies.charter': 'policy p on sales.orders {\n  mask email with hash for analysts\n}\n',
    'gov.charter': 'governance g {\n  rule masked error { every field tagged pii must be masked for everyone except owner }\n}\n',
  };
  const [a, b] = steps(
    files,
    [
      ['policies.charter', (t) => t.replace('mask email with hash for analysts', 'allow read to analysts')],
      ['policies.charter', (t) => t.replace('allow read to analysts', 'allow read to analysts\n  mask email with hash for analysts')],
    ],
    ['gov.charter'],
  );
  assert.ok(a.diagnostics.some((d) => d.file === 'orders.charter' && d.code === 'rule:masked'), 'alice now reads the email in clear');
  assert.ok(!b.diagnostics.some((d) => d.code === 'rule:masked'), 'masked again');
});

test('renaming a contract re-checks the policies, lineage and waivers that name it, and back', () => {
  steps(
    {
      'org.charter': ORG,
      'orders.charter': 'contract sales.orders {\n  field email: string tagged pii\n}\n',
      'report.charter': 'contract sales.report {\n  field email: string tagged pii from sales.orders.email\n}\n',
      'policies.charter': 'policy p on sales.orders {\n  allow read to analysts\n}\n',
    },
    [
      [
        'orders.charter',
        (t) => t.replace('sales.orders', 'sales.order'),
        (a) => {
          assert.ok(a.diagnostics.some((d) => d.file === 'policies.charter' && d.code === 'unknown-contract' && /did you mean 'sales.order'/.test(d.message)));
          assert.ok(a.diagnostics.some((d) => d.file === 'report.charter' && d.code === 'unknown-contract'));
          assert.deepEqual(a.model.domains.get('sales')!.contracts.map((c) => c.name), ['sales.order', 'sales.report']);
        },
      ],
      ['orders.charter', (t) => t.replace('sales.order', 'sales.orders'), (b) => assert.ok(!b.diagnostics.some((d) => d.code.startsWith('unknown')))],
    ],
  );
});

test('a policy losing its doc comment is checked again by a rule on every policy', () => {
  steps(
    {
      'org.charter': ORG,
      'orders.charter': 'contract sales.orders {\n  field email: string\n}\n',
      'policies.charter': '## Analysts read orders.\npolicy p on sales.orders {\n  allow read to analysts\n}\n',
      'gov.charter': 'governance g {\n  rule documented warning { every policy must have description }\n}\n',
    },
    [
      ['policies.charter', (t) => t.replace('## Analysts read orders.\n', ''), (a) => assert.ok(a.diagnostics.some((d) => d.code === 'rule:documented' && d.file === 'policies.charter'))],
      ['policies.charter', (t) => '## Analysts read orders.\n' + t, (a) => assert.ok(!a.diagnostics.some((d) => d.code === 'rule:documented'))],
    ],
    ['gov.charter'],
  );
});

test("changing a domain's owner re-checks the contracts that inherit it, in other files", () => {
  steps(
    {
      'org.charter': ORG.replace('domain sales { owner owners }\n', '') + 'group others\n',
      'domain.charter': 'domain sales { owner owners }\n',
      'orders.charter': 'contract sales.orders {\n  field email: string tagged pii\n}\n',
      'gov.charter': 'governance g {\n  rule owned error { every contract must have owner == owners }\n}\n',
    },
    [
      ['domain.charter', (t) => t.replace('owner owners', 'owner others'), (a) => assert.ok(a.diagnostics.some((d) => d.code === 'rule:owned' && d.file === 'orders.charter'))],
      ['domain.charter', (t) => t.replace('owner others', 'owner nobody'), (a) => assert.equal(a.model.contracts.get('sales.orders')!.owner, undefined)],
      ['domain.charter', (t) => t.replace('owner nobody', 'owner owners'), (a) => assert.ok(!a.diagnostics.some((d) => d.code === 'rule:owned'))],
    ],
    ['gov.charter'],
  );
});

test('changing a rule or a waiver re-evaluates governance everywhere it applies', () => {
  steps(
    {
      'org.charter': ORG,
      'orders.charter': 'contract sales.orders {\n  field email: string tagged pii\n}\n',
      'gov.charter': 'governance g {\n  rule versioned error { every contract must have version }\n}\n',
      'waivers.charter': 'waiver w for rule versioned on sales.orders {\n  reason "legacy"\n}\n',
    },
    [
      ['waivers.charter', (t) => t.replace('sales.orders', 'sales.order'), (a) => assert.ok(a.diagnostics.some((d) => d.code === 'rule:versioned' && d.file === 'orders.charter'))],
      ['gov.charter', (t) => t.replace('error', 'warning'), (a) => assert.equal(a.diagnostics.find((d) => d.code === 'rule:versioned')?.severity, 'warning')],
      ['waivers.charter', (t) => t.replace('sales.order', 'sales.orders'), (a) => assert.ok(!a.diagnostics.some((d) => d.code === 'rule:versioned'))],
    ],
    ['gov.charter'],
  );
});
