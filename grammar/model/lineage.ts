// Column lineage: resolve `from` clauses into edges, report cycles, and
// propagate classifications along the graph exactly as LANGUAGE.md says:
// copy/derive pass tags on unchanged, hash/tokenize/encrypt/mask pass them
// on as protected, aggregate passes nothing.

import type * as A from '../ast';
import type { BuildContext } from './context';
import { PROTECTING, TRANSFORMS, tagMatches, type FieldSym, type Transform, type ContractSym } from './types';

/** Resolves `domain.product.field` to a field, recording references and reporting unknown names. */
export function resolveFieldRef(ctx: BuildContext, file: string, q: A.QName): FieldSym | undefined {
  const m = ctx.model;
  const parts = q.parts;
  if (parts.length < 3) {
    ctx.error(file, q.range, 'unknown-field', `'${q.text}' is not a field reference: write domain.product.field`);
    return undefined;
  }
  const contractName = parts.slice(0, -1).map((p) => p.text).join('.');
  const contractRange = { start: parts[0].range.start, end: parts[parts.length - 2].range.end };
  const contract = m.contracts.get(contractName);
  if (!contract) {
    ctx.unknown(file, { text: contractName, range: contractRange }, m.contracts.keys(), 'contract');
    return undefined;
  }
  ctx.ref(file, contractRange, contract);
  return resolveFieldIn(ctx, file, contract, parts[parts.length - 1]);
}

export function resolveFieldIn(ctx: BuildContext, file: string, contract: ContractSym, name: A.Name): FieldSym | undefined {
  const field = contract.fields.get(name.text);
  if (!field) {
    ctx.unknown(file, name, contract.fields.keys(), `field of ${contract.name}`, 'unknown-field');
    return undefined;
  }
  ctx.ref(file, name.range, field);
  return field;
}

export function buildLineage(ctx: BuildContext): void {
  lineageOf(ctx, [...ctx.model.fields.values()]);
}

/**
 * Resolves the sources of `fields` and computes their effective tags. The
 * sources outside `fields` must already have theirs (an incremental rebuild
 * passes the fields of the files it rebuilds, downstream ones included).
 * Returns whether a cycle was found among them.
 */
export function lineageOf(ctx: BuildContext, fields: FieldSym[], subset = false): boolean {
  const m = ctx.model;
  for (const field of fields) {
    const file = field.loc.file;
    const d = field.decl;
    if (d.via && !TRANSFORMS.includes(d.via.text as Transform)) {
      ctx.unknown(file, d.via, TRANSFORMS, 'transform');
      field.transform = 'copy';
    }
    if (d.via && !d.from.length) ctx.error(file, d.via.range, 'syntax', `'via' needs a 'from' clause`);
    for (const q of d.from) {
      const src = resolveFieldRef(ctx, file, q);
      if (!src) continue;
      if (field.sources.includes(src)) continue;
      field.sources.push(src);
      src.consumers.push(field);
      m.lineage.push({ source: src, target: field, transform: field.transform });
    }
  }
  const order = stronglyConnected(fields, subset ? new Set(fields) : undefined);
  let anyCycle = false;
  for (const scc of order) {
    const cyclic = scc.length > 1 || scc[0].sources.includes(scc[0]);
    if (cyclic) reportCycle(ctx, scc);
    anyCycle ||= cyclic;
    for (const f of scc) seedDeclared(f);
    // Within a cycle, iterate to a fixed point; elsewhere one round suffices.
    let changed = true;
    while (changed) {
      changed = false;
      for (const f of scc) if (propagateInto(f)) changed = true;
      if (!cyclic) break;
    }
  }
  for (const f of fields) warnUndeclaredInherited(ctx, f);
  return anyCycle;
}

function seedDeclared(f: FieldSym): void {
  f.tags.clear();
  for (const t of f.declaredTags) f.tags.set(t, { tag: t, declared: true, protected: false, from: [] });
}

function propagateInto(f: FieldSym): boolean {
  if (f.transform === 'aggregate') return false;
  const protects = PROTECTING.has(f.transform);
  let changed = false;
  for (const s of f.sources) {
    for (const o of s.tags.values()) {
      const prot = protects || o.protected;
      const cur = f.tags.get(o.tag);
      if (!cur) {
        f.tags.set(o.tag, { tag: o.tag, declared: false, protected: prot, from: [s.qname] });
        changed = true;
        continue;
      }
      if (!cur.declared && cur.protected && !prot) {
        cur.protected = false;
        changed = true;
      }
      // Declared tags also record where else they arrive from (hover: "also inherited from").
      if (!cur.from.includes(s.qname)) {
        cur.from.push(s.qname);
        changed = true;
      }
    }
  }
  return changed;
}

function warnUndeclaredInherited(ctx: BuildContext, f: FieldSym): void {
  for (const o of f.tags.values()) {
    if (o.declared || o.protected) continue;
    if (f.declaredTags.some((d) => tagMatches(d, o.tag))) continue;
    ctx.diag(
      f.loc.file,
      f.decl.name.range,
      'warning',
      'inherits-tag',
      `${f.name} inherits ${o.tag} from ${o.from.join(', ')}; declare it: tagged ${o.tag}`,
      { data: { addTag: o.tag } },
    );
  }
}

function reportCycle(ctx: BuildContext, scc: FieldSym[]): void {
  const names = scc.map((f) => f.qname);
  for (const f of scc) {
    const next = f.sources.find((s) => scc.includes(s));
    const q = f.decl.from.find((q) => q.text === next?.qname) ?? f.decl.from[0];
    ctx.error(f.loc.file, q?.range ?? f.loc.range, 'lineage-cycle', `lineage cycle: ${f.qname} depends on itself through ${names.filter((n) => n !== f.qname).join(', ') || 'itself'}`);
  }
}

/**
 * Tarjan's algorithm, iterative (deep lineage chains must not overflow the
 * stack). Edges go from a field to its sources, so components come out
 * sources-first: the order in which tags must be propagated.
 */
function stronglyConnected(nodes: FieldSym[], within?: Set<FieldSym>): FieldSym[][] {
  const index = new Map<FieldSym, number>();
  const low = new Map<FieldSym, number>();
  const onStack = new Set<FieldSym>();
  const stack: FieldSym[] = [];
  const out: FieldSym[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: FieldSym; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const v = top.node;
      if (top.i < v.sources.length) {
        const w = v.sources[top.i++];
        if (within && !within.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const comp: FieldSym[] = [];
        let w: FieldSym;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}
