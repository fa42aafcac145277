// Semantic token classification: what the TextMate grammar cannot know.
// Keywords are soft (a group may be called `owner-team`, a field `key`), so a
// word is a keyword only where it is not a name; names are classified by what
// they resolve to (a contract, a field, a group...), built-in words (types,
// transforms, mask methods) are marked as such.

import { tokenMatcher } from 'chevrotain';
import type * as A from '../ast';
import * as T from '../lexer';
import { FIELD_TYPES, MASK_METHODS, TRANSFORMS, type Model, type Sym } from '../model/types';
import { namesInFile } from './locate';

export const TOKEN_TYPES = ['namespace', 'class', 'property', 'type', 'enum', 'variable', 'parameter', 'function', 'event', 'enumMember', 'keyword'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'deprecated', 'defaultLibrary'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

export interface SemanticToken {
  start: number;
  length: number;
  type: TokenType;
  /** Bit set over TOKEN_MODIFIERS. */
  modifiers: number;
}

const DECLARATION = 1;
const DEPRECATED = 2;
const DEFAULT_LIBRARY = 4;

function symType(sym: Sym): TokenType {
  switch (sym.kind) {
    case 'domain':
      return 'namespace';
    case 'contract':
      return 'class';
    case 'field':
      return 'property';
    case 'group':
      return 'type';
    case 'classification':
      return 'enum';
    case 'principal':
      return 'variable';
    case 'attribute':
      return 'parameter';
    case 'waiver':
      return 'event';
    default:
      return 'function';
  }
}

function deprecated(sym: Sym): boolean {
  const c = sym.kind === 'contract' ? sym : sym.kind === 'field' ? sym.contract : undefined;
  const s = c?.properties.get('status');
  return !!s && !('kind' in s) && s.text === 'deprecated';
}

/** Built-in words used as values: field types, transforms, mask methods. */
function builtins(ast: A.FileAst): { range: A.Range; type: TokenType }[] {
  const out: { range: A.Range; type: TokenType }[] = [];
  const typeRef = (t: A.TypeRef | undefined) => {
    for (let x = t; x; x = x.element) if ((FIELD_TYPES as readonly string[]).includes(x.name.text) || x.name.text === 'list') out.push({ range: x.name.range, type: 'type' });
  };
  for (const d of ast.declarations) {
    if (d.kind === 'contract') {
      for (const f of d.fields) {
        typeRef(f.type);
        if (f.via && (TRANSFORMS as string[]).includes(f.via.text)) out.push({ range: f.via.range, type: 'enumMember' });
      }
    } else if (d.kind === 'policy') {
      for (const r of d.rules) if (r.kind === 'mask' && (MASK_METHODS as readonly string[]).includes(r.method.text)) out.push({ range: r.method.range, type: 'enumMember' });
    } else if (d.kind === 'test') {
      for (const s of d.steps) if (s.kind === 'expect' && s.method) out.push({ range: s.method.range, type: 'enumMember' });
    }
  }
  return out;
}

/**
 * Tokens of one file, sorted by offset, never overlapping. `text` must be
 * the text the model was built from.
 */
export function semanticTokens(model: Model, file: string, range?: A.Range): SemanticToken[] {
  const info = model.files.get(file);
  if (!info) return [];
  const text = info.text;
  const from = range?.start ?? 0;
  const to = range?.end ?? text.length;
  const out: (SemanticToken & { span?: number })[] = [];
  // Names that resolve to a symbol.
  for (const h of namesInFile(model, file)) {
    if (h.range.end < from || h.range.start > to) continue;
    let mods = h.declaration ? DECLARATION : 0;
    if (deprecated(h.sym)) mods |= DEPRECATED;
    // A qualified name (`sales.orders.customer_email`) is one range: colour each segment.
    const segs = splitSegments(text, h.range);
    const span = h.range.end - h.range.start;
    for (const s of segs) out.push({ start: s.start, length: s.end - s.start, type: symType(h.sym), modifiers: mods, span });
  }
  for (const b of builtins(info.ast)) {
    if (b.range.end < from || b.range.start > to) continue;
    out.push({ start: b.range.start, length: b.range.end - b.range.start, type: b.type, modifiers: DEFAULT_LIBRARY });
  }
  // Keywords used as keywords: keyword tokens not covered by a name above.
  const covered = out.map((t) => [t.start, t.start + t.length] as const).sort((a, b) => a[0] - b[0]);
  const slice = text.slice(from, to);
  const lexed = T.charterLexer.tokenize(slice);
  let ci = 0;
  for (const tok of lexed.tokens) {
    if (!tok.tokenType.name.startsWith('Kw_') || !tokenMatcher(tok, T.Name)) continue;
    if (tok.tokenType === T.True || tok.tokenType === T.False) continue;
    const s = from + tok.startOffset;
    const e = s + tok.image.length;
    while (ci < covered.length && covered[ci][1] <= s) ci++;
    if (ci < covered.length && covered[ci][0] < e && covered[ci][1] > s) continue;
    out.push({ start: s, length: e - s, type: 'keyword', modifiers: 0 });
  }
  // At one offset the longer token wins; between equal ones, the innermost name (`sales` the domain inside `sales.orders`).
  out.sort((a, b) => a.start - b.start || b.length - a.length || (a.span ?? 0) - (b.span ?? 0));
  // Drop overlaps (a name inside another name keeps the outer one's first segment).
  const result: SemanticToken[] = [];
  let end = -1;
  for (const t of out) {
    if (t.start < end) continue;
    result.push({ start: t.start, length: t.length, type: t.type, modifiers: t.modifiers });
    end = t.start + t.length;
  }
  return result;
}

/** Segments of a (possibly qualified) name range, without the dots. */
function splitSegments(text: string, r: A.Range): A.Range[] {
  const out: A.Range[] = [];
  let s = r.start;
  for (let i = r.start; i <= r.end; i++) {
    if (i === r.end || text[i] === '.' || text[i] === '\n' || text[i] === '\r') {
      if (i > s) out.push({ start: s, end: i });
      s = i + 1;
    }
  }
  return out;
}
