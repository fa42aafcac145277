// What is at an offset: the symbol a name refers to or declares, every
// place a symbol is named (declaration + references), and the chain of AST
// nodes around an offset. Used by definition, references, rename, hover,
// highlights and selection ranges.

import type * as A from '../ast';
import type { Loc, Model, Sym } from '../model/types';

export interface SymbolHit {
  sym: Sym;
  /** The range of the name under the cursor. */
  range: A.Range;
  /** The cursor is on the symbol's own declaration name. */
  declaration: boolean;
}

interface FileIndex {
  /** Names in the file that refer to or declare a symbol, sorted by start. */
  names: SymbolHit[];
}

/** Every symbol of the model (each once), in a stable order. */
export function allSymbols(model: Model): Sym[] {
  const out: Sym[] = [];
  const tables: Map<string, Sym>[] = [
    model.groups,
    model.subjectSchema,
    model.contextSchema,
    model.principals,
    model.classifications,
    model.domains,
    model.contracts,
    model.fields,
    model.policies,
    model.rules,
    model.waivers,
    model.tests,
  ];
  for (const t of tables) for (const s of t.values()) out.push(s);
  return out;
}

const indexCache = new WeakMap<Model, Map<string, FileIndex>>();
const refsCache = new WeakMap<Model, Map<Sym, Loc[]>>();

function buildIndexes(model: Model): Map<string, FileIndex> {
  const byFile = new Map<string, FileIndex>();
  const add = (file: string, hit: SymbolHit) => {
    let fi = byFile.get(file);
    if (!fi) byFile.set(file, (fi = { names: [] }));
    fi.names.push(hit);
  };
  for (const s of allSymbols(model)) if (Number.isFinite(s.loc.range.start)) add(s.loc.file, { sym: s, range: s.loc.range, declaration: true });
  for (const r of model.references) {
    // Names invented by parser recovery have no position.
    if (Number.isFinite(r.range.start) && Number.isFinite(r.range.end)) add(r.file, { sym: r.target, range: r.range, declaration: false });
  }
  for (const fi of byFile.values()) fi.names.sort((a, b) => a.range.start - b.range.start || b.range.end - a.range.end);
  return byFile;
}

function fileIndex(model: Model, file: string): FileIndex | undefined {
  let m = indexCache.get(model);
  if (!m) indexCache.set(model, (m = buildIndexes(model)));
  return m.get(file);
}

/** Names of the file that declare or refer to a symbol (sorted by start). */
export function namesInFile(model: Model, file: string): readonly SymbolHit[] {
  return fileIndex(model, file)?.names ?? [];
}

/**
 * The symbol named at `offset` (a cursor right after a name still counts).
 * When names nest (`sales` inside the contract name `sales.orders`), the
 * innermost wins.
 */
export function symbolAt(model: Model, file: string, offset: number): SymbolHit | undefined {
  const names = namesInFile(model, file);
  let best: SymbolHit | undefined;
  let bestScore = Infinity;
  // Binary search for the first name starting after offset, then look back.
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (names[mid].range.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && i >= lo - 64; i--) {
    const h = names[i];
    if (h.range.end < offset) continue;
    // Strictly inside beats touching the end; smaller beats larger.
    const inside = offset < h.range.end;
    const score = (inside ? 0 : 1e9) + (h.range.end - h.range.start);
    if (score < bestScore) {
      best = h;
      bestScore = score;
    }
  }
  return best;
}

function buildRefs(model: Model): Map<Sym, Loc[]> {
  const m = new Map<Sym, Loc[]>();
  for (const r of model.references) {
    let l = m.get(r.target);
    if (!l) m.set(r.target, (l = []));
    l.push({ file: r.file, range: r.range });
  }
  return m;
}

/** Every place that refers to `sym` (not its declaration), in source order per file. */
export function referencesTo(model: Model, sym: Sym): Loc[] {
  let m = refsCache.get(model);
  if (!m) refsCache.set(model, (m = buildRefs(model)));
  const seen = new Set<string>();
  const out: Loc[] = [];
  for (const l of m.get(sym) ?? []) {
    const k = `${l.file}\u0000${l.range.start}\u0000${l.range.end}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(l);
  }
  return out;
}

/** The same symbol in another build of the model (symbols are rebuilt on every analysis). */
export function sameSymbol(model: Model, sym: Sym): Sym | undefined {
  switch (sym.kind) {
    case 'group':
      return model.groups.get(sym.name);
    case 'principal':
      return model.principals.get(sym.name);
    case 'classification':
      return model.classifications.get(sym.name);
    case 'domain':
      return model.domains.get(sym.name);
    case 'contract':
      return model.contracts.get(sym.name);
    case 'field':
      return model.fields.get(sym.qname);
    case 'policy':
      return model.policies.get(sym.name);
    case 'rule':
      return model.rules.get(sym.name);
    case 'waiver':
      return model.waivers.get(sym.name);
    case 'test':
      return model.tests.get(sym.name);
    case 'attribute':
      return (sym.scope === 'subject' ? model.subjectSchema : model.contextSchema).get(sym.name);
  }
}

// ------------------------------------------------------------ node paths

/** A node of the syntax tree with its range (the generic view selection ranges need). */
export interface NodeRange {
  range: A.Range;
  node: unknown;
}

function isRange(x: unknown): x is A.Range {
  return !!x && typeof x === 'object' && typeof (x as A.Range).start === 'number' && typeof (x as A.Range).end === 'number';
}

/**
 * Every AST node whose range contains `offset`, outermost first (the
 * declaration, then the rule, the expression, the name...). Walks the tree
 * generically, so every node kind is covered.
 */
export function nodesAt(ast: A.FileAst, offset: number): NodeRange[] {
  const out: NodeRange[] = [];
  const visit = (n: unknown, depth: number): void => {
    if (!n || typeof n !== 'object' || depth > 64) return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x, depth + 1);
      return;
    }
    const r = (n as { range?: unknown }).range;
    if (isRange(r)) {
      if (offset < r.start || offset > r.end) return;
      out.push({ range: r, node: n });
    }
    for (const [k, v] of Object.entries(n as Record<string, unknown>)) {
      if (k === 'range' || k === 'doc' || typeof v !== 'object') continue;
      visit(v, depth + 1);
    }
  };
  const decl = ast.declarations.find((d) => d.range.start <= offset && offset <= d.range.end);
  if (decl) visit(decl, 0);
  // Outermost first; equal ranges keep discovery order (parent before child).
  return out.sort((a, b) => b.range.end - b.range.start - (a.range.end - a.range.start));
}

/** The top-level declaration containing the offset. */
export function declarationAt(ast: A.FileAst, offset: number): A.Declaration | undefined {
  return ast.declarations.find((d) => d.range.start <= offset && offset <= d.range.end);
}
