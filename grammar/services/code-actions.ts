// Quick fixes for diagnostics: add an inherited tag, add a missing owner or
// SLA entry (retention...), set a value a governance rule asks for, replace
// an unknown name with the closest match, create a missing group.

import type * as A from '../ast';
import { closest } from '../model/suggest';
import type { FileDiagnostic, Model } from '../model/types';
import type { TextEdit } from './rename';

export interface QuickFix {
  title: string;
  diagnostic: FileDiagnostic;
  edits: TextEdit[];
  preferred?: boolean;
}

const SLA_DEFAULTS: Record<string, string> = {
  freshness: '1d',
  availability: '99.9%',
  retention: '365d',
  encryption: 'required',
  escalation: '"oncall://team"',
  latency: '1h',
  support: '"business hours"',
};

export function quickFixes(model: Model, diagnostics: FileDiagnostic[]): QuickFix[] {
  const out: QuickFix[] = [];
  for (const d of diagnostics) {
    const info = model.files.get(d.file);
    if (!info) continue;
    const data = (d.data ?? {}) as Record<string, unknown>;
    if (d.code.startsWith('unknown-') && typeof data.suggestion === 'string' && data.suggestion) {
      out.push({ title: `Change to '${data.suggestion}'`, diagnostic: d, edits: [{ file: d.file, range: d.range, newText: data.suggestion }], preferred: true });
    }
    if (d.code === 'unknown-group' && typeof data.unknown === 'string') {
      const fix = createGroup(model, d, data.unknown);
      if (fix) out.push(fix);
    }
    if (d.code === 'bad-enum-value' && Array.isArray(data.values)) {
      const written = info.text.slice(d.range.start, d.range.end).replace(/^"|"$/g, '');
      const best = closest(written, data.values as string[]) ?? (data.values as string[])[0];
      if (best !== undefined) out.push({ title: `Change to "${best}"`, diagnostic: d, edits: [{ file: d.file, range: d.range, newText: JSON.stringify(best) }], preferred: true });
    }
    if (d.code === 'inherits-tag' && typeof data.addTag === 'string') {
      const fix = addTag(info.ast, info.text, d, data.addTag);
      if (fix) out.push(fix);
    }
    if (d.code.startsWith('rule:')) out.push(...governanceFixes(model, d, info.ast, info.text));
  }
  return out;
}

function createGroup(model: Model, d: FileDiagnostic, name: string): QuickFix | undefined {
  // Next to the other groups: after the last group of the file that declares the most.
  const counts = new Map<string, number>();
  for (const g of model.groups.values()) counts.set(g.loc.file, (counts.get(g.loc.file) ?? 0) + 1);
  let file = d.file;
  let best = 0;
  for (const [f, n] of counts) if (n > best || (n === best && f < file)) [file, best] = [f, n];
  const info = model.files.get(file);
  if (!info) return undefined;
  const groups = info.ast.declarations.filter((x) => x.kind === 'group');
  let at: number;
  let text: string;
  if (groups.length) {
    const last = groups[groups.length - 1];
    at = lineEnd(info.text, last.range.end);
    text = `\ngroup ${name}`;
  } else {
    at = 0;
    text = `group ${name}\n\n`;
  }
  return { title: `Create group '${name}'${file !== d.file ? ` in ${file.split(/[\\/]/).pop()}` : ''}`, diagnostic: d, edits: [{ file, range: { start: at, end: at }, newText: text }] };
}

function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function indentOf(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return /^[ \t]*/.exec(text.slice(s))![0];
}

function addTag(ast: A.FileAst, text: string, d: FileDiagnostic, tag: string): QuickFix | undefined {
  for (const c of ast.declarations) {
    if (c.kind !== 'contract') continue;
    const f = c.fields.find((x) => x.name.range.start === d.range.start);
    if (!f) continue;
    let edit: TextEdit;
    if (f.tags.length) {
      const last = f.tags[f.tags.length - 1];
      edit = { file: d.file, range: { start: last.range.end, end: last.range.end }, newText: `, ${tag}` };
    } else {
      const after = f.type?.range.end ?? f.name.range.end;
      // After the type and the key/required/unique flags, before `from`.
      let at = after;
      const m = /^(\s+(?:key|required|unique)(?![A-Za-z0-9_-]))*/.exec(text.slice(after));
      if (m) at += m[0].length;
      edit = { file: d.file, range: { start: at, end: at }, newText: ` tagged ${tag}` };
    }
    return { title: `Declare the inherited tag: tagged ${tag}`, diagnostic: d, edits: [edit], preferred: true };
  }
  return undefined;
}

/** Inserts `line` as the first entry of the block opened by the `{` at `open`. */
function insertIntoBlock(text: string, file: string, open: number, line: string): TextEdit {
  const rest = text.slice(open + 1, lineEnd(text, open));
  if (/^\s*(#.*)?$/.test(rest)) {
    const indent = indentOf(text, open) + '  ';
    const at = lineEnd(text, open);
    return { file, range: { start: at, end: at }, newText: `\n${indent}${line}` };
  }
  return { file, range: { start: open + 1, end: open + 1 }, newText: ` ${line} ` };
}

function braceAfter(text: string, from: number, to: number): number {
  const i = text.indexOf('{', from);
  return i >= 0 && i < to ? i : -1;
}

function governanceFixes(model: Model, d: FileDiagnostic, ast: A.FileAst, text: string): QuickFix[] {
  const rule = model.rules.get(d.code.slice(5));
  const body = rule?.decl.body;
  if (!body || body.form !== 'must-have') return [];
  const path = body.path.text;
  const data = (d.data ?? {}) as Record<string, unknown>;
  const decl = ast.declarations.find((x) => (x.kind === 'contract' || x.kind === 'domain') && x.name.range.start === d.range.start && x.name.range.end === d.range.end) as
    | A.ContractDecl
    | A.DomainDecl
    | undefined;
  if (!decl) return [];
  const ruleText = model.files.get(rule!.loc.file)?.text ?? '';
  const wanted = body.value && (body.op === '<=' || body.op === '>=' || body.op === '==') ? ruleText.slice(body.value.range.start, body.value.range.end) : undefined;
  const out: QuickFix[] = [];
  if (data.missingProperty === 'owner' || (path === 'owner' && data.missingProperty)) {
    const group = ownerGuess(model, decl);
    if (!group) return [];
    const open = braceAfter(text, decl.name.range.end, decl.range.end);
    const edit: TextEdit =
      open >= 0
        ? insertIntoBlock(text, d.file, open, `owner ${group}`)
        : { file: d.file, range: { start: decl.range.end, end: decl.range.end }, newText: ` {\n  owner ${group}\n}` };
    out.push({ title: `Add 'owner ${group}'`, diagnostic: d, edits: [edit], preferred: true });
    return out;
  }
  if (decl.kind !== 'contract' || !path.startsWith('sla.')) return out;
  const key = path.slice(4);
  const value = wanted ?? SLA_DEFAULTS[key];
  if (!value) return out;
  const entry = decl.sla?.entries.find((e) => e.key.text === key);
  if (entry?.value && wanted) {
    out.push({ title: `Set ${key} to ${wanted}`, diagnostic: d, edits: [{ file: d.file, range: entry.value.range, newText: wanted }], preferred: true });
  } else if (!entry) {
    if (decl.sla) {
      const open = braceAfter(text, decl.sla.range.start, decl.sla.range.end);
      if (open >= 0) out.push({ title: `Add '${key} ${value}' to the sla`, diagnostic: d, edits: [insertIntoBlock(text, d.file, open, `${key} ${value}`)], preferred: true });
    } else {
      const open = braceAfter(text, decl.name.range.end, decl.range.end);
      if (open >= 0) {
        const multi = /^\s*(#.*)?$/.test(text.slice(open + 1, lineEnd(text, open)));
        const indent = indentOf(text, open) + '  ';
        const block = multi ? `sla {\n${indent}  ${key} ${value}\n${indent}}` : `sla { ${key} ${value} }`;
        out.push({ title: `Add an sla with '${key} ${value}'`, diagnostic: d, edits: [insertIntoBlock(text, d.file, open, block)], preferred: true });
      }
    }
  }
  return out;
}

/** The group a contract or domain most likely belongs to: the domain's owner, or a group named after the domain. */
function ownerGuess(model: Model, decl: A.ContractDecl | A.DomainDecl): string | undefined {
  const domain = decl.kind === 'contract' ? decl.name.parts[0]?.text : decl.name.text;
  const d = domain ? model.domains.get(domain) : undefined;
  if (d?.owner) return d.owner;
  for (const suffix of ['-team', '-data', '-owners', '']) if (model.groups.has(domain + suffix)) return domain + suffix;
  const near = domain ? closest(domain, model.groups.keys()) : undefined;
  if (near) return near;
  const byUse = new Map<string, number>();
  for (const c of model.contracts.values()) if (c.owner) byUse.set(c.owner, (byUse.get(c.owner) ?? 0) + 1);
  return [...byUse].sort((a, b) => b[1] - a[1])[0]?.[0] ?? [...model.groups.keys()][0];
}
