// charter/diff through the real server: a workspace in a temporary git
// repository, compared with HEAD while a document has unsaved changes. The
// answer follows each edit (the base is read once per commit), and says so
// when the folder is not a repository or the revision does not exist.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyFolder, repo, startServer, uriOf, type LspClient } from './client';
import type { DiffResult } from '../../server/protocol';

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=CI', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

describe('charter/diff (Compare with Base)', () => {
  let c: LspClient;
  let ws: ReturnType<typeof copyFolder>;
  let orders: { uri: string; text: string; file: string };

  before(async () => {
    ws = copyFolder(path.join(repo, 'examples'));
    git(ws.dir, 'init', '-q');
    git(ws.dir, 'add', '-A');
    git(ws.dir, 'commit', '-qm', 'base');
    const file = path.join(ws.dir, 'sales/orders.charter');
    orders = { file, uri: uriOf(file), text: readFileSync(file, 'utf8') };
    c = await startServer({ root: ws.dir });
    await c.ready();
  });
  after(async () => {
    await c.stop();
    ws.dispose();
  });

  it('an unchanged workspace has nothing against HEAD', async () => {
    const r = await c.request<DiffResult>('charter/diff', {});
    assert.equal(r.base, 'HEAD');
    assert.match(r.commit, /^[0-9a-f]{40}$/);
    assert.equal(r.headline, 'no change to access, schema or governance');
    assert.deepEqual([r.fields, r.schema, r.decorations, r.governance], [[], [], [], { introduced: [], resolved: [] }]);
  });

  it('an unsaved edit that exposes the email: deltas by field, decorations on the field, the rules that changed', async () => {
    c.open(orders.uri, orders.text);
    const edited = orders.text.replace('  rows where region == subject.region for analysts\n', '  rows where region == subject.region for analysts\n  allow read of customer_email to marketing-team\n').replace('  field currency: string\n', '');
    c.replaceAll(orders.uri, edited);
    const r = await c.request<DiffResult>('charter/diff', { base: 'HEAD' });
    assert.match(r.headline, /^exposes sales\.orders\.customer_email to 2 principals masked;/);
    assert.match(r.headline, /1 breaking change without a major version bump/);
    const email = r.fields.find((b) => b.label === 'sales.orders.customer_email')!;
    assert.ok(email, r.fields.map((b) => b.label).join(', '));
    assert.equal(email.fields[0].location!.uri, orders.uri);
    const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;
    assert.equal(email.fields[0].location!.range.start.line, lineOf(edited, 'customer_email: string'), 'the position in the unsaved text');
    const bot = email.lines.find((l) => l.who === 'campaign-bot')!;
    assert.deepEqual([bot.kind, bot.before, bot.after], ['exposure', 'denied', 'masked redact'], 'pii-baseline still redacts it for marketing');
    assert.deepEqual(bot.added.map((a) => [a.text, a.location.uri, a.location.range.start.line]), [
      ['mask with redact for everyone except owner, privacy-office', uriOf(path.join(ws.dir, 'governance/baseline-policies.charter')), 5],
      ['allow read of customer_email to marketing-team', orders.uri, lineOf(edited, 'allow read of customer_email')],
    ]);
  });

  it('decorations and schema follow the unsaved text; a new commit is a new base', async () => {
    const r = await c.request<DiffResult>('charter/diff', {});
    const deco = r.decorations.find((d) => d.uri === orders.uri && d.text.includes('campaign-bot'));
    assert.ok(deco, JSON.stringify(r.decorations.map((d) => d.text)));
    assert.equal(deco.kind, 'exposure');
    assert.match(deco.text, /campaign-bot: denied → masked redact/);
    assert.equal(r.counts.exposures, 2);
    const removed = r.schema.find((s) => s.change === 'field-removed')!;
    assert.deepEqual([removed.field, removed.breaking, removed.location], ['sales.orders.currency', true, undefined]);
    assert.match(r.markdown, /^<!-- charter-diff -->\n### Charter: /);
    // Undo the edit: nothing left.
    c.replaceAll(orders.uri, orders.text);
    const back = await c.request<DiffResult>('charter/diff', {});
    assert.equal(back.headline, 'no change to access, schema or governance');
    // Redo it, save and commit it: HEAD moved, so the base is read again, and matches.
    c.replaceAll(orders.uri, orders.text.replace('  field currency: string\n', ''));
    writeFileSync(orders.file, orders.text.replace('  field currency: string\n', ''));
    git(ws.dir, 'commit', '-qam', 'drop currency');
    const moved = await c.request<DiffResult>('charter/diff', {});
    assert.notEqual(moved.commit, r.commit);
    assert.equal(moved.headline, 'no change to access, schema or governance');
    const old = await c.request<DiffResult>('charter/diff', { base: 'HEAD~1' });
    assert.deepEqual(old.schema.map((x) => `${x.change} ${x.field}`), ['field-removed sales.orders.currency']);
  });

  it('an unknown revision is a clear error', async () => {
    await assert.rejects(c.request('charter/diff', { base: 'no-such-branch' }), /unknown revision 'no-such-branch'/);
  });
});

describe('charter/diff outside a git repository', () => {
  it('says the folder is not in a git repository', async () => {
    const ws = copyFolder(path.join(repo, 'examples'));
    const c = await startServer({ root: ws.dir });
    try {
      await c.ready();
      await assert.rejects(c.request('charter/diff', {}), /is not in a git repository/);
    } finally {
      await c.stop();
      ws.dispose();
    }
  });
});
