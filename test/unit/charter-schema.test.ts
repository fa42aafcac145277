// schemas/charter.schema.json (what VS Code validates charter.json with)
// against the loader (host/workspace.ts readConfig, what the CLI and the
// server accept): on a few hundred generated charter.json files, JSON Schema
// validation (Ajv) passes exactly when the loader reports no config problem.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { readConfig, type LoadProblem } from '../../host/workspace';

const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../schemas/charter.schema.json'), 'utf8'));

test('the JSON schema of charter.json accepts exactly what the loader accepts', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  const values: unknown[] = [['**/*.charter'], [], 'x.charter', [1], [''], {}, null, true, 3];
  const contexts: unknown[] = [{}, { mfa: true }, { device: 'managed', n: 2 }, { x: null }, { x: [1] }, [], 'mfa', { a: { b: 1 } }];
  const simulations: unknown[] = [{}, { context: {} }, ...contexts.map((context) => ({ context })), { contexts: {} }, { context: {}, extra: 1 }, [], null, 'x'];
  const keys = ['include', 'governance', 'simulation', 'Governance', 'includes', 'other'];
  // A deterministic pseudo-random walk over combinations.
  let seed = 7;
  const rnd = (n: number) => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n | 0;
  };
  const docs: unknown[] = [{}, [], null, 'x', 1];
  for (let i = 0; i < 400; i++) {
    const doc: Record<string, unknown> = {};
    for (let k = 0, n = rnd(4); k < n; k++) {
      const key = keys[rnd(keys.length)];
      doc[key] = key === 'simulation' ? simulations[rnd(simulations.length)] : values[rnd(values.length)];
    }
    docs.push(doc);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-schema-'));
  let valid = 0;
  try {
    for (const doc of docs) {
      writeFileSync(path.join(dir, 'charter.json'), JSON.stringify(doc));
      const problems: LoadProblem[] = [];
      readConfig(dir, problems);
      const loaderOk = !problems.some((p) => p.code === 'config');
      const schemaOk = validate(doc) as boolean;
      if (schemaOk) valid++;
      assert.equal(schemaOk, loaderOk, `${JSON.stringify(doc)}: schema ${schemaOk ? 'accepts' : 'rejects'} (${ajv.errorsText(validate.errors)}), loader ${loaderOk ? 'accepts' : `rejects: ${problems.map((p) => p.message).join('; ')}`}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(valid > 20 && valid < docs.length - 20, `both kinds are exercised (${valid} of ${docs.length} valid)`);
});
