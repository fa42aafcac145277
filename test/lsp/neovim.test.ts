// A third-party LSP client: Debian's Neovim (0.7) headless, with its built-in
// LSP client configured by test/lsp/neovim/init.lua (vim.lsp.start_client +
// vim.lsp.buf_attach_client), talking to `charter lsp --stdio`. The Lua
// script writes what Neovim saw (vim.diagnostic.get(), a hover, a completion,
// diagnostics after buffer edits) to a file; this test reads it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyFolder, repo } from './client';
import { examples } from './fixtures';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });

test('Neovim (built-in LSP client) gets diagnostics, hover, completion and live updates from charter lsp --stdio', { skip: nvim.status !== 0 ? 'nvim is not installed (apt-get install neovim)' : false }, () => {
  const ws = copyFolder(examples);
  const tmp = mkdtempSync(path.join(tmpdir(), 'charter-nvim-'));
  try {
    const out = path.join(tmp, 'out.txt');
    const file = path.join(ws.dir, 'mistakes', 'deliberate-mistakes.charter');
    const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(repo, 'test/lsp/neovim/init.lua')], {
      cwd: ws.dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: tmp,
        XDG_DATA_HOME: tmp,
        XDG_STATE_HOME: tmp,
        CHARTER_CMD: JSON.stringify([process.execPath, path.join(repo, 'dist', 'cli.cjs'), 'lsp', '--stdio']),
        CHARTER_ROOT: ws.dir,
        CHARTER_FILE: file,
        CHARTER_OUT: out,
      },
    });
    const lines = readFileSync(out, 'utf8').split('\n');
    const text = lines.join('\n');
    assert.equal(r.status, 0, `nvim exited ${r.status}: ${r.stderr}\n${text}`);
    assert.ok(lines.includes('diagnostics-arrived true'), text);
    // What vim.diagnostic.get() returned for the buffer.
    assert.ok(lines.some((l) => /^diag \d+:\d+ unknown-group unknown group 'analyst'; did you mean 'analysts'\?$/.test(l)), text);
    assert.ok(lines.some((l) => /^diag \d+:\d+ syntax expected ':' after field name/.test(l)), text);
    assert.ok(lines.some((l) => /^diag \d+:\d+ rule:pii-retention /.test(l)), text);
    assert.ok(lines.some((l) => /^diag \d+:\d+ duplicate group 'sandbox-testers' is already declared/.test(l)), text);
    // Hover on `allow` explains the rule.
    assert.ok(lines.some((l) => /^hover .*Allows members of analyst to read every field of sandbox\.leads/.test(l)), text);
    // Completion after `member of ` offers the groups.
    const completion = lines.find((l) => l.startsWith('completion '))!;
    assert.ok(completion.split(' ')[1].split(',').includes('analysts'), completion);
    // Edits in the buffer reach the server and the diagnostics follow.
    assert.ok(lines.includes('syntax-fixed true'), text);
    assert.ok(lines.includes('duplicate-gone true'), text);
    assert.ok(lines.some((l) => /^after .*unknown group 'analyst'/.test(l)), 'the other mistakes are still reported:\n' + text);
  } finally {
    ws.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
});
