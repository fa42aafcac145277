// Pass 1: declare every symbol of every file; report duplicates.
// Names are global across the workspace (no imports).
//
// An incremental rebuild (model/incremental.ts) collects a file again over
// the previous model: a symbol the file declared before keeps its object
// (references from other files stay valid); its contents are replaced.

import type * as A from '../ast';
import type { BuildContext } from './context';
import type { ContractSym, FieldSym, Loc, Sym, Transform } from './types';

function loc(file: string, node: { name: { range: A.Range } }): Loc {
  return { file, range: node.name.range };
}

/** Replaces `old`'s contents with `fresh`'s, keeping `old`'s identity. */
export function adopt<S extends object>(old: S, fresh: S): S {
  for (const k of Object.keys(old)) delete (old as Record<string, unknown>)[k];
  return Object.assign(old, fresh);
}

function declare<S extends Sym>(ctx: BuildContext, table: Map<string, S>, sym: S, what: string): S | undefined {
  const prev = table.get(sym.name);
  if (prev && ctx.recollecting?.stale.has(prev) && prev.loc.file === sym.loc.file) {
    ctx.recollecting.stale.delete(prev);
    return adopt(prev, sym);
  }
  if (prev) {
    ctx.error(sym.loc.file, sym.loc.range, 'duplicate', `${what} '${sym.name}' is already declared`, {
      related: [ctx.related(prev.loc, `first declaration of ${what} '${sym.name}'`)],
    });
    return undefined;
  }
  table.set(sym.name, sym);
  return sym;
}

export function collect(ctx: BuildContext): void {
  for (const f of ctx.model.files.values()) collectFile(ctx, f);
}

/** Declares the symbols of one file. */
export function collectFile(ctx: BuildContext, f: import('./types').FileInfo): void {
  const m = ctx.model;
  const file = f.uri;
  for (const d of f.ast.declarations) {
    switch (d.kind) {
      case 'group':
        declare(ctx, m.groups, { kind: 'group', name: d.name.text, decl: d, loc: loc(file, d), description: d.description?.value }, 'group');
        break;
      case 'attributes': {
        const table = d.scope === 'subject' ? m.subjectSchema : m.contextSchema;
        for (const a of d.attributes) {
          declare(ctx, table, { kind: 'attribute', scope: d.scope, name: a.name.text, decl: a, type: a.type, loc: loc(file, a) }, `${d.scope} attribute`);
        }
        break;
      }
      case 'principal':
        declare(ctx, m.principals, { kind: 'principal', name: d.name.text, decl: d, loc: loc(file, d), service: d.service, groups: new Set(), attributes: new Map() }, 'principal');
        break;
      case 'classification': {
        const level = d.properties.find((p) => p.key.text === 'level')?.value;
        declare(
          ctx,
          m.classifications,
          {
            kind: 'classification',
            name: d.name.text,
            decl: d,
            loc: loc(file, d),
            level: level && 'kind' in level && level.kind === 'number' ? level.value : undefined,
            description: d.description?.value,
          },
          'classification',
        );
        break;
      }
      case 'domain':
        declare(ctx, m.domains, { kind: 'domain', name: d.name.text, decl: d, loc: loc(file, d), contracts: [] }, 'domain');
        break;
      case 'contract':
        collectContract(ctx, file, d);
        break;
      case 'policy':
        declare(ctx, m.policies, { kind: 'policy', name: d.name.text, decl: d, loc: loc(file, d) }, 'policy');
        break;
      case 'governance':
        for (const r of d.rules) collectRule(ctx, f.central, file, d, r);
        break;
      case 'waiver':
        declare(ctx, m.waivers, { kind: 'waiver', name: d.name.text, decl: d, loc: loc(file, d) }, 'waiver');
        break;
      case 'test':
        declare(ctx, m.tests, { kind: 'test', name: d.name.text, decl: d, loc: loc(file, d) }, 'test');
        break;
    }
  }
}

function collectRule(ctx: BuildContext, central: boolean, file: string, g: A.GovernanceDecl, r: A.GovRule): void {
  const rules = ctx.model.rules;
  const sym = { kind: 'rule' as const, name: r.name.text, decl: r, governance: g.name.text, loc: loc(file, r), central };
  const prev = rules.get(sym.name);
  if (prev && ctx.recollecting?.stale.has(prev) && prev.loc.file === file) {
    ctx.recollecting.stale.delete(prev);
    adopt(prev, sym);
    return;
  }
  if (prev && prev.central && !central) {
    ctx.error(file, r.name.range, 'central-rule', `rule '${sym.name}' is a central governance rule: a domain file cannot redefine or weaken it; choose another name`, {
      related: [ctx.related(prev.loc, `central rule '${sym.name}'`)],
    });
    return;
  }
  if (prev && !prev.central && central) {
    // The central definition wins; the local one is reported.
    ctx.error(prev.loc.file, prev.loc.range, 'central-rule', `rule '${sym.name}' is a central governance rule: a domain file cannot redefine or weaken it; choose another name`, {
      related: [ctx.related(sym.loc, `central rule '${sym.name}'`)],
    });
    rules.set(sym.name, sym);
    return;
  }
  declare(ctx, rules, sym, 'rule');
}

function collectContract(ctx: BuildContext, file: string, d: A.ContractDecl): void {
  const m = ctx.model;
  const name = d.name.text;
  const parts = d.name.parts;
  const contract: ContractSym = {
    kind: 'contract',
    name,
    domain: parts.length >= 2 ? parts[0].text : '',
    decl: d,
    loc: loc(file, d),
    ownerInherited: false,
    fields: new Map(),
    properties: new Map(),
    description: d.description?.value,
  };
  const old = ctx.recollecting?.stale.has(m.contracts.get(name)!) ? m.contracts.get(name)!.fields : undefined;
  const declared = declare(ctx, m.contracts, contract, 'contract');
  if (!declared) return;
  const c = declared;
  for (const fd of d.fields) {
    const qname = `${name}.${fd.name.text}`;
    const field: FieldSym = {
      kind: 'field',
      name: fd.name.text,
      qname,
      decl: fd,
      loc: loc(file, fd),
      contract: c,
      type: typeText(fd.type),
      declaredTags: fd.tags.map((t) => t.text),
      transform: (fd.via?.text ?? 'copy') as Transform,
      sources: [],
      consumers: [],
      tags: new Map(),
      description: fd.description?.value,
    };
    const prev = c.fields.get(field.name);
    if (prev) {
      ctx.error(file, fd.name.range, 'duplicate', `field '${field.name}' is already declared in ${name}`, {
        related: [ctx.related(prev.loc, `first declaration of '${field.name}'`)],
      });
      continue;
    }
    // Recollected: the field keeps its object and the readers it has in other files.
    const was = old?.get(field.name);
    const sym = was ? adopt(was, { ...field, consumers: was.consumers }) : field;
    c.fields.set(field.name, sym);
    m.fields.set(qname, sym);
  }
  if (old) for (const [n, f] of old) if (c.fields.get(n) !== f && m.fields.get(f.qname) === f) m.fields.delete(f.qname);
}

export function typeText(t: A.TypeRef | undefined): string {
  if (!t) return 'unknown';
  return t.element ? `${t.name.text}<${typeText(t.element)}>` : t.name.text;
}
