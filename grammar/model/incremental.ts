// Rebuilds part of a model after edits, instead of all of it.
//
// An edit changes one file F. When F still declares the same names and only
// the contents of its contracts changed (the common case while typing), the
// diagnostics and references of most files cannot change. This module works
// out the files whose results can (F; the files that name F's fields when
// their names changed; the files of policies covering F's contracts; the
// files downstream of F's fields in the lineage when tags may have changed),
// forgets what those files contributed, collects and checks them again over
// the rest of the model, and keeps everything else. Symbols keep their
// objects, so references held by untouched files stay valid.
//
// A changed policy needs no other file checked again, but the governance of
// every contract it covers (before or after the change) is evaluated again.
// A changed test, waiver or governance rule needs nothing else checked again
// (tests run, waivers apply and a changed rule is evaluated in full after
// every analysis); a changed domain re-checks the files of its contracts
// (they may inherit its owner).
//
// A contract added, removed or renamed also re-checks the files that name
// it, or could now ("did you mean"), and the policies that cover it.
//
// Anything it does not handle (files added or removed, another kind of name
// declared or removed, a changed group, principal, rule..., duplicates
// across files, lineage cycles) returns undefined: the caller rebuilds from scratch. The
// differential tests check that both ways give the same results.

import type * as A from '../ast';
import { BuildContext } from './context';
import { collectFile } from './collect';
import { lineageOf } from './lineage';
import { checkDeclarations } from './check-decls';
import { fingerprint } from './fingerprint';
import { targetMatchesContract, targetMatchesField } from './targets';
import { listDomainContracts, syntaxErrorsOf, type ParseCache, type SourceFile } from './build';
import type { ContractSym, FieldSym, FileDiagnostic, FileInfo, Model, PolicySym, Reference, Sym } from './types';

/** What one file contributed to the model besides syntax errors. */
export interface FileResults {
  diagnostics: FileDiagnostic[];
  references: Reference[];
  /** Holds a duplicate across files or a lineage cycle: the next edit rebuilds from scratch. */
  blocks?: boolean;
}

function blocks(d: FileDiagnostic): boolean {
  return ((d.code === 'duplicate' || d.code === 'central-rule') && !!d.related?.some((r) => r.file !== d.file)) || d.code === 'lineage-cycle';
}

export interface ModelState {
  model: Model;
  byFile: Map<string, FileResults>;
  /** Policies by what their target names (`contract:`, `domain:`, `wildcard:` and `tagged`). */
  policies: Map<string, PolicySym[]>;
}

function policyIndex(model: Model): Map<string, PolicySym[]> {
  const ix = new Map<string, PolicySym[]>();
  for (const p of model.policies.values()) {
    const t = p.decl.target;
    if (!t) continue;
    const key = t.kind === 'contract' ? `contract:${t.name.text}` : t.kind === 'wildcard' ? `wildcard:${t.prefix.text}` : t.kind === 'domain' ? `domain:${t.name.text}` : 'tagged';
    const l = ix.get(key);
    if (l) l.push(p);
    else ix.set(key, [p]);
  }
  return ix;
}

/** The policies whose target may cover a contract of this name (tagged ones always may). */
function policiesOn(ix: Map<string, PolicySym[]>, name: string): PolicySym[] {
  const parts = name.split('.');
  const keys = [`contract:${name}`, `domain:${parts.length >= 2 ? parts[0] : ''}`, 'tagged'];
  for (let i = 1; i < parts.length; i++) keys.push(`wildcard:${parts.slice(0, i).join('.')}`);
  return keys.flatMap((k) => ix.get(k) ?? []);
}

export interface ModelUpdate {
  state: ModelState;
  /** Files whose model results were computed again. */
  files: Set<string>;
  /** Contracts whose governance results may differ: those declared in those files, and those a changed policy covers. */
  contracts: Set<ContractSym>;
  /** Everything declared in those files. */
  symbols: Set<Sym>;
  /** A policy's meaning changed (not just where it is). */
  policiesChanged: boolean;
}

/** Splits a freshly built model's diagnostics (after the syntax errors) and references by file. */
export function stateOf(model: Model): ModelState {
  const byFile = new Map<string, FileResults>();
  for (const uri of model.files.keys()) byFile.set(uri, { diagnostics: [], references: [] });
  let syntax = 0;
  for (const f of model.files.values()) syntax += f.ast.errors.length;
  for (let i = syntax; i < model.diagnostics.length; i++) {
    const d = model.diagnostics[i];
    const r = byFile.get(d.file);
    if (!r) continue;
    r.diagnostics.push(d);
    r.blocks ||= blocks(d);
  }
  for (const r of model.references) byFile.get(r.file)?.references.push(r);
  return { model, byFile, policies: policyIndex(model) };
}

const TABLE_OF = {
  group: 'groups',
  principal: 'principals',
  classification: 'classifications',
  domain: 'domains',
  contract: 'contracts',
  policy: 'policies',
  waiver: 'waivers',
  test: 'tests',
} as const;

/** The symbols a file declared in `model` (not those it lost as duplicates). */
function declaredIn(model: Model, f: FileInfo): Sym[] {
  const out: Sym[] = [];
  const own = (table: Map<string, Sym>, name: string, decl: object) => {
    const s = table.get(name);
    if (s && s.decl === decl) out.push(s);
  };
  for (const d of f.ast.declarations) {
    if (d.kind === 'attributes') for (const a of d.attributes) own(d.scope === 'subject' ? model.subjectSchema : model.contextSchema, a.name.text, a);
    else if (d.kind === 'governance') for (const r of d.rules) own(model.rules, r.name.text, r);
    else own(model[TABLE_OF[d.kind]], d.name.text, d);
  }
  return out;
}

interface ContractChange {
  names: boolean;
  /** Field types, names or anything a policy on the contract reads. */
  fields: boolean;
  /** Declared tags, sources or transforms: effective tags downstream may change. */
  tags: boolean;
}

function contractChange(a: A.ContractDecl, b: A.ContractDecl): ContractChange {
  const names = a.fields.length !== b.fields.length || a.fields.some((f, i) => f.name.text !== b.fields[i].name.text);
  const shape = (f: A.FieldDecl) => `${f.name.text}:${fingerprint(f.type)}`;
  const flow = (f: A.FieldDecl) => `${f.name.text}|${f.tags.map((t) => t.text).join(',')}|${f.from.map((q) => q.text).join(',')}|${f.via?.text ?? ''}`;
  const same = (g: (f: A.FieldDecl) => string) => a.fields.map(g).join('\n') === b.fields.map(g).join('\n');
  return { names, fields: names || !same(shape), tags: names || !same(flow) };
}

/**
 * The model of `sources`, rebuilt from `prev` where the edits allow it;
 * undefined when they do not (build from scratch instead). `prev` is reused
 * and must not be used afterwards.
 */
export function updateModel(prev: ModelState, sources: SourceFile[], cache: ParseCache, today: string): ModelUpdate | undefined {
  const old = prev.model;
  if (sources.length !== old.files.size) return undefined;
  const files = new Map<string, FileInfo>();
  const changed: { before: FileInfo; after: FileInfo }[] = [];
  for (const s of sources) {
    const before = old.files.get(s.uri);
    if (!before || before.central !== !!s.central) return undefined;
    if (before.text === s.text) {
      files.set(s.uri, before);
      continue;
    }
    const after: FileInfo = { uri: s.uri, text: s.text, ast: cache.get(s.uri, s.text), central: !!s.central };
    files.set(s.uri, after);
    changed.push({ before, after });
  }

  // Which files' results can change.
  const dirty = new Set<string>(changed.map((c) => c.before.uri));
  const fieldNamesChanged: ContractSym[] = [];
  const fieldsChanged: ContractSym[] = [];
  const tagSources: FieldSym[] = [];
  const policyTargets: (A.PolicyTarget | undefined)[] = [];
  const removed: ContractSym[] = [];
  const added: string[] = [];
  for (const { before, after } of changed) {
    const a = before.ast.declarations;
    const b = after.ast.declarations;
    const others = (ds: A.Declaration[]) => ds.filter((d) => d.kind !== 'contract');
    const oa = others(a);
    const ob = others(b);
    if (oa.length !== ob.length) return undefined;
    for (let i = 0; i < oa.length; i++) {
      if (fingerprint(oa[i]) === fingerprint(ob[i])) continue;
      // Some declarations may change, keeping their names; others may not.
      const x = oa[i];
      const y = ob[i];
      if (x.kind !== y.kind || x.name.text !== y.name.text) return undefined;
      switch (x.kind) {
        case 'policy':
          // Access changes for what it covers.
          if (old.policies.get(x.name.text)?.decl !== x) return undefined;
          policyTargets.push(x.target, (y as A.PolicyDecl).target);
          break;
        case 'test':
        case 'waiver':
          // Read by nothing else (tests run and waivers apply again after every analysis).
          if ((x.kind === 'test' ? old.tests : old.waivers).get(x.name.text)?.decl !== x) return undefined;
          break;
        case 'domain': {
          // Its owner is the owner of its contracts that name none.
          const d = old.domains.get(x.name.text);
          if (d?.decl !== x) return undefined;
          for (const c of d.contracts) dirty.add(c.loc.file);
          break;
        }
        case 'governance': {
          // Rules in a changed file are checked everywhere again (governance/check.ts).
          const names = (g: A.GovernanceDecl) => g.rules.map((r) => r.name.text).join('\n');
          if (names(x) !== names(y as A.GovernanceDecl) || x.rules.some((r) => old.rules.get(r.name.text)?.decl !== r)) return undefined;
          break;
        }
        default:
          return undefined;
      }
    }
    // Contracts are matched by name: a contract may be added, removed or renamed.
    const ca = new Map<string, A.ContractDecl>();
    const cb = new Map<string, A.ContractDecl>();
    for (const d of a) if (d.kind === 'contract') ca.set(d.name.text, d);
    for (const d of b) {
      if (d.kind !== 'contract') continue;
      if (cb.has(d.name.text)) return undefined; // a duplicate
      if (!ca.has(d.name.text) && old.contracts.has(d.name.text)) return undefined; // declared in another file too
      cb.set(d.name.text, d);
    }
    for (const [name, decl] of ca) {
      const sym = old.contracts.get(name);
      if (!sym || sym.decl !== decl) return undefined; // a duplicate: the first declaration elsewhere wins
      const now = cb.get(name);
      if (!now) {
        removed.push(sym);
        tagSources.push(...sym.fields.values());
        continue;
      }
      const ch = contractChange(decl, now);
      if (ch.names) fieldNamesChanged.push(sym);
      if (ch.fields) fieldsChanged.push(sym);
      if (ch.tags) tagSources.push(...sym.fields.values());
    }
    for (const name of cb.keys()) if (!ca.has(name)) added.push(name);
  }
  // Every name the changed files declare must be theirs alone (duplicates across files are rebuilt from scratch).
  for (const d of prev.byFile.values()) if (d.blocks) return undefined;
  const contractsChanged = removed.length > 0 || added.length > 0;
  if (fieldNamesChanged.length || contractsChanged) {
    // Files naming those fields or contracts, and files whose "did you mean" lists their names.
    const touched = new Set([...fieldNamesChanged, ...removed]);
    for (const r of old.references) {
      const t = r.target;
      if ((t.kind === 'field' && touched.has(t.contract)) || (t.kind === 'contract' && touched.has(t))) dirty.add(r.file);
    }
    const unknown = new Set(['unknown-field', 'unknown-target', ...(contractsChanged ? ['unknown-contract'] : [])]);
    for (const [uri, d] of prev.byFile) if (d.diagnostics.some((x) => unknown.has(x.code))) dirty.add(uri);
  }
  if (contractsChanged) {
    // Policies that cover a contract that came or went (their field names and row filter columns).
    for (const name of [...removed.map((c) => c.name), ...added]) for (const p of policiesOn(prev.policies, name)) dirty.add(p.loc.file);
  }
  if (tagSources.length) {
    // Everything downstream in the lineage; policies on tags; files of those.
    const seen = new Set<FieldSym>();
    const work = [...tagSources];
    while (work.length) {
      const f = work.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      dirty.add(f.loc.file);
      work.push(...f.consumers);
    }
    for (const p of prev.policies.get('tagged') ?? []) dirty.add(p.loc.file);
  }
  for (const c of fieldsChanged) {
    for (const p of policiesOn(prev.policies, c.name)) {
      const t = p.decl.target!;
      if (t.kind === 'tagged' ? [...c.fields.values()].some((f) => targetMatchesField(t, f)) : targetMatchesContract(t, c)) dirty.add(p.loc.file);
    }
  }

  // Forget what the dirty files contributed.
  const stale = new Set<Sym>();
  for (const uri of dirty) for (const s of declaredIn(old, old.files.get(uri)!)) stale.add(s);
  const dirtyFields = new Set<FieldSym>();
  for (const s of stale) if (s.kind === 'contract') for (const f of s.fields.values()) dirtyFields.add(f);
  for (const f of dirtyFields) {
    for (const src of f.sources) {
      const i = src.consumers.indexOf(f);
      if (i >= 0) src.consumers.splice(i, 1);
    }
  }
  const model: Model = {
    files,
    groups: old.groups,
    principals: old.principals,
    classifications: old.classifications,
    domains: old.domains,
    contracts: old.contracts,
    fields: old.fields,
    policies: old.policies,
    rules: old.rules,
    waivers: old.waivers,
    tests: old.tests,
    subjectSchema: old.subjectSchema,
    contextSchema: old.contextSchema,
    lineage: old.lineage.filter((e) => !dirtyFields.has(e.target)),
    references: [],
    diagnostics: [],
  };
  // Domains declared in the dirty files are collected again: they keep their contract lists.
  const lists = new Map<Sym, ContractSym[]>();
  for (const s of stale) if (s.kind === 'domain') lists.set(s, s.contracts);

  // Collect and check them again.
  const ctx = new BuildContext(model, today);
  ctx.recollecting = { stale };
  for (const f of files.values()) if (dirty.has(f.uri)) collectFile(ctx, f);
  ctx.recollecting = undefined;
  for (const c of removed) {
    stale.delete(c);
    if (model.contracts.get(c.name) === c) model.contracts.delete(c.name);
  }
  if (stale.size) return undefined; // any other name that disappeared (cannot happen after the checks above)
  if (contractsChanged) {
    // Declaration order, as a build from scratch has it.
    const ordered = new Map<string, ContractSym>();
    for (const f of files.values()) {
      for (const d of f.ast.declarations) {
        const c = d.kind === 'contract' ? model.contracts.get(d.name.text) : undefined;
        if (c && c.decl === d) ordered.set(c.name, c);
      }
    }
    model.contracts = ordered;
  }
  if (fieldNamesChanged.length || contractsChanged) {
    model.fields = new Map();
    for (const c of model.contracts.values()) for (const f of c.fields.values()) model.fields.set(f.qname, f);
  }
  // What the dirty files declare now: everything governance may check again.
  const symbols = new Set<Sym>();
  const contracts = new Set<ContractSym>();
  const fields: FieldSym[] = [];
  for (const f of files.values()) {
    if (!dirty.has(f.uri)) continue;
    for (const c of declaredIn(model, f)) {
      symbols.add(c);
      if (c.kind !== 'contract') continue;
      contracts.add(c);
      fields.push(...c.fields.values());
    }
  }
  if (lineageOf(ctx, fields, true)) return undefined;
  // Who may read what changed for the contracts a changed policy covers (before or after the change; tags are final now).
  const covers = (t: A.PolicyTarget, c: ContractSym) => (t.kind === 'tagged' ? [...c.fields.values()].some((f) => targetMatchesField(t, f)) : targetMatchesContract(t, c));
  const targets = policyTargets.filter((t): t is A.PolicyTarget => !!t);
  if (targets.length) for (const c of model.contracts.values()) if (targets.some((t) => covers(t, c))) contracts.add(c);
  checkDeclarations(ctx, dirty);
  // The same contract objects in the same order, unless contracts came or went.
  if (contractsChanged) listDomainContracts(model);
  else for (const d of model.domains.values()) if (lists.has(d)) d.contracts = lists.get(d)!;

  const byFile = new Map(prev.byFile);
  for (const uri of dirty) byFile.set(uri, { diagnostics: [], references: [] });
  for (const d of model.diagnostics) {
    if (!dirty.has(d.file)) return undefined; // a check reported outside its file: not incremental
    const r = byFile.get(d.file)!;
    r.diagnostics.push(d);
    r.blocks ||= blocks(d);
  }
  for (const r of model.references) {
    if (!dirty.has(r.file)) return undefined;
    byFile.get(r.file)!.references.push(r);
  }
  model.diagnostics = [];
  for (const f of files.values()) if (f.ast.errors.length) model.diagnostics.push(...syntaxErrorsOf(f));
  for (const r of byFile.values()) if (r.diagnostics.length) model.diagnostics.push(...r.diagnostics);
  // References are many and read only by navigation: joined when first asked for.
  let references: Reference[] | undefined;
  Object.defineProperty(model, 'references', {
    enumerable: true,
    configurable: true,
    get: () => (references ??= [...byFile.values()].flatMap((r) => r.references)),
  });
  return { state: { model, byFile, policies: policyTargets.length ? policyIndex(model) : prev.policies }, files: dirty, contracts, symbols, policiesChanged: policyTargets.length > 0 };
}
