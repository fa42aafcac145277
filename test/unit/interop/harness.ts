// Shared by the interop tests: the official schemas (ODCS, OpenLineage) as
// ajv validators, the example workspace, and a comparable snapshot of a model.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { analyze, type Model } from '../../../grammar/index';

/** Copies of the official schemas (test/fixtures/schemas/README.md). */
export const SCHEMAS = path.resolve('test/fixtures/schemas');
export const ODCS_EXAMPLES = path.join(SCHEMAS, 'odcs/examples');

/** The ODCS v3.1.0 JSON schema (draft 2019-09, with formats). */
export function odcsValidator(): ValidateFunction<any> {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(SCHEMAS, 'odcs/odcs-json-schema-v3.1.0.json'), 'utf8')));
}

/** The OpenLineage event schema and one validator per facet schema (which reference the core spec by $id). */
export function openLineageValidators(): { event: ValidateFunction<any>; facets: Map<string, ValidateFunction<any>> } {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const core = JSON.parse(readFileSync(path.join(SCHEMAS, 'openlineage/OpenLineage.json'), 'utf8'));
  ajv.addSchema(core);
  const facets = new Map<string, ValidateFunction<any>>();
  for (const f of readdirSync(path.join(SCHEMAS, 'openlineage/facets'))) {
    const s = JSON.parse(readFileSync(path.join(SCHEMAS, 'openlineage/facets', f), 'utf8'));
    const key = Object.keys(s.properties)[0];
    facets.set(key, ajv.compile(s));
  }
  return { event: ajv.getSchema(core.$id)!, facets };
}

export function errorsOf(v: ValidateFunction<any>): string {
  return JSON.stringify(v.errors?.slice(0, 5), null, 1);
}

/** The example workspace without examples/mistakes/ (a model without errors). */
export function exampleFiles(): { uri: string; text: string; central?: boolean }[] {
  const root = path.resolve('examples');
  const out: { uri: string; text: string; central?: boolean }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir).sort()) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) {
        if (e !== 'mistakes') walk(p);
      } else if (e.endsWith('.charter')) {
        const rel = path.relative(root, p).split(path.sep).join('/');
        out.push({ uri: rel, text: readFileSync(p, 'utf8'), central: rel.startsWith('governance/') });
      }
    }
  };
  walk(root);
  return out;
}

export function errorsIn(files: { uri: string; text: string; central?: boolean }[]): string[] {
  const a = analyze(files, { today: '2026-12-01' });
  return a.model.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}: ${d.code}: ${d.message}`);
}

/** What the round trip keeps, per contract: fields, types, modifiers, tags (declared and effective), lineage, SLA, owner, version, status, source. */
export function snapshot(m: Model): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of [...m.contracts.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const lit = (k: string) => {
      const v = c.properties.get(k);
      if (!v) return undefined;
      if (!('kind' in v)) return v.text;
      return 'text' in v ? v.text : JSON.stringify((v as { value: unknown }).value);
    };
    out[c.name] = {
      version: lit('version'),
      status: lit('status'),
      owner: c.owner,
      source: c.decl.source ? `${c.decl.source.system.text} ${lit('source') ?? ''} ${c.decl.source.location && 'value' in c.decl.source.location ? c.decl.source.location.value : ''}` : undefined,
      sla: (c.decl.sla?.entries ?? []).map((e) => `${e.key.text} ${e.value && ('text' in e.value ? e.value.text : JSON.stringify((e.value as { value: unknown }).value))}`),
      fields: [...c.fields.values()].map((f) => ({
        name: f.name,
        type: f.type,
        key: f.decl.key,
        required: f.decl.required,
        unique: f.decl.unique,
        declared: [...f.declaredTags].sort(),
        effective: [...f.tags.values()].map((t) => `${t.tag}${t.protected ? ' (protected)' : ''}`).sort(),
        from: f.sources.map((s) => s.qname),
        via: f.transform,
      })),
    };
  }
  return out;
}
