// Differential test of the Cedar export: random Charter models (groups,
// principals with attributes, subject/context schemas of every attribute
// type, contracts with tagged fields and lineage, policies of every target
// and rule form with random conditions that often lack attributes) and random
// requests; Charter's evaluator and Cedar (cedar-wasm, running the export)
// must give the same answer: the decision, the rules behind it, the masks and
// the row filters. A disagreement is shrunk to the smallest model that shows
// it and printed with the request and both answers.
//
//   CHARTER_DIFF_SEED=123 CHARTER_DIFF_CASES=50000 node --import tsx --test test/unit/cedar-differential.test.ts

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportCedar } from '../../grammar/export/cedar';
import {
  buildSpec,
  cedarFor,
  defaultCheck,
  describeFailure,
  disagrees,
  generate,
  genRequest,
  prng,
  render,
  shrink,
  verdict,
  type CheckFactory,
  type GRequest,
  type GSpec,
} from './cedar-harness';

const SEED = Number(process.env.CHARTER_DIFF_SEED ?? 20261123);
const CASES = Number(process.env.CHARTER_DIFF_CASES ?? 6000);
const PER_MODEL = 20;

test(`Charter and Cedar agree on ${CASES} random requests (seed ${SEED}; CHARTER_DIFF_SEED, CHARTER_DIFF_CASES)`, (t) => {
  assert.ok(Number.isInteger(SEED) && Number.isInteger(CASES) && CASES > 0, 'CHARTER_DIFF_SEED and CHARTER_DIFF_CASES are integers');
  const r = prng(SEED);
  const tally = { models: 0, skipped: 0, allow: 0, deny: 0, explicitDeny: 0, masked: 0, rows: 0 };
  let cases = 0;
  const start = Date.now();
  while (cases < CASES) {
    const spec = generate(r);
    const model = buildSpec(spec);
    if (!model) {
      // The generator aims at valid models; a few (a column of another type...) are not.
      tally.skipped++;
      assert.ok(tally.skipped < 100 + tally.models, 'the generator makes too many invalid models');
      continue;
    }
    tally.models++;
    const check = defaultCheck(model, spec);
    assert.deepEqual(check.problems, [], `the export of this model does not validate:\n${render(spec)}`);
    for (let i = 0; i < PER_MODEL && cases < CASES; i++) {
      const req = genRequest(r, spec);
      const v = verdict(model, check, req);
      if (!v) continue;
      cases++;
      if (disagrees(v)) assert.fail(describeFailure(shrink(spec, req)));
      const a = v.charter;
      if (a.decision === 'deny') {
        tally.deny++;
        if (a.reasons.length) tally.explicitDeny++;
      } else {
        tally.allow++;
        if (a.mask) tally.masked++;
        if (a.rows?.length) tally.rows++;
      }
    }
  }
  t.diagnostic(`${cases} cases on ${tally.models} models (${tally.skipped} invalid ones skipped) in ${Date.now() - start} ms: ${tally.allow} allowed (${tally.masked} masked, ${tally.rows} with row filters), ${tally.deny} denied (${tally.explicitDeny} by a deny rule)`);
  // The run means something only if every outcome is common.
  if (CASES >= 1000) {
    for (const k of ['allow', 'deny', 'explicitDeny', 'masked', 'rows'] as const) assert.ok(tally[k] > CASES / 100, `too few '${k}' cases: ${tally[k]}`);
  }
});

/** The first failing case of a run with a deliberately broken translation. */
function firstFailure(check: CheckFactory, seed: number): [GSpec, GRequest] {
  const r = prng(seed);
  for (let n = 0; n < 500; n++) {
    const spec = generate(r);
    const model = buildSpec(spec);
    if (!model) continue;
    const c = check(model, spec);
    for (let i = 0; i < PER_MODEL; i++) {
      const req = genRequest(r, spec);
      if (disagrees(verdict(model, c, req))) return [spec, req];
    }
  }
  throw new Error('the broken translation was never caught');
}

test('a disagreement is shrunk to a small model (with a deliberately broken export)', () => {
  // Break the classification hierarchy: pii.email is no longer a kind of pii in Cedar.
  const broken: CheckFactory = (m, s) => {
    const ex = exportCedar(m, { numbers: s.numbers });
    for (const e of ex.entities) if (e.uid.type === 'Charter::Tag') e.parents = [];
    return cedarFor(m, ex);
  };
  const [spec, req] = firstFailure(broken, 3);
  const f = shrink(spec, req, broken);
  const text = describeFailure(f);
  assert.match(text, /^Charter and Cedar disagree\. Smallest model:/);
  assert.match(text, /request: principal \S+, field \S+, context/);
  assert.match(text, /\ncharter: .*\ncedar: {3}/);
  // One policy on a parent tag, one field carrying a child tag, nothing else of note.
  const source = f.source;
  assert.equal(source.match(/^policy /gm)?.length, 1, source);
  assert.match(source, /on fields tagged/);
  assert.equal(source.match(/^ {2}field /gm)?.length, 1, source);
  assert.ok(source.split('\n').length <= render(spec).split('\n').length / 2, source);
  assert.ok(!/^ {2}(member of|[a-z-]+ ")/m.test(source), `principals keep no groups or attributes:\n${source}`);
});

test('a broken fail-closed translation is caught (forbid when F instead of unless F)', () => {
  const broken: CheckFactory = (m, s) => {
    const ex = exportCedar(m, { numbers: s.numbers });
    for (const p of ex.policyList) p.text = p.text.replace('unless {', 'when {');
    return cedarFor(m, ex);
  };
  const [spec, req] = firstFailure(broken, 1);
  const f = shrink(spec, req, broken);
  assert.equal(f.source.match(/^policy /gm)?.length, 1, f.source);
  assert.match(f.source, /^ {2}(deny|mask) .* when /m);
});
