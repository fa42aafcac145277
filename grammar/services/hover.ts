// Hover text (Markdown): a symbol's signature, doc comment, type, effective
// tags and where each came from, owner, a field's access summary; a policy
// rule in plain English; a governance rule's meaning; transforms and mask
// methods.

import type * as A from '../ast';
import { runTest } from '../evaluator/tests';
import { targetContracts } from '../model/targets';
import type { AttrValue, ContractSym, FieldSym, Model, Sym } from '../model/types';
import { accessSummaryLine, contextText } from './access';
import { attrTypeText, attrValueText, MASK_METHOD_DOCS, signature, sortedTags, tagOriginText, TRANSFORM_DOCS } from './describe';
import { declarationAt, nodesAt, symbolAt } from './locate';
import { govRuleEnglish, ruleEnglish } from './rule-english';

export interface HoverResult {
  markdown: string;
  range: A.Range;
}

export interface HoverOptions {
  /** Context for the access summary of fields (the `charter.simulation.context` setting). */
  context?: ReadonlyMap<string, AttrValue>;
}

const code = (s: string) => '```charter\n' + s + '\n```';
const tick = (s: string) => '`' + s.replace(/`/g, "'") + '`';

export function hoverAt(model: Model, file: string, offset: number, opts: HoverOptions = {}): HoverResult | undefined {
  const hit = symbolAt(model, file, offset);
  if (hit) return { markdown: symbolHover(model, hit.sym, opts), range: hit.range };
  const info = model.files.get(file);
  if (!info) return undefined;
  const decl = declarationAt(info.ast, offset);
  if (!decl) return undefined;
  if (decl.kind === 'policy') {
    const rule = decl.rules.find((r) => r.range.start <= offset && offset <= r.range.end);
    if (rule) return { markdown: policyRuleHover(model, decl, rule), range: rule.range };
  }
  if (decl.kind === 'governance') {
    const rule = decl.rules.find((r) => r.range.start <= offset && offset <= r.range.end);
    if (rule?.body) return { markdown: govRuleHover(rule), range: rule.body.range };
  }
  if (decl.kind === 'contract') {
    const f = decl.fields.find((x) => x.via && x.via.range.start <= offset && offset <= x.via.range.end);
    if (f?.via && TRANSFORM_DOCS[f.via.text]) return { markdown: `**${f.via.text}** (transform): ${TRANSFORM_DOCS[f.via.text]}`, range: f.via.range };
  }
  // A mask method in a test expectation.
  for (const n of nodesAt(info.ast, offset)) {
    const node = n.node as { kind?: string; method?: A.Name };
    if (node.kind === 'expect' && node.method && node.method.range.start <= offset && offset <= node.method.range.end) {
      const doc = MASK_METHOD_DOCS[node.method.text];
      if (doc) return { markdown: `**${node.method.text}** (mask method): ${doc}`, range: node.method.range };
    }
  }
  return undefined;
}

function docBlock(doc: string | undefined, description: string | undefined): string[] {
  const out: string[] = [];
  if (doc) out.push(doc);
  if (description && description !== doc) out.push(`*${description.replace(/\*/g, '\\*')}*`);
  return out;
}

export function symbolHover(model: Model, sym: Sym, opts: HoverOptions = {}): string {
  const parts: string[] = [code(signature(sym))];
  switch (sym.kind) {
    case 'field':
      parts.push(...fieldHover(model, sym, opts));
      break;
    case 'contract':
      parts.push(...contractHover(model, sym));
      break;
    case 'group': {
      parts.push(...docBlock(sym.decl.doc, sym.description));
      const members = [...model.principals.values()].filter((p) => p.groups.has(sym.name)).map((p) => p.name);
      parts.push(`**Members:** ${members.length ? members.map(tick).join(', ') : 'no declared principal'}`);
      const owns = [...model.domains.values()].filter((d) => d.owner === sym.name).map((d) => `domain ${d.name}`);
      const contracts = [...model.contracts.values()].filter((c) => c.owner === sym.name && !c.ownerInherited).map((c) => c.name);
      if (owns.length || contracts.length) parts.push(`**Owns:** ${[...owns, ...contracts].map(tick).join(', ')}`);
      break;
    }
    case 'principal': {
      parts.push(...docBlock(sym.decl.doc, undefined));
      parts.push(`**${sym.service ? 'Service' : 'Person'}**, member of ${sym.groups.size ? [...sym.groups].map(tick).join(', ') : 'no group'}`);
      if (sym.attributes.size) parts.push('**Attributes:** ' + [...sym.attributes].map(([k, v]) => tick(`${k} ${attrValueText(v)}`)).join(', '));
      break;
    }
    case 'classification': {
      parts.push(...docBlock(sym.decl.doc, sym.description));
      const facts: string[] = [];
      if (sym.level !== undefined) facts.push(`level ${sym.level}`);
      const dot = sym.name.lastIndexOf('.');
      if (dot > 0) facts.push(`a kind of ${tick(sym.name.slice(0, dot))}`);
      let declared = 0;
      let effective = 0;
      for (const f of model.fields.values()) {
        for (const t of f.tags.values()) {
          if (t.tag !== sym.name) continue;
          effective++;
          if (t.declared) declared++;
        }
      }
      facts.push(`${effective} field${effective === 1 ? '' : 's'} carry it (${declared} declared, ${effective - declared} inherited through lineage)`);
      parts.push(facts.join(' · '));
      break;
    }
    case 'domain': {
      parts.push(...docBlock(sym.decl.doc, sym.decl.description?.value));
      parts.push(`**Owner:** ${sym.owner ? tick(sym.owner) : 'none'} · ${sym.contracts.length} contract${sym.contracts.length === 1 ? '' : 's'}`);
      break;
    }
    case 'attribute': {
      parts.push(...docBlock(sym.decl.doc, undefined));
      parts.push(`**Type:** ${tick(attrTypeText(sym.type))}`);
      if (sym.scope === 'subject') {
        const set = [...model.principals.values()].filter((p) => p.attributes.has(sym.name)).length;
        parts.push(`Set by ${set} of ${model.principals.size} principals; conditions on it fail closed for the others.`);
      } else if (sym.type.kind !== 'enum' && sym.type.kind !== 'bool') {
        parts.push('Not finite: governance access rules cannot simulate every value of it.');
      }
      break;
    }
    case 'policy': {
      parts.push(...docBlock(sym.decl.doc, undefined));
      const owner = policyOwner(model, sym.decl);
      for (const r of sym.decl.rules) parts.push('- ' + ruleEnglish(r, sym.decl.target, owner));
      break;
    }
    case 'rule': {
      parts.push(...docBlock(sym.decl.doc, sym.decl.message?.value));
      parts.push(govRuleEnglish(sym.decl));
      parts.push(`*${sym.central ? 'Central' : 'Local'} rule of governance ${sym.governance}; violations are ${sym.decl.severity}s with code ${tick('rule:' + sym.name)}.*`);
      break;
    }
    case 'waiver': {
      const d = sym.decl;
      parts.push(...docBlock(d.doc, undefined));
      const facts: string[] = [];
      if (d.reason) facts.push(`**Reason:** ${d.reason.value}`);
      if (d.expires) facts.push(`**Expires:** ${'value' in d.expires ? String(d.expires.value) : ''}`);
      if (d.approvedBy) facts.push(`**Approved by:** ${tick(d.approvedBy.text)}`);
      parts.push(facts.join(' · '));
      break;
    }
    case 'test': {
      parts.push(...docBlock(sym.decl.doc, undefined));
      const r = runTest(model, sym);
      const failed = r.expectations.filter((e) => !e.passed).length;
      parts.push(r.passed ? `**Passes** (${r.expectations.length} expectation${r.expectations.length === 1 ? '' : 's'})` : `**Fails:** ${failed} of ${r.expectations.length} expectations`);
      break;
    }
  }
  return parts.filter(Boolean).join('\n\n');
}

function fieldHover(model: Model, f: FieldSym, opts: HoverOptions): string[] {
  const out = docBlock(f.decl.doc, f.description);
  const flags = [f.decl.key && 'key', f.decl.required && 'required', f.decl.unique && 'unique'].filter(Boolean);
  if (flags.length) out.push(flags.join(' · '));
  const c = f.contract;
  out.push(`**Owner:** ${c.owner ? tick(c.owner) + (c.ownerInherited ? ` (inherited from domain ${tick(c.domain)})` : '') : 'none'}`);
  if (f.sources.length) out.push(`**From:** ${f.sources.map((s) => tick(s.qname)).join(', ')}${f.transform !== 'copy' ? ` via ${f.transform}` : ''}`);
  const tags = sortedTags(f);
  out.push(tags.length ? '**Tags:**\n' + tags.map((t) => `- ${tick(t.tag)} — ${tagOriginText(t)}`).join('\n') : '**Tags:** none');
  const ctx = opts.context ?? new Map();
  out.push(`**Access** (${contextText(ctx)}): ${accessSummaryLine(model, f, ctx)}`);
  return out;
}

function contractHover(model: Model, c: ContractSym): string[] {
  const out = docBlock(c.decl.doc, c.description);
  const facts: string[] = [];
  facts.push(`**Owner:** ${c.owner ? tick(c.owner) + (c.ownerInherited ? ` (inherited from domain ${tick(c.domain)})` : '') : 'none'}`);
  for (const k of ['version', 'status']) {
    const v = c.properties.get(k);
    if (v) facts.push(`**${k[0].toUpperCase() + k.slice(1)}:** ${valueText(v)}`);
  }
  if (c.decl.source) facts.push(`**Source:** ${c.decl.source.system.text}${c.decl.source.location && 'value' in c.decl.source.location ? ` ${JSON.stringify(c.decl.source.location.value)}` : ''}`);
  out.push(facts.join(' · '));
  if (c.decl.sla?.entries.length) {
    out.push('**SLA:** ' + c.decl.sla.entries.map((e) => tick(`${e.key.text} ${e.value ? valueText(e.value) : ''}`.trim())).join(', '));
  }
  out.push(`${c.fields.size} field${c.fields.size === 1 ? '' : 's'}`);
  const policies = [...model.policies.values()].filter((p) => p.decl.target && p.decl.target.kind !== 'tagged' && targetContracts(model, p.decl.target).includes(c)).map((p) => p.name);
  if (policies.length) out.push(`**Policies:** ${policies.map(tick).join(', ')}`);
  return out;
}

function valueText(v: A.Literal | A.Name): string {
  if (!('kind' in v)) return v.text;
  if (v.kind === 'list') return '[…]';
  if ('text' in v) return v.text;
  return typeof v.value === 'string' && v.kind === 'string' ? JSON.stringify(v.value) : String(v.value);
}

/** The owning group of a policy's target when it is one contract (so `owner` can be named). */
function policyOwner(model: Model, p: A.PolicyDecl): string | undefined {
  if (p.target?.kind === 'contract') return model.contracts.get(p.target.name.text)?.owner;
  if (p.target?.kind === 'domain') return model.domains.get(p.target.name.text)?.owner;
  return undefined;
}

function policyRuleHover(model: Model, p: A.PolicyDecl, rule: A.PolicyRule): string {
  return `**${rule.kind} rule of policy ${p.name.text}**\n\n${ruleEnglish(rule, p.target, policyOwner(model, p))}`;
}

function govRuleHover(rule: A.GovRule): string {
  return `**Governance rule ${rule.name.text}** (${rule.severity})\n\n${govRuleEnglish(rule)}`;
}
