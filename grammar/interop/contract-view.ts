// The contracts of a model as plain data, for the printers that hand them
// to other tools (ODCS, OpenLineage): fields with their types and effective
// tags, lineage, service levels, owner, and the policies that cover each
// contract. Engine-neutral: nothing here knows a target format.

import type * as A from '../ast';
import { ruleText } from '../evaluator/decide';
import { targetText } from '../services/describe';
import { LineIndex } from '../text';
import { targetMatchesContract, targetMatchesField } from '../model/targets';
import type { ContractSym, FieldSym, Model, PolicySym, Transform } from '../model/types';

export interface TagView {
  tag: string;
  declared: boolean;
  /** Reached the field only through hash/tokenize/encrypt/mask. */
  protected: boolean;
  /** Source fields it came through. */
  from: string[];
  level?: number;
}

export interface FieldView {
  name: string;
  qname: string;
  type: A.TypeRef | undefined;
  typeText: string;
  key: boolean;
  required: boolean;
  unique: boolean;
  doc?: string;
  /** Effective tags, declared first. */
  tags: TagView[];
  /** Lineage sources (qualified), as written. */
  sources: string[];
  transform: Transform;
}

export interface SlaView {
  key: string;
  value: A.Literal | A.Name;
}

export interface PolicyView {
  name: string;
  target: string;
  file: string;
  /** 1-based. */
  line: number;
  doc?: string;
  /** Each rule on one line, as written. */
  rules: string[];
}

export interface ContractView {
  name: string;
  domain: string;
  product: string;
  file: string;
  line: number;
  doc?: string;
  version?: string;
  status?: string;
  owner?: string;
  ownerDescription?: string;
  source?: { system: string; location?: string };
  sla: SlaView[];
  fields: FieldView[];
  policies: PolicyView[];
}

function literalText(v: A.Literal | A.Name | undefined): string | undefined {
  if (!v) return undefined;
  if (!('kind' in v)) return v.text;
  if (v.kind === 'list') return undefined;
  if ('text' in v) return v.text;
  return String(v.value);
}

function joinDoc(...parts: (string | undefined)[]): string | undefined {
  const s = parts.filter((p) => p && p.trim()).map((p) => p!.trim());
  return s.length ? [...new Set(s)].join('\n\n') : undefined;
}

function fieldView(model: Model, f: FieldSym): FieldView {
  const d = f.decl;
  const tags = [...f.tags.values()]
    .sort((a, b) => Number(b.declared) - Number(a.declared) || a.tag.localeCompare(b.tag))
    .map((o) => ({ tag: o.tag, declared: o.declared, protected: o.protected, from: [...o.from], level: model.classifications.get(o.tag)?.level }));
  return {
    name: f.name,
    qname: f.qname,
    type: d.type,
    typeText: f.type,
    key: d.key,
    required: d.required,
    unique: d.unique,
    doc: joinDoc(d.doc, d.description?.value),
    tags,
    sources: d.from.map((q) => q.text),
    transform: f.transform,
  };
}

export function contractView(model: Model, c: ContractSym, fileName: (uri: string) => string, lines: (uri: string) => LineIndex): ContractView {
  const d = c.decl;
  const fields = [...c.fields.values()];
  const policies: PolicyView[] = [];
  for (const p of model.policies.values()) if (covers(p, c, fields)) policies.push(policyView(model, p, fileName, lines));
  const desc = c.properties.get('description');
  return {
    name: c.name,
    domain: c.domain,
    product: d.name.parts.slice(1).map((p) => p.text).join('.'),
    file: fileName(c.loc.file),
    line: lines(c.loc.file).position(d.range.start).line + 1,
    doc: joinDoc(d.doc, d.description?.value, desc && 'kind' in desc && desc.kind === 'string' ? desc.value : undefined),
    version: literalText(c.properties.get('version')),
    status: literalText(c.properties.get('status')),
    owner: c.owner,
    ownerDescription: c.owner ? model.groups.get(c.owner)?.description ?? model.groups.get(c.owner)?.decl.doc : undefined,
    source: d.source ? { system: d.source.system.text, location: literalText(d.source.location) } : undefined,
    sla: (d.sla?.entries ?? []).filter((e) => e.value).map((e) => ({ key: e.key.text, value: e.value! })),
    fields: fields.map((f) => fieldView(model, f)),
    policies,
  };
}

function covers(p: PolicySym, c: ContractSym, fields: FieldSym[]): boolean {
  const t = p.decl.target;
  return t.kind === 'tagged' ? fields.some((f) => targetMatchesField(t, f)) : targetMatchesContract(t, c);
}

function policyView(model: Model, p: PolicySym, fileName: (uri: string) => string, lines: (uri: string) => LineIndex): PolicyView {
  return {
    name: p.name,
    target: targetText(p.decl.target),
    file: fileName(p.loc.file),
    line: lines(p.loc.file).position(p.decl.range.start).line + 1,
    doc: p.decl.doc,
    rules: p.decl.rules.map((r) => ruleText(model, p, r)),
  };
}

/** Every contract of the model, in name order. */
export function contractViews(model: Model, fileName: (uri: string) => string = (u) => u): ContractView[] {
  const indexes = new Map<string, LineIndex>();
  const lines = (uri: string) => {
    let li = indexes.get(uri);
    if (!li) indexes.set(uri, (li = new LineIndex(model.files.get(uri)?.text ?? '')));
    return li;
  };
  return [...model.contracts.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((c) => contractView(model, c, fileName, lines));
}
