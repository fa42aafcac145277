// `charter export odcs`: one ODCS v3.1.0 data contract per Charter contract,
// valid against the official JSON schema. Charter-only facts travel in
// `customProperties` (charterTags: where each tag came from; charterPolicies:
// the policies that cover the contract; charterSource; charterUnset: required
// ODCS values Charter does not have), so `charter import odcs` gives the same
// contracts back. docs/interop.md has the mapping table.

import type * as A from '../ast';
import type { Model } from '../model/types';
import { contractViews, type ContractView, type FieldView, type TagView } from './contract-view';
import { durationToOdcs } from './odcs-sla';
import { toYaml } from './yaml';

export const ODCS_API_VERSION = 'v3.1.0';

export interface OdcsExportOptions {
  /** The name shown for a file of the model (relative to the workspace). */
  fileName?: (uri: string) => string;
}

export interface OdcsExportFile {
  /** `sales.orders.odcs.yaml`. */
  name: string;
  contract: string;
  /** The ODCS document as data. */
  doc: Record<string, unknown>;
  /** The YAML text. */
  text: string;
}

type Obj = Record<string, unknown>;

const LOGICAL: Record<string, string> = { string: 'string', uuid: 'string', int: 'integer', decimal: 'number', bool: 'boolean', date: 'date', timestamp: 'timestamp', json: 'object' };

/** A Charter type as ODCS logicalType (+ options, + items for lists). */
function typeOf(t: A.TypeRef | undefined): Obj {
  if (!t) return { logicalType: 'string' };
  if (t.name.text === 'list' && t.element) return { logicalType: 'array', items: typeOf(t.element) };
  const lt = LOGICAL[t.name.text] ?? 'string';
  return t.name.text === 'uuid' ? { logicalType: lt, logicalTypeOptions: { format: 'uuid' } } : { logicalType: lt };
}

/** The single ODCS classification: the most sensitive effective tag (highest level; declared before inherited; then by name). */
function classificationOf(tags: TagView[]): string | undefined {
  let best: TagView | undefined;
  for (const t of tags) if (!best || (t.level ?? -1) > (best.level ?? -1)) best = t;
  return best?.tag;
}

function property(f: FieldView, keyPosition: number | undefined): Obj {
  const p: Obj = { name: f.name, ...typeOf(f.type) };
  if (keyPosition !== undefined) {
    p.primaryKey = true;
    p.primaryKeyPosition = keyPosition;
  }
  if (f.required) p.required = true;
  if (f.unique) p.unique = true;
  if (f.doc) p.description = f.doc;
  if (f.tags.length) {
    p.classification = classificationOf(f.tags);
    p.tags = f.tags.map((t) => t.tag);
  }
  if (f.sources.length) {
    p.transformSourceObjects = f.sources;
    p.transformLogic = `${f.transform}(${f.sources.join(', ')})`;
  }
  if (f.tags.length) {
    p.customProperties = [
      {
        property: 'charterTags',
        value: f.tags.map((t) => ({ tag: t.tag, declared: t.declared, protected: t.protected, from: t.from })),
        description: 'Effective Charter tags: declared on the field, or inherited through lineage (protected: only through hash, tokenize, encrypt or mask).',
      },
    ];
  }
  return p;
}

function slaProperty(key: string, v: A.Literal | A.Name): Obj {
  if (!('kind' in v)) return { property: key, value: v.text };
  switch (v.kind) {
    case 'duration':
      return { property: key, ...durationToOdcs(v.text) };
    case 'percent':
      return { property: key, value: v.value, unit: '%' };
    case 'number':
    case 'string':
    case 'bool':
      return { property: key, value: v.value };
    case 'list':
      return { property: key, value: v.items.map((i) => ('text' in i ? i.text : String((i as { value: unknown }).value))).join(', ') };
    default:
      return { property: key, value: 'text' in v ? v.text : String(v.value) };
  }
}

export function odcsDocument(c: ContractView): Obj {
  const unset: string[] = [];
  const version = c.version && /^\d+(\.\d+){0,2}$/.test(c.version) ? c.version : (unset.push('version'), '0.0.0');
  const status = c.status ?? (unset.push('status'), 'draft');
  let position = 0;
  const object: Obj = { name: c.product };
  if (c.source?.location !== undefined) object.physicalName = c.source.location;
  if (c.doc) object.description = c.doc;
  object.properties = c.fields.map((f) => property(f, f.key ? ++position : undefined));
  if (c.source) object.customProperties = [{ property: 'charterSource', value: { system: c.source.system, ...(c.source.location !== undefined ? { location: c.source.location } : {}) }, description: 'The Charter `source`: system and location.' }];

  const doc: Obj = {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: `urn:charter:contract:${c.name}`,
    name: c.product,
    version,
    status,
    domain: c.domain,
    schema: [object],
  };
  if (c.owner) doc.team = c.ownerDescription ? { name: c.owner, description: c.ownerDescription } : { name: c.owner };
  if (c.sla.length) doc.slaProperties = c.sla.map((s) => slaProperty(s.key, s.value));
  const custom: Obj[] = [];
  if (c.policies.length) {
    custom.push({
      property: 'charterPolicies',
      value: c.policies.map((p) => ({ policy: p.name, on: p.target, file: p.file, line: p.line, ...(p.doc ? { description: p.doc } : {}), rules: p.rules })),
      description: 'The Charter access policies that cover this contract (or some of its fields); Charter decides with all of them together.',
    });
  }
  if (unset.length) custom.push({ property: 'charterUnset', value: unset, description: 'Required by ODCS but not set in Charter: the values above are placeholders.' });
  custom.push({ property: 'charterContract', value: c.name, description: `Declared in ${c.file}:${c.line}.` });
  doc.customProperties = custom;
  return doc;
}

export function exportOdcs(model: Model, opts: OdcsExportOptions = {}): OdcsExportFile[] {
  return contractViews(model, opts.fileName).map((c) => {
    const doc = odcsDocument(c);
    const text = `# ODCS ${ODCS_API_VERSION} data contract exported by \`charter export odcs\` from ${c.file} (contract ${c.name}).\n` + toYaml(doc);
    return { name: `${c.name}.odcs.yaml`, contract: c.name, doc, text };
  });
}
