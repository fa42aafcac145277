// charter/exportSql through the real server: what "Charter: Export
// Enforcement SQL…" opens is what `charter export <engine>` prints, and a
// model with errors is refused with the reasons, not exported.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, type LspClient } from './client';
import { examples } from './fixtures';
import { charter } from '../cli/run';

const MESH = path.resolve('test/fixtures/sql-export/mesh');

describe('charter/exportSql', () => {
  let c: LspClient;
  let broken: LspClient;
  before(async () => {
    c = await startServer({ root: MESH });
    await c.ready();
    broken = await startServer({ root: examples });
    await broken.ready();
  });
  after(async () => {
    await c.stop();
    await broken.stop();
  });

  it('answers the same SQL as the CLI, for each engine', async () => {
    for (const engine of ['postgres', 'snowflake', 'databricks']) {
      const r = (await c.request('charter/exportSql', { engine })) as { script: string; files: { name: string }[]; errors: string[]; skipped: string[] };
      assert.deepEqual(r.errors, []);
      const cli = charter(['export', engine, MESH]);
      assert.equal(cli.status, 0, cli.stderr);
      assert.equal(r.script, cli.stdout, `${engine}: the editor and the CLI agree`);
      assert.equal(r.files[0].name.slice(0, 4), '000-');
      assert.equal(r.skipped.length, 2);
    }
  });

  it('refuses a model with errors and says why; an unknown engine is invalid params', async () => {
    const r = (await broken.request('charter/exportSql', { engine: 'postgres' })) as { script: string; errors: string[] };
    assert.equal(r.script, '');
    assert.match(r.errors[0], /the model has \d+ errors: fix them first/);
    assert.ok(r.errors.some((e) => /deliberate-mistakes\.charter:\d+: unknown group 'analyst'/.test(e)), r.errors.join('\n'));
    await assert.rejects(broken.request('charter/exportSql', { engine: 'oracle' }), /engine is one of postgres, snowflake, databricks/);
  });
});
