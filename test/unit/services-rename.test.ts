// Go to definition, references and rename across files, including the
// qualified names that contain a renamed domain, contract or classification.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referencesTo, symbolAt } from '../../grammar/services/locate';
import { applyEdits, prepareRename, renameEdits } from '../../grammar/services/rename';
import { analysis, BASE } from './helpers';

const FILES = {
  'sales.charter': `contract sales.orders {
  owner sales-data
  field customer_email: string tagged pii.email from crm.customers.email
  field email_hash: string from crm.customers.email via hash
}
policy orders-for-analysts on sales.orders {
  allow read to analysts when subject.region == "EU"
  mask customer_email with hash for analysts
}
policy all-sales on sales.* {
  allow read to owner
}
`,
  'waivers.charter': `governance g {
  rule pii-masked error {
    every field tagged pii must be masked for everyone except owner
  }
}
waiver w for rule pii-masked on sales.orders.customer_email {
  reason "legacy"
}
test t {
  expect alice sees sales.orders.customer_email masked
}
`,
};

const a = analysis(BASE, FILES);
const m = a.model;
const at = (file: string, needle: string, delta = 0) => {
  const text = file === 'main.charter' ? BASE : FILES[file as keyof typeof FILES];
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + delta;
};
function rename(file: string, offset: number, to: string): Record<string, string> {
  const r = renameEdits(m, file, offset, to);
  if ('error' in r) throw new Error(r.error);
  const out: Record<string, string> = {};
  for (const f of new Set(r.edits.map((e) => e.file))) out[f] = applyEdits(m.files.get(f)!.text, r.edits.filter((e) => e.file === f));
  return out;
}

test('the symbol under the cursor; the innermost name wins', () => {
  assert.equal(symbolAt(m, 'sales.charter', at('sales.charter', 'to analysts', 5))?.sym.name, 'analysts');
  assert.equal(symbolAt(m, 'sales.charter', at('sales.charter', 'contract sales.orders', 10))?.sym.kind, 'domain');
  assert.equal(symbolAt(m, 'sales.charter', at('sales.charter', 'contract sales.orders', 16))?.sym.kind, 'contract');
  const end = symbolAt(m, 'sales.charter', at('sales.charter', 'to analysts', 11));
  assert.equal(end?.sym.name, 'analysts', 'a cursor right after a name still counts');
  assert.equal(symbolAt(m, 'sales.charter', at('sales.charter', 'allow read', 2)), undefined);
});

test('references of a field include qualified names in other files', () => {
  const f = m.fields.get('sales.orders.customer_email')!;
  const refs = referencesTo(m, f).map((l) => `${l.file}:${m.files.get(l.file)!.text.slice(l.range.start, l.range.end)}`);
  assert.deepEqual(refs.sort(), ['sales.charter:customer_email', 'waivers.charter:customer_email', 'waivers.charter:sales.orders.customer_email'].sort());
});

test('renaming a field renames the last segment of qualified names', () => {
  const out = rename('sales.charter', at('sales.charter', 'field customer_email', 8), 'email');
  assert.match(out['sales.charter'], /field email: string/);
  assert.match(out['sales.charter'], /mask email with hash/);
  assert.match(out['waivers.charter'], /on sales\.orders\.email \{/);
  assert.match(out['waivers.charter'], /expect alice sees sales\.orders\.email masked/);
});

test('renaming a domain rewrites every name that contains it', () => {
  const out = rename('main.charter', at('main.charter', 'domain sales', 8), 'shop');
  assert.match(out['main.charter'], /domain shop \{ owner sales-data \}/);
  assert.match(out['sales.charter'], /contract shop\.orders \{/);
  assert.match(out['sales.charter'], /policy orders-for-analysts on shop\.orders \{/);
  assert.match(out['sales.charter'], /policy all-sales on shop\.\* \{/);
  assert.match(out['waivers.charter'], /on shop\.orders\.customer_email \{/);
  assert.match(out['waivers.charter'], /sees shop\.orders\.customer_email masked/);
  assert.ok(!out['main.charter'].includes('crm.') || out['main.charter'].includes('domain crm'), 'other domains untouched');
});

test('renaming a contract, and a classification with its children', () => {
  const out = rename('sales.charter', at('sales.charter', 'on sales.orders {', 10), 'sales.purchases');
  assert.match(out['sales.charter'], /contract sales\.purchases \{/);
  assert.match(out['waivers.charter'], /on sales\.purchases\.customer_email/);
  const k = rename('main.charter', at('main.charter', 'classification pii {', 16), 'personal');
  assert.match(k['main.charter'], /classification personal \{ level 3 \}/);
  assert.match(k['main.charter'], /classification personal\.email \{ level 3 \}/);
  assert.match(k['sales.charter'], /tagged personal\.email from/);
  assert.match(k['waivers.charter'], /every field tagged personal must be masked/);
});

test('renaming refuses invalid, reserved, taken and ill-formed names', () => {
  const g = at('sales.charter', 'to analysts', 5);
  const err = (file: string, off: number, to: string) => {
    const r = renameEdits(m, file, off, to);
    assert.ok('error' in r, `expected '${to}' to be refused`);
    return r.error;
  };
  assert.match(err('sales.charter', g, 'two words'), /not a valid name/);
  assert.match(err('sales.charter', g, '9lives'), /not a valid name/);
  assert.match(err('sales.charter', g, 'a.b'), /has no dots/);
  assert.match(err('sales.charter', g, 'everyone'), /keyword/);
  assert.match(err('sales.charter', g, 'privacy-office'), /already exists/);
  const c = at('sales.charter', 'on sales.orders {', 10);
  assert.match(err('sales.charter', c, 'orders'), /<domain>\.<product>/);
  assert.match(err('sales.charter', c, 'nowhere.orders'), /Domain 'nowhere' is not declared/);
  assert.match(err('sales.charter', at('sales.charter', 'field email_hash', 8), 'customer_email'), /already has a field/);
  const p = prepareRename(m, 'sales.charter', at('sales.charter', 'allow read', 1));
  assert.ok('error' in p);
});
