// What a reviewer reads: the headline, principals collapsed by group, the
// contexts in a few words, Markdown that is a safe pull-request comment.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, contextsText, diffAnalyses, renderMarkdown, renderText, summarize, type AttrValue, type Where } from '../../grammar/index';

const MESH = `
group analysts
group owners
group privacy-office
context attributes {
  mfa: bool
  device: "managed" | "byod"
}
principal alice { member of analysts }
principal bob { member of analysts }
principal bea { member of analysts }
principal olga { member of owners }
principal pia { member of privacy-office }
domain sales { owner owners }
classification pii
contract sales.orders {
  version 2.1.0
  field id: uuid key
  field customer_email: string tagged pii
  field currency: string
}
`;

const POLICY = `policy p on sales.orders {
  allow read to owner, analysts, privacy-office
  mask customer_email with hash for analysts
  mask customer_email with redact for privacy-office
}
`;

const run = (text: string) => analyze([{ uri: '/ws/a.charter', text }], { today: '2026-11-23' });
const where: Where = { at: (side, file, offset) => `${side}:${file.split('/').pop()}@${offset}` };
const opts = { base: 'HEAD (abc1234)', head: 'the working tree' };

test('headline, then principals collapsed by group with the contexts where each change holds', () => {
  const before = run(MESH + POLICY);
  const after = run(
    MESH.replace('  field currency: string\n', '') +
      POLICY.replace('  mask customer_email with hash for analysts\n', '  mask customer_email with hash for analysts when not context.mfa\n').replace('for privacy-office\n', 'for privacy-office when context.device == "byod"\n'),
  );
  const s = summarize(diffAnalyses(before, after));
  assert.equal(s.headline, 'exposes sales.orders.customer_email to 4 principals in clear; 1 breaking change without a major version bump');
  const email = s.fields.find((f) => f.field === 'sales.orders.customer_email')!;
  assert.deepEqual(
    email.lines.map((l) => `${l.kind} ${l.who}: ${l.before?.decision}${l.before?.mask ? ' ' + l.before.mask : ''} → ${l.after?.decision} ${l.when}`),
    ['exposure analysts (3 principals): masked hash → clear mfa=true', 'exposure pia: masked redact → clear device=managed'],
  );
  const currency = s.fields.find((f) => f.field === 'sales.orders.currency')!;
  assert.equal(currency.lines[0].who, 'everyone (5 principals)');
  const text = renderText(s, where, opts);
  assert.match(text, /^exposes sales\.orders\.customer_email to 4 principals in clear; 1 breaking/);
  assert.match(text, /\n {4}exposure {5}analysts \(3 principals\): masked hash → clear when mfa=true\n/);
  assert.match(text, /\n {17}- mask customer_email with hash for analysts {2}\(at base: before:a\.charter@\d+\)\n/);
  assert.match(text, /field-removed {4}BREAKING {2}field sales\.orders\.currency removed: breaking change without a major version bump/);
});

test('nothing changed: one line that says so', () => {
  const a = run(MESH + POLICY);
  const s = summarize(diffAnalyses(a, run(MESH + POLICY)));
  assert.equal(s.empty, true);
  assert.equal(s.headline, 'no change to access, schema or governance');
  assert.match(renderMarkdown(s, where, opts), /^<!-- charter-diff -->\n### Charter: no change to access, schema or governance\n/);
});

test('contexts in a few words', () => {
  const finite = new Map<string, AttrValue[]>([
    ['device', ['managed', 'byod']],
    ['mfa', [true, false]],
    ['purpose', ['audit', 'support', 'analytics']],
  ]);
  const all: Map<string, AttrValue>[] = [];
  for (const device of ['managed', 'byod']) for (const mfa of [true, false]) for (const purpose of ['audit', 'support', 'analytics']) all.push(new Map<string, AttrValue>([['device', device], ['mfa', mfa], ['purpose', purpose]]));
  const where = (f: (c: Map<string, AttrValue>) => boolean) => contextsText(all.filter(f), finite);
  assert.equal(where(() => true), '');
  assert.equal(where((c) => c.get('mfa') === true), 'mfa=true');
  assert.equal(where((c) => c.get('mfa') === true && c.get('device') === 'managed'), 'device=managed, mfa=true');
  assert.equal(where((c) => c.get('purpose') !== 'analytics'), 'purpose is audit or support');
  assert.equal(where((c) => c.get('mfa') === true || c.get('device') === 'byod'), '(device=managed, mfa=true) or (device=byod)');
  assert.equal(contextsText([new Map()], new Map()), '');
  assert.equal(contextsText([new Map([['device', 'managed']])], new Map<string, AttrValue[]>([['device', ['managed', 'byod']], ['mfa', [true, false]]])), 'device=managed, mfa unset');
});

test('Markdown: a pull-request comment with collapsible details; user text cannot break the table or inject HTML', () => {
  const before = run(MESH + POLICY);
  const after = run(MESH + POLICY.replace('  allow read to owner, analysts, privacy-office\n', '  allow read to owner, analysts, privacy-office\n  rows where currency != "a|b<script>" for analysts\n'));
  const md = renderMarkdown(summarize(diffAnalyses(before, after)), where, opts);
  assert.match(md, /^<!-- charter-diff -->\n### Charter: changes the rows of sales\.orders\.currency and 2 more fields for 3 principals\n/);
  assert.match(md, /\n\| Change \| Field \| Who \| Before → after \| When \|\n\|---\|---\|---\|---\|---\|\n/);
  assert.match(md, /\| rows \| `sales\.orders\.\{currency, id\}` \| analysts \(3 principals\) \| clear → clear \(rows currency != "a\\\|b&lt;script&gt;"\) \| always \|/);
  assert.match(md, /\| rows \| `sales\.orders\.customer_email` \| analysts \(3 principals\) \| masked hash → masked hash \(rows currency != "a\\\|b&lt;script&gt;"\) \| always \|/);
  assert.match(md, /<details><summary>Why: the rules behind each change<\/summary>/);
  // Code spans show their text literally; outside them, no raw HTML from user text.
  assert.ok(!md.replace(/(`+)[^`]*?\1/g, '').includes('<script>'), 'no raw HTML from user text');
  for (const line of md.split('\n').filter((l) => l.startsWith('| rows'))) assert.equal(line.split(/(?<!\\)\|/).length, 7, `five cells: ${line}`);
});
