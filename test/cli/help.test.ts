// `charter COMMAND --help`: every command of the general usage has a help
// page with its usage, its options and its exit codes; every option it
// names is one the command really accepts (checked against the command's own
// argument parser), and every option of its usage line is explained.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charter } from './run';

const usage = charter(['--help']).stdout;
const commands = [...new Set([...usage.matchAll(/^ {2}charter ([a-z][\w-]*)/gm)].map((m) => m[1]))];

test('the general usage lists the commands and how to get help on one', () => {
  assert.ok(commands.length >= 8, commands.join(' '));
  assert.match(usage, /charter COMMAND --help/);
});

for (const cmd of commands) {
  test(`charter ${cmd} --help`, () => {
    const r = charter([cmd, '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, new RegExp(`Usage:[\\s\\S]*charter ${cmd}\\b`));
    assert.match(r.stdout, /Exit codes: 0 /);
    assert.deepEqual(charter(['help', cmd]).stdout, r.stdout, '`charter help CMD` is the same page');
    assert.deepEqual(charter([cmd, '-h']).stdout, r.stdout);
    // Every option of the command's usage line(s) is in its help page.
    const lines = usage.split('\n');
    const i = lines.findIndex((l) => l.startsWith(`  charter ${cmd}`));
    const usageLines = [lines[i], ...lines.slice(i + 1).filter((l, k, a) => /^ {10,}\[/.test(l) && a.slice(0, k).every((x) => /^ {10,}\[/.test(x)))];
    for (const opt of usageLines.join(' ').match(/--[a-z][\w-]*/g) ?? []) assert.ok(r.stdout.includes(opt), `${cmd} --help explains ${opt}`);
    // Every option the help page names is accepted by the command's parser.
    if (cmd === 'lsp') return; // it would start serving
    for (const opt of new Set(r.stdout.match(/--[a-z][\w-]*/g) ?? [])) {
      if (opt === '--help') continue;
      // `export` and `import` take a format first: the one whose usage line names the option.
      const sub = /^(export|import)$/.test(cmd) ? (new RegExp(`charter ${cmd} ([a-z|]+)[^\\n]*${opt}\\b`).exec(r.stdout)?.[1] ?? new RegExp(`charter ${cmd} ([a-z|]+)`).exec(r.stdout)?.[1])?.split('|')[0] : undefined;
      const args = sub ? [cmd, sub, opt, 'x', '/nonexistent-dir'] : [cmd, opt, 'x', '/nonexistent-dir'];
      const e = charter(args);
      assert.doesNotMatch(e.stderr, new RegExp(`Unknown option '${opt}'`), `${cmd} accepts ${opt}`);
    }
  });
}

test('help of an unknown command is a usage error', () => {
  const r = charter(['help', 'nope']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'nope'/);
});
