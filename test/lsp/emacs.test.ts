// A third-party LSP client: Debian's Emacs 28 with eglot 1.9, in batch mode,
// configured by the very elisp of docs/editor.md (extracted from the page, so
// the documented configuration is the tested one), talking to
// `charter lsp --stdio` through a `charter` on the PATH. test/lsp/emacs/run.el
// writes what Emacs saw (flymake diagnostics, a hover, completion) to a file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyFolder, repo } from './client';
import { examples } from './fixtures';

const emacs = spawnSync('emacs', ['--batch', '--eval', '(progn (require (quote eglot)) (princ emacs-version))'], { encoding: 'utf8' });
const skip = emacs.status !== 0 ? 'Emacs with eglot is not installed (bash .ci/install-deps.sh: emacs-nox elpa-eglot)' : false;

/** The ```elisp block of docs/editor.md. */
function documentedConfig(): string {
  const md = readFileSync(path.join(repo, 'docs', 'editor.md'), 'utf8');
  const m = /\*\*Emacs\*\*[^\n]*\n+```elisp\n([\s\S]*?)```/.exec(md);
  assert.ok(m, 'docs/editor.md has an Emacs configuration');
  return m[1];
}

test('Emacs (eglot) with the configuration of docs/editor.md gets diagnostics, hover and completion', { skip }, () => {
  const ws = copyFolder(examples);
  const tmp = mkdtempSync(path.join(tmpdir(), 'charter-emacs-'));
  try {
    // `charter` on the PATH, as the configuration expects.
    const bin = path.join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'charter'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(repo, 'dist', 'cli.cjs')}" "$@"\n`);
    chmodSync(path.join(bin, 'charter'), 0o755);
    const config = path.join(tmp, 'charter-config.el');
    writeFileSync(config, documentedConfig());
    const out = path.join(tmp, 'out.txt');
    writeFileSync(out, '');
    const r = spawnSync('emacs', ['--batch', '-q', '-l', path.join(repo, 'test/lsp/emacs/run.el')], {
      cwd: ws.dir,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: tmp, CHARTER_CONFIG: config, CHARTER_FILE: path.join(ws.dir, 'mistakes', 'deliberate-mistakes.charter'), CHARTER_OUT: out },
    });
    const text = readFileSync(out, 'utf8');
    const lines = text.split('\n');
    assert.equal(r.status, 0, `emacs exited ${r.status}:\n${r.stderr.slice(-3000)}\n${text}`);
    assert.ok(lines.includes('connected true'), text);
    assert.ok(lines.some((l) => l.startsWith('mode charter-mode root ') && l.includes(path.basename(ws.dir))), `the project root is the folder with charter.json:\n${text}`);
    assert.ok(lines.includes('diagnostics-arrived true'), text);
    assert.ok(lines.some((l) => /^diag \d+ .*unknown group 'analyst'; did you mean 'analysts'\?/.test(l)), text);
    assert.ok(lines.some((l) => /^diag \d+ .*expected ':' after field name/.test(l)), text);
    assert.ok(lines.some((l) => /^diag \d+ .*sla\.retention is 1095d/.test(l)), text);
    assert.ok(lines.some((l) => /^hover .*Allows members of analyst to read every field of sandbox\.leads/.test(l)), text);
    const completion = lines.find((l) => l.startsWith('completion ')) ?? '';
    assert.ok(completion.slice('completion '.length).split(',').includes('analysts'), completion);
  } finally {
    ws.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
});
