// `charter diff` as a user runs it, on a real temporary git repository:
// git init, commit examples/, edit, diff. Each exposure is confirmed by
// `charter who-can-see` at both sides (the base side from `git archive`),
// the user's working tree and index are left exactly as they were, and the
// exit codes follow --fail-on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { charter } from './run';

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=CI', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A repository holding a copy of examples/ in one commit. */
function repo(): { dir: string; ws: string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-diff-'));
  cpSync(path.resolve('examples'), path.join(dir, 'examples'), { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'examples');
  return { dir, ws: path.join(dir, 'examples'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} contains ${from}`);
  writeFileSync(file, text.replace(from, to));
}

/** The worked example of docs/reviewing.md: marketing gets the email in clear, and a field is removed without a major version bump. */
function exposeAndBreak(ws: string): void {
  edit(path.join(ws, 'governance/baseline-policies.charter'), 'mask with redact for everyone except owner, privacy-office\n}', 'mask with redact for everyone except owner, privacy-office, marketing-team\n}');
  edit(path.join(ws, 'sales/orders.charter'), '  rows where region == subject.region for analysts\n', '  rows where region == subject.region for analysts\n  allow read of customer_email to marketing-team\n');
  edit(path.join(ws, 'sales/orders.charter'), '  field currency: string\n', '');
}

test('diff: nothing changed → an empty diff in the stable JSON shape, exit 0', () => {
  const r = repo();
  try {
    const text = charter(['diff'], { cwd: r.ws });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^no change to access, schema or governance\n/);
    const json = charter(['diff', 'HEAD', r.ws, '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { base: 'HEAD', head: r.ws, access: [], schema: [], governance: { introduced: [], resolved: [] } });
  } finally {
    r.done();
  }
});

test('diff: an exposed email and a removed field, each exposure confirmed by who-can-see at both sides', () => {
  const r = repo();
  try {
    exposeAndBreak(r.ws);
    const status = git(r.dir, 'status', '--porcelain');
    const mtime = statSync(path.join(r.ws, 'sales/orders.charter')).mtimeMs;
    const res = charter(['diff', 'HEAD', r.ws, '--format', 'json']);
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.deepEqual(Object.keys(out), ['base', 'head', 'access', 'schema', 'governance']);
    assert.deepEqual(Object.keys(out.governance), ['introduced', 'resolved']);
    for (const a of out.access) {
      assert.deepEqual(Object.keys(a), ['field', 'principal', 'before', 'after', 'kind', 'contexts', 'reasons']);
      assert.ok(['exposure', 'restriction', 'rows'].includes(a.kind));
      for (const side of [a.before, a.after]) if (side) assert.deepEqual(Object.keys(side), ['decision', 'mask', 'rows']);
      for (const c of a.contexts) assert.deepEqual(Object.keys(c), ['device', 'mfa', 'purpose'], 'every finite context attribute, in name order');
      for (const x of [...a.reasons.before, ...a.reasons.after]) assert.deepEqual(Object.keys(x), ['file', 'line', 'text']);
    }
    // marketing-team can now read the email: campaign-bot in clear, bob (an analyst too) hashed.
    const email = out.access.filter((a: { field: string; kind: string }) => a.field === 'sales.orders.customer_email' && a.kind === 'exposure');
    assert.deepEqual([...new Set(email.map((a: { principal: string }) => a.principal))].sort(), ['bob', 'campaign-bot']);
    for (const a of email) assert.deepEqual(a.after, a.principal === 'bob' ? { decision: 'masked', mask: 'hash', rows: 'region == "US"' } : { decision: 'clear', mask: null, rows: null });
    assert.ok(email[0].reasons.after.some((x: { file: string; text: string }) => x.file === 'sales/orders.charter' && x.text === 'allow read of customer_email to marketing-team'));
    // Confirm every exposure of the email with who-can-see: now in the working tree, before in a copy of HEAD.
    const baseCopy = path.join(r.dir, 'base-copy');
    mkdirSync(baseCopy);
    spawnSync('sh', ['-c', `git archive HEAD examples | tar -x -C ${JSON.stringify(baseCopy)}`], { cwd: r.dir });
    for (const a of email) {
      for (const ctx of a.contexts.slice(0, 4)) {
        const args = Object.entries(ctx).flatMap(([k, v]) => ['--context', `${k}=${v}`]);
        const now = JSON.parse(charter(['who-can-see', a.field, r.ws, ...args, '--format', 'json']).stdout).results.find((x: { principal: string }) => x.principal === a.principal);
        const then = JSON.parse(charter(['who-can-see', a.field, path.join(baseCopy, 'examples'), ...args, '--format', 'json']).stdout).results.find((x: { principal: string }) => x.principal === a.principal);
        assert.deepEqual({ decision: now.decision, mask: now.mask, rows: now.rows }, a.after, `after, ${a.principal} ${JSON.stringify(ctx)}`);
        assert.deepEqual({ decision: then.decision, mask: then.mask, rows: then.rows }, a.before, `before, ${a.principal} ${JSON.stringify(ctx)}`);
      }
    }
    // The removed field: breaking, no major version bump.
    const removed = out.schema.find((s: { change: string }) => s.change === 'field-removed');
    assert.deepEqual(removed, { contract: 'sales.orders', field: 'sales.orders.currency', change: 'field-removed', breaking: true, message: 'field sales.orders.currency removed: breaking change without a major version bump (version stays 2.1.0)' });
    // Governance: pii-masked now fails where marketing-team reads PII in clear.
    assert.ok(out.governance.introduced.length > 0);
    for (const d of out.governance.introduced) {
      assert.deepEqual(Object.keys(d), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
      assert.match(d.code, /^rule:/);
    }
    // A folder as BASE gives the same diff.
    const folder = JSON.parse(charter(['diff', path.join(baseCopy, 'examples'), r.ws, '--format', 'json']).stdout);
    assert.deepEqual({ ...folder, base: 'HEAD' }, out);
    // Nothing of the user's tree was touched: no checkout, no stash.
    assert.equal(git(r.dir, 'status', '--porcelain').replace(/\?\? base-copy\/\n/, ''), status);
    assert.equal(git(r.dir, 'stash', 'list'), '');
    assert.equal(statSync(path.join(r.ws, 'sales/orders.charter')).mtimeMs, mtime);
    // Committed, the same change against HEAD~1.
    git(r.dir, 'commit', '-qam', 'expose');
    const committed = JSON.parse(charter(['diff', 'HEAD~1', r.ws, '--format', 'json']).stdout);
    assert.deepEqual({ ...committed, base: 'HEAD' }, out);
  } finally {
    r.done();
  }
});

test('diff --fail-on: exit 1 only when a named kind is present; text, Markdown and SARIF outputs', () => {
  const r = repo();
  try {
    // Only a restriction: nothing to fail on.
    edit(path.join(r.ws, 'sales/orders.charter'), '  allow read to analysts when subject.clearance >= 2 and context.mfa\n', '  allow read to analysts when subject.clearance >= 3 and context.mfa\n');
    assert.equal(charter(['diff', '--fail-on', 'exposure,breaking,violation'], { cwd: r.ws }).status, 0);
    git(r.dir, 'commit', '-qam', 'restrict');
    exposeAndBreak(r.ws);
    for (const k of ['exposure', 'breaking', 'violation']) assert.equal(charter(['diff', 'HEAD', r.ws, '--fail-on', k]).status, 1, k);
    assert.equal(charter(['diff', 'HEAD', r.ws, '--fail-on', 'exposure', '--fail-on', 'breaking']).status, 1);
    assert.equal(charter(['diff', 'HEAD', r.ws]).status, 0, 'exit 0 whatever the delta without --fail-on');
    const bad = charter(['diff', 'HEAD', r.ws, '--fail-on', 'exposures']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--fail-on takes exposure, breaking, violation \(comma-separated\), not 'exposures'/);

    const text = charter(['diff', 'HEAD', r.ws]).stdout;
    assert.equal(text.split('\n')[0], 'exposes sales.orders.customer_email and 1 more field to 2 principals; 1 breaking change without a major version bump; introduces 2 governance violations');
    assert.match(text, /\n {2}sales\.orders\.customer_email {2}sales\/orders\.charter:16\n {4}exposure {5}bob: denied → masked hash \(rows region == "US"\) when device=managed\n/);
    assert.match(text, /\n {4}exposure {5}campaign-bot: masked redact → clear when purpose=analytics\n {17}\+ allow read of customer_email to marketing-team {2}\(sales\/orders\.charter:35\)\n {17}- mask with redact for everyone except owner, privacy-office {2}\(at base: governance\/baseline-policies\.charter:6\)\n/);
    const md = charter(['diff', 'HEAD', r.ws, '--format', 'markdown']).stdout;
    assert.match(md, /^<!-- charter-diff -->\n### Charter: exposes /);
    assert.match(md, /<details><summary>Why: the rules behind each change<\/summary>/);
    assert.match(md, /\| field-removed \| \*\*yes\*\* \|/);
    const sarif = JSON.parse(charter(['diff', 'HEAD', r.ws, '--format', 'sarif']).stdout);
    assert.equal(sarif.version, '2.1.0');
    const ids = new Set(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId));
    for (const id of ['access-exposure', 'breaking-change', 'rule:pii-masked']) assert.ok(ids.has(id), id);
    const exposure = sarif.runs[0].results.find((x: { ruleId: string; message: { text: string } }) => x.ruleId === 'access-exposure' && x.message.text.startsWith('sales.orders.customer_email'));
    assert.deepEqual(exposure.locations[0].physicalLocation.artifactLocation, { uri: 'sales/orders.charter', uriBaseId: 'SRCROOT' });
    assert.equal(exposure.locations[0].physicalLocation.region.startLine, 16);
  } finally {
    r.done();
  }
});

test('diff: unknown revision, not a git repository, bad arguments → exit 2 with a clear message', () => {
  const r = repo();
  const plain = mkdtempSync(path.join(tmpdir(), 'charter-nogit-'));
  try {
    const unknown = charter(['diff', 'no-such-branch', r.ws]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^charter diff: unknown revision 'no-such-branch'/);
    assert.equal(unknown.stdout, '');
    cpSync(path.resolve('examples'), path.join(plain, 'examples'), { recursive: true });
    const nogit = charter(['diff', 'HEAD', path.join(plain, 'examples')]);
    assert.equal(nogit.status, 2);
    assert.match(nogit.stderr, /is not in a git repository: give BASE as a folder/);
    assert.equal(charter(['diff', 'HEAD', r.ws, 'extra']).status, 2);
    assert.equal(charter(['diff', 'HEAD', r.ws, '--format', 'html']).status, 2);
    assert.equal(charter(['diff', '--', '-x', r.ws]).status, 2);
  } finally {
    r.done();
    rmSync(plain, { recursive: true, force: true });
  }
});

test('diff: charter.json at BASE is honoured, new untracked files count, governance outside the repository is read from disk', () => {
  const top = mkdtempSync(path.join(tmpdir(), 'charter-diff-gov-'));
  try {
    // The central governance package lives beside the repository, not in it.
    cpSync(path.resolve('examples/governance'), path.join(top, 'central'), { recursive: true });
    const dir = path.join(top, 'repo');
    cpSync(path.resolve('examples'), dir, { recursive: true, filter: (p) => !p.includes(`${path.sep}governance`) && !p.includes('mistakes') });
    writeFileSync(path.join(dir, 'charter.json'), JSON.stringify({ include: ['**/*.charter'], governance: ['../central/**/*.charter'] }));
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'mesh');
    const same = charter(['diff', 'HEAD', dir, '--format', 'json']);
    assert.equal(same.status, 0, same.stderr);
    assert.deepEqual(JSON.parse(same.stdout).governance, { introduced: [], resolved: [] }, 'the same central rules at both sides');
    assert.match(same.stderr, /outside the repository .* both sides use them as they are now/);
    // BASE's charter.json left logistics/ out; the working tree's includes it (and a new, untracked contract).
    writeFileSync(path.join(dir, 'charter.json'), JSON.stringify({ include: ['crm/**/*.charter', 'sales/**/*.charter', 'payments/**/*.charter', 'org/**/*.charter', 'finance/**/*.charter', 'marketing/**/*.charter'], governance: ['../central/**/*.charter'] }));
    git(dir, 'commit', '-qam', 'narrow');
    writeFileSync(path.join(dir, 'charter.json'), JSON.stringify({ include: ['**/*.charter'], governance: ['../central/**/*.charter'] }));
    writeFileSync(path.join(dir, 'sales/returns.charter'), 'contract sales.returns {\n  owner sales-data\n  field id: uuid key\n}\n');
    const out = JSON.parse(charter(['diff', 'HEAD', dir, '--format', 'json']).stdout);
    const added = out.schema.filter((s: { change: string }) => s.change === 'contract-added').map((s: { contract: string }) => s.contract).sort();
    assert.deepEqual(added, ['logistics.shipments', 'logistics.warehouses', 'sales.returns']);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});
