// Builds the semantic model of a workspace from its files' text.
// Parsing is per file and cached by text; everything after it is global
// (names are global), rebuilt from the cached syntax trees.

import { parse } from '../parser';
import type * as A from '../ast';
import { BuildContext } from './context';
import { collect } from './collect';
import { buildLineage } from './lineage';
import { checkDeclarations } from './check-decls';
import type { FileDiagnostic, FileInfo, Model } from './types';

export interface SourceFile {
  uri: string;
  text: string;
  /** Under a charter.json `governance` path. */
  central?: boolean;
}

export interface BuildOptions {
  /** YYYY-MM-DD, for waiver expiry; defaults to the current UTC date. */
  today?: string;
  /** Syntax trees from an earlier build, reused when a file's text is unchanged. */
  parseCache?: ParseCache;
}

export class ParseCache {
  private readonly entries = new Map<string, { text: string; ast: A.FileAst }>();

  get(uri: string, text: string): A.FileAst {
    const hit = this.entries.get(uri);
    if (hit && hit.text === text) return hit.ast;
    const ast = parse(text);
    this.entries.set(uri, { text, ast });
    return ast;
  }

  /** Forget files that are gone. */
  retain(uris: Set<string>): void {
    for (const k of this.entries.keys()) if (!uris.has(k)) this.entries.delete(k);
  }
}

const syntaxDiagnostics = new WeakMap<A.FileAst, FileDiagnostic[]>();

/** The syntax errors of a file, as model diagnostics (the same objects for the same tree). */
export function syntaxErrorsOf(f: FileInfo): FileDiagnostic[] {
  let d = syntaxDiagnostics.get(f.ast);
  if (!d) syntaxDiagnostics.set(f.ast, (d = f.ast.errors.map((e) => ({ ...e, file: f.uri }))));
  return d;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export function emptyModel(): Model {
  return {
    files: new Map(),
    groups: new Map(),
    principals: new Map(),
    classifications: new Map(),
    domains: new Map(),
    contracts: new Map(),
    fields: new Map(),
    policies: new Map(),
    rules: new Map(),
    waivers: new Map(),
    tests: new Map(),
    subjectSchema: new Map(),
    contextSchema: new Map(),
    lineage: [],
    references: [],
    diagnostics: [],
  };
}

export function buildModel(sources: SourceFile[], opts: BuildOptions = {}): Model {
  const model = emptyModel();
  const cache = opts.parseCache ?? new ParseCache();
  for (const s of sources) {
    const ast = cache.get(s.uri, s.text);
    const info: FileInfo = { uri: s.uri, text: s.text, ast, central: !!s.central };
    model.files.set(s.uri, info);
    model.diagnostics.push(...syntaxErrorsOf(info));
  }
  if (opts.parseCache) cache.retain(new Set(sources.map((s) => s.uri)));
  const ctx = new BuildContext(model, opts.today ?? todayUtc());
  collect(ctx);
  // Lineage first: policy checks on `fields tagged` targets need effective tags.
  buildLineage(ctx);
  checkDeclarations(ctx);
  listDomainContracts(model);
  return model;
}

/** Each domain's contracts, in declaration order. */
export function listDomainContracts(model: Model): void {
  for (const d of model.domains.values()) d.contracts = [];
  for (const c of model.contracts.values()) if (c.domain) model.domains.get(c.domain)?.contracts.push(c);
}
