// Rename across files: the declaration and every reference, including the
// qualified names that contain the symbol (renaming domain `sales` rewrites
// `sales.orders` and `sales.orders.amount` wherever they are written;
// renaming classification `pii` renames `pii.email` too). Invalid names,
// names already taken and renames that would not parse are refused with a
// message saying why.

import type * as A from '../ast';
import { parse } from '../parser';
import type { Model, Sym } from '../model/types';
import { kindLabel, qualifiedName } from './describe';
import { referencesTo, symbolAt } from './locate';

export interface TextEdit {
  file: string;
  range: A.Range;
  newText: string;
}

export type Prepared = { range: A.Range; placeholder: string; sym: Sym } | { error: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Words that mean something else where the name would be written. */
const RESERVED: Partial<Record<Sym['kind'], string[]>> = {
  group: ['everyone', 'owner', 'principal'],
  principal: ['everyone', 'owner'],
  field: ['to', 'with', 'of'],
};

/** The part of the name at the cursor that a rename replaces, and its current text. */
export function prepareRename(model: Model, file: string, offset: number): Prepared {
  const hit = symbolAt(model, file, offset);
  if (!hit) return { error: 'Nothing to rename here: put the cursor on the name of a declaration or a reference to one.' };
  const text = model.files.get(file)?.text ?? '';
  const written = text.slice(hit.range.start, hit.range.end);
  const sym = hit.sym;
  // Fields are renamed by their own name even where written qualified.
  if (sym.kind === 'field' && written.includes('.')) {
    const dot = written.lastIndexOf('.');
    return { range: { start: hit.range.start + dot + 1, end: hit.range.end }, placeholder: sym.name, sym };
  }
  if (sym.kind === 'contract' && written !== sym.name) return { range: hit.range, placeholder: written, sym };
  return { range: hit.range, placeholder: sym.kind === 'attribute' ? sym.name : written, sym };
}

function validate(model: Model, sym: Sym, newName: string): string | undefined {
  const what = kindLabel(sym);
  const parts = newName.split('.');
  const qualified = sym.kind === 'contract' || sym.kind === 'classification';
  if (!newName) return 'A name cannot be empty.';
  if (!qualified && parts.length > 1) return `'${newName}' is not a valid ${what} name: a ${what} name has no dots.`;
  for (const p of parts) {
    if (!NAME.test(p)) return `'${newName}' is not a valid name: names start with a letter or '_' and contain letters, digits, '_' and '-'.`;
  }
  if (RESERVED[sym.kind]?.includes(newName)) return `'${newName}' cannot name a ${what}: it is a keyword where ${what}s are written.`;
  const taken = (table: Map<string, unknown>) => table.has(newName);
  switch (sym.kind) {
    case 'contract': {
      if (parts.length !== 2) return `A contract is named <domain>.<product>, e.g. sales.orders; '${newName}' has ${parts.length} part(s).`;
      if (!model.domains.has(parts[0])) return `Domain '${parts[0]}' is not declared: declare it first, or keep the domain '${sym.domain}'.`;
      if (taken(model.contracts)) return `A contract named '${newName}' already exists.`;
      break;
    }
    case 'field':
      if (sym.contract.fields.has(newName)) return `${sym.contract.name} already has a field named '${newName}'.`;
      break;
    case 'classification': {
      if (taken(model.classifications)) return `A classification named '${newName}' already exists.`;
      if (parts.length > 1) {
        const parent = parts.slice(0, -1).join('.');
        if (!model.classifications.has(parent) && !parent.startsWith(sym.name)) return `Classification '${parent}' is not declared, so '${newName}' cannot be its child.`;
      }
      break;
    }
    case 'group':
      if (taken(model.groups)) return `A group named '${newName}' already exists.`;
      break;
    case 'principal':
      if (taken(model.principals)) return `A principal named '${newName}' already exists.`;
      break;
    case 'domain':
      if (taken(model.domains)) return `A domain named '${newName}' already exists.`;
      break;
    case 'policy':
      if (taken(model.policies)) return `A policy named '${newName}' already exists.`;
      break;
    case 'rule':
      if (taken(model.rules)) return `A rule named '${newName}' already exists.`;
      break;
    case 'waiver':
      if (taken(model.waivers)) return `A waiver named '${newName}' already exists.`;
      break;
    case 'test':
      if (taken(model.tests)) return `A test named '${newName}' already exists.`;
      break;
    case 'attribute':
      if (taken(sym.scope === 'subject' ? model.subjectSchema : model.contextSchema)) return `A ${sym.scope} attribute named '${newName}' already exists.`;
      break;
  }
  return undefined;
}

/** Replace the first `count` dotted segments of the name written at `range` with `replacement`. */
function prefixEdit(text: string, file: string, range: A.Range, count: number, replacement: string): TextEdit | undefined {
  const written = text.slice(range.start, range.end);
  const parts = written.split('.');
  if (parts.length < count) return undefined;
  const len = parts.slice(0, count).join('.').length;
  return { file, range: { start: range.start, end: range.start + len }, newText: replacement };
}

export function renameEdits(model: Model, file: string, offset: number, newName: string): { edits: TextEdit[] } | { error: string } {
  const prep = prepareRename(model, file, offset);
  if ('error' in prep) return prep;
  const sym = prep.sym;
  newName = newName.trim();
  const err = validate(model, sym, newName);
  if (err) return { error: err };
  if (newName === qualifiedName(sym) || (sym.kind === 'attribute' && newName === sym.name) || (sym.kind === 'field' && newName === sym.name)) return { edits: [] };
  const textOf = (f: string) => model.files.get(f)?.text ?? '';
  const edits: TextEdit[] = [];
  const all = (s: Sym) => [s.loc, ...referencesTo(model, s)];
  switch (sym.kind) {
    case 'field':
      // Declared by its own name; referenced as `name` or `domain.product.name`.
      for (const l of all(sym)) {
        const w = textOf(l.file).slice(l.range.start, l.range.end);
        const dot = w.lastIndexOf('.');
        edits.push({ file: l.file, range: { start: l.range.start + dot + 1, end: l.range.end }, newText: newName });
      }
      break;
    case 'contract': {
      const n = sym.name.split('.').length;
      for (const l of all(sym)) {
        const e = prefixEdit(textOf(l.file), l.file, l.range, n, newName);
        if (e) edits.push(e);
      }
      // `sales.orders.amount` written as one name (waiver targets).
      for (const f of sym.fields.values()) {
        for (const l of referencesTo(model, f)) {
          const w = textOf(l.file).slice(l.range.start, l.range.end);
          if (w.startsWith(sym.name + '.')) edits.push({ file: l.file, range: { start: l.range.start, end: l.range.start + sym.name.length }, newText: newName });
        }
      }
      break;
    }
    case 'domain': {
      for (const l of all(sym)) edits.push({ file: l.file, range: l.range, newText: newName });
      for (const c of sym.contracts) {
        for (const l of referencesTo(model, c)) {
          const e = prefixEdit(textOf(l.file), l.file, l.range, 1, newName);
          if (e) edits.push(e);
        }
        for (const f of c.fields.values()) {
          for (const l of referencesTo(model, f)) {
            const w = textOf(l.file).slice(l.range.start, l.range.end);
            if (w.startsWith(c.name + '.')) edits.push({ file: l.file, range: { start: l.range.start, end: l.range.start + sym.name.length }, newText: newName });
          }
        }
      }
      break;
    }
    case 'classification': {
      // The classification and its children (`pii.email` when renaming `pii`).
      for (const k of model.classifications.values()) {
        if (k !== sym && !k.name.startsWith(sym.name + '.')) continue;
        const n = sym.name.split('.').length;
        for (const l of all(k)) {
          const e = prefixEdit(textOf(l.file), l.file, l.range, n, newName);
          if (e) edits.push(e);
        }
      }
      break;
    }
    default:
      for (const l of all(sym)) edits.push({ file: l.file, range: l.range, newText: newName });
  }
  const unique = dedupe(edits);
  if (overlapping(unique)) return { error: 'This rename would edit overlapping text; rename the parts one at a time.' };
  // Never hand out a rename that breaks the syntax of a file.
  for (const [f, list] of groupByFile(unique)) {
    const before = model.files.get(f)?.ast.errors.length ?? 0;
    const after = parse(applyEdits(textOf(f), list)).errors.length;
    if (after > before) return { error: `Renaming to '${newName}' would not parse in ${f.split(/[\\/]/).pop()}: choose another name.` };
  }
  return { edits: unique };
}

function dedupe(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const k = `${e.file}\u0000${e.range.start}\u0000${e.range.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function groupByFile(edits: TextEdit[]): Map<string, TextEdit[]> {
  const m = new Map<string, TextEdit[]>();
  for (const e of edits) {
    let l = m.get(e.file);
    if (!l) m.set(e.file, (l = []));
    l.push(e);
  }
  return m;
}

function overlapping(edits: TextEdit[]): boolean {
  for (const list of groupByFile(edits).values()) {
    const s = [...list].sort((a, b) => a.range.start - b.range.start);
    for (let i = 1; i < s.length; i++) if (s[i].range.start < s[i - 1].range.end) return true;
  }
  return false;
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: { range: A.Range; newText: string }[]): string {
  const s = [...edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of s) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}
