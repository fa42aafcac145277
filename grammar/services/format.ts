// The formatter (`charter fmt`, Format Document). It only ever changes the
// whitespace between tokens, keeps the user's line breaks, and proves it:
// the result is lexed again and must have exactly the same tokens and
// comments, and no syntax error, or the file is left as it is.
//
// What it normalises:
// - indentation: two spaces per open `{`; a line that continues a statement
//   (`when ...` under `allow ...`) gets one more level;
// - spaces inside a line: one between tokens, two between the entries of a
//   one-line block (`{ mfa true  device "managed" }`), none before `, : . ) ]`
//   and after `. ( [`, `list<string>`, `has(subject.x)`; the gap before a
//   trailing comment is kept (so aligned comments stay aligned);
// - blank lines: at most one in a row, none at the start or end of a block or
//   of the file; a declaration that spans several lines is separated from its
//   neighbours by one;
// - trailing whitespace; the file ends with one line break (its own style,
//   `\n` or `\r\n`).
// Files with syntax errors are refused: their structure is unknown.

import type { IToken } from 'chevrotain';
import type * as A from '../ast';
import * as T from '../lexer';
import { parse } from '../parser';
import { LineIndex } from '../text';

export type FormatResult =
  | { ok: true; text: string; changed: boolean }
  | { ok: false; reason: string; errors?: A.Diagnostic[] };

export interface FormatOptions {
  /** One level of indentation (two spaces). */
  indent?: string;
}

interface Item {
  tok: IToken;
  comment: boolean;
  start: number;
  end: number;
}

const NO_SPACE_BEFORE = new Set([',', ':', '.', ')', ']']);
const NO_SPACE_AFTER = new Set(['.', '(', '[']);

/** Offsets where a line is a new statement (not the continuation of one). */
function statementStarts(ast: A.FileAst, tokens: IToken[]): Set<number> {
  const s = new Set<number>();
  const add = (r: { start: number } | undefined) => r && s.add(r.start);
  for (const d of ast.declarations) {
    add(d.range);
    switch (d.kind) {
      case 'attributes':
        d.attributes.forEach((a) => add(a.range));
        break;
      case 'principal':
        d.attributes.forEach((a) => add(a.range));
        break;
      case 'classification':
        d.detectRanges.forEach(add);
        d.properties.forEach((p) => add(p.range));
        break;
      case 'domain':
      case 'waiver':
        d.properties.forEach((p) => add(p.range));
        break;
      case 'contract':
        d.fields.forEach((f) => add(f.range));
        d.properties.forEach((p) => add(p.range));
        add(d.source?.range);
        if (d.sla) {
          add(d.sla.range);
          d.sla.entries.forEach((e) => add(e.range));
        }
        break;
      case 'policy':
        d.rules.forEach((r) => add(r.range));
        break;
      case 'governance':
        for (const r of d.rules) {
          add(r.range);
          add(r.body?.range);
        }
        break;
      case 'test':
        for (const st of d.steps) {
          add(st.range);
          if (st.kind === 'given') st.entries.forEach((e) => add(e.range));
        }
        break;
    }
  }
  // `member of` in principals has no node of its own.
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i].image === 'member' && tokens[i + 1].image === 'of') s.add(tokens[i].startOffset);
  }
  return s;
}

function sameTokens(a: IToken[], b: IToken[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].tokenType !== b[i].tokenType || a[i].image !== b[i].image) return false;
  return true;
}

function lex(text: string): { tokens: IToken[]; comments: IToken[]; errors: number } {
  const r = T.charterLexer.tokenize(text);
  return { tokens: r.tokens, comments: r.groups.comments ?? [], errors: r.errors.length };
}

export function formatCharter(text: string, opts: FormatOptions = {}): FormatResult {
  const unit = opts.indent ?? '  ';
  const ast = parse(text);
  if (ast.errors.length) return { ok: false, reason: `${ast.errors.length} syntax error${ast.errors.length === 1 ? '' : 's'}: fix ${ast.errors.length === 1 ? 'it' : 'them'} before formatting`, errors: ast.errors };
  const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  const eol = crlf > lf ? '\r\n' : '\n';
  const { tokens, comments } = lex(text);
  const items: Item[] = [
    ...tokens.map((t) => ({ tok: t, comment: false, start: t.startOffset, end: t.startOffset + t.image.length })),
    ...comments.map((t) => ({ tok: t, comment: true, start: t.startOffset, end: t.startOffset + t.image.trimEnd().length })),
  ].sort((a, b) => a.start - b.start);
  const li = new LineIndex(text);
  const starts = statementStarts(ast, tokens);

  // Group items by source line.
  const lines: { line: number; items: Item[] }[] = [];
  for (const it of items) {
    const line = li.position(it.start).line;
    const last = lines[lines.length - 1];
    if (last && last.line === line) last.items.push(it);
    else lines.push({ line, items: [it] });
  }

  // Top-level declarations: the line of their first line (doc comments and
  // comments directly above included) and whether they span several lines.
  const declFirstLine = new Map<number, boolean>();
  const commentLines = new Set(comments.map((c) => li.position(c.startOffset).line));
  for (const d of ast.declarations) {
    let first = li.position(d.range.start).line;
    const multi = li.position(d.range.end).line > first;
    while (first > 0 && commentLines.has(first - 1) && lineIsOnlyComment(lines, first - 1)) first--;
    declFirstLine.set(first, multi);
  }
  const declEndLines = new Map<number, boolean>();
  for (const d of ast.declarations) {
    const s = li.position(d.range.start).line;
    const e = li.position(d.range.end).line;
    declEndLines.set(e, e > s);
  }

  const out: string[] = [];
  let depth = 0;
  let typeAngles = 0;
  let prevSourceLine = -1;
  let prevWasOpen = false;
  let lastDeclMulti = false;
  for (let li2 = 0; li2 < lines.length; li2++) {
    const { line, items: its } = lines[li2];
    const first = its[0];
    const firstIsClose = !first.comment && first.tok.tokenType === T.RBrace;
    // Blank lines from the source (at most one), none after `{` or before `}`.
    let blank = prevSourceLine >= 0 && line - prevSourceLine > 1;
    if (prevWasOpen || firstIsClose) blank = false;
    // Separate multi-line top-level declarations.
    if (depth === 0 && prevSourceLine >= 0 && declFirstLine.has(line) && (declFirstLine.get(line) || lastDeclMulti)) blank = true;
    if (out.length && blank) out.push('');

    let level = firstIsClose ? depth - 1 : depth;
    if (!first.comment && !firstIsClose && first.tok.tokenType !== T.LBrace && !starts.has(first.start)) level++;
    let s = unit.repeat(Math.max(0, level));
    let prev: Item | undefined;
    for (const it of its) {
      if (prev) {
        if (it.comment) {
          const gap = text.slice(prev.end, it.start).replace(/[^ \t]/g, '');
          s += gap.length ? gap.replace(/\t/g, ' ') : ' ';
        } else if (!spaceBetween(prev, it, typeAngles)) {
          /* no space */
        } else if (starts.has(it.start) && prev.tok.tokenType !== T.LBrace) {
          s += '  '; // entries of a one-line block: `{ mfa true  device "managed" }`
        } else s += ' ';
      }
      if (!it.comment) {
        const tt = it.tok.tokenType;
        if (tt === T.Lt && prev && !prev.comment && prev.tok.image === 'list') typeAngles++;
        else if (tt === T.Gt && typeAngles > 0) typeAngles--;
        if (tt === T.LBrace) depth++;
        else if (tt === T.RBrace) depth = Math.max(0, depth - 1);
      }
      s += it.comment ? it.tok.image.trimEnd() : it.tok.image;
      prev = it;
    }
    out.push(s.trimEnd());
    const lastTok = [...its].reverse().find((x) => !x.comment);
    prevWasOpen = !!lastTok && lastTok.tok.tokenType === T.LBrace;
    prevSourceLine = line;
    if (declEndLines.has(line) && depth === 0) lastDeclMulti = declEndLines.get(line)!;
    else if (depth === 0 && declFirstLine.has(line)) lastDeclMulti = declFirstLine.get(line)!;
  }
  const result = bom + (out.length ? out.join(eol) + eol : '');

  // Proof: same tokens, same comments, still no syntax error.
  const after = lex(result);
  const sameComments = after.comments.length === comments.length && after.comments.every((c, i) => c.image.trimEnd() === comments[i].image.trimEnd());
  if (!sameTokens(tokens, after.tokens) || !sameComments || after.errors || parse(result).errors.length) {
    return { ok: false, reason: 'internal error: formatting would change the tokens of this file, so it was left unchanged (please report it)' };
  }
  return { ok: true, text: result, changed: result !== text };
}

function lineIsOnlyComment(lines: { line: number; items: Item[] }[], line: number): boolean {
  const l = lines.find((x) => x.line === line);
  return !!l && l.items.length === 1 && l.items[0].comment;
}

function spaceBetween(a: Item, b: Item, typeAngles: number): boolean {
  const ai = a.tok.image;
  const bi = b.tok.image;
  if (NO_SPACE_AFTER.has(ai) && a.tok.tokenType !== T.StringLit) return false;
  if (NO_SPACE_BEFORE.has(bi) && b.tok.tokenType !== T.StringLit) return false;
  // has(subject.x)
  if (b.tok.tokenType === T.LParen && a.tok.tokenType === T.Has) return false;
  // list<string>
  if (b.tok.tokenType === T.Lt && ai === 'list') return false;
  if (a.tok.tokenType === T.Lt && typeAngles > 0) return false;
  if (b.tok.tokenType === T.Gt && typeAngles > 0) return false;
  return true;
}

/** Just the check: is the file formatted? undefined when it cannot be formatted (syntax errors). */
export function isFormatted(text: string): boolean | undefined {
  const r = formatCharter(text);
  return r.ok ? !r.changed : undefined;
}
