// Completion opens by itself after `owner `, `to `, `for `, `member of `,
// `from `, `tagged ` (space is a trigger character), and stays quiet after any
// other space; names come sorted by relevance (sortText): the current
// domain's first, names from the example's mistakes file last.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, uriOf, type LspClient } from './client';
import { examples } from './fixtures';

describe('completion on a typed space', () => {
  let c: LspClient;
  const uri = uriOf(path.join(examples, 'sales', 'scratch-trigger.charter'));

  before(async () => {
    c = await startServer({ root: examples });
    await c.ready();
    c.open(uri, '');
  });
  after(() => c.stop());

  it('advertises space as a trigger character', () => {
    assert.ok(c.initializeResult.capabilities.completionProvider.triggerCharacters.includes(' '));
  });

  const spaceAt = async (text: string) => {
    c.replaceAll(uri, text);
    const lines = text.split('\n');
    const r = await c.request('textDocument/completion', {
      textDocument: { uri },
      position: { line: lines.length - 1, character: lines[lines.length - 1].length },
      context: { triggerKind: 2, triggerCharacter: ' ' },
    });
    return (r.items as { label: string; sortText: string }[]).sort((a, b) => (a.sortText < b.sortText ? -1 : 1)).map((i) => i.label);
  };

  for (const [what, text, expected] of [
    ['owner', 'contract sales.scratch {\n  owner ', 'sales-data'],
    ['to', 'policy scratch on sales.orders {\n  allow read to ', 'analysts'],
    ['for', 'policy scratch on sales.orders {\n  mask customer_email with hash for ', 'analysts'],
    ['member of', 'principal scratch {\n  member of ', 'analysts'],
    ['from', 'contract sales.scratch {\n  field a: string from ', 'crm'],
    ['tagged', 'contract sales.scratch {\n  field a: string tagged ', 'pii.email'],
  ] as const) {
    it(`opens after "${what} "`, async () => {
      const labels = await spaceAt(text);
      assert.ok(labels.includes(expected), `${what}: ${labels.join(', ')}`);
    });
  }

  it('the current domain comes first, the mistakes file last', async () => {
    const owners = await spaceAt('contract sales.scratch {\n  owner ');
    assert.equal(owners[0], 'sales-data');
    assert.equal(owners[owners.length - 1], 'sandbox-testers', 'declared in mistakes/, which has errors');
    const from = await spaceAt('contract sales.scratch {\n  field a: string from ');
    assert.equal(from[0], 'sales');
    assert.equal(from[from.length - 1], 'sandbox');
  });

  it('stays quiet after other spaces', async () => {
    for (const text of ['contract sales.scratch {\n  field a: string ', 'contract ', 'policy scratch on sales.orders {\n  allow read ', '## a doc comment with words ']) {
      assert.deepEqual(await spaceAt(text), [], JSON.stringify(text));
    }
  });
});
