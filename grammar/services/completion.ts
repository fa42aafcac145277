// Completion that knows where it is. The cursor's declaration is lexed (not
// parsed: the text being typed is usually incomplete) and a small state
// machine over its tokens says what may come next: keywords valid there, the
// names of groups, principals, contracts, fields, classifications, rules,
// `subject.` / `context.` attributes from the schema, enum values, transforms,
// mask methods, and snippets for declarations and rules.
//
// Pure and fast: it needs the text, the offset and a CompletionIndex (the
// names of the last analysis), never the model, so the server answers it
// without waiting for an analysis.

import { tokenMatcher, type IToken } from 'chevrotain';
import type * as A from '../ast';
import * as T from '../lexer';
import { CONTRACT_STATUSES, FIELD_TYPES, MASK_METHODS, TRANSFORMS } from '../model/types';
import type { AttributeInfo, CompletionIndex, ContractInfo } from './completion-index';
import { MASK_METHOD_DOCS, TRANSFORM_DOCS } from './describe';

export type CandidateKind =
  | 'keyword'
  | 'snippet'
  | 'group'
  | 'principal'
  | 'domain'
  | 'contract'
  | 'field'
  | 'classification'
  | 'attribute'
  | 'value'
  | 'transform'
  | 'mask-method'
  | 'type'
  | 'rule'
  | 'policy'
  | 'property'
  | 'operator';

export interface Candidate {
  label: string;
  kind: CandidateKind;
  detail?: string;
  documentation?: string;
  /** Text inserted (the label when absent). A snippet when `snippet` is set. */
  insertText?: string;
  snippet?: boolean;
  /** The range replaced: the word (or name segment) being typed, up to the cursor. */
  replace: A.Range;
  /** Open completion again after inserting (`crm.` -> the contracts of crm). */
  retrigger?: boolean;
  sortText: string;
  filterText?: string;
}

export interface CompletionOptions {
  /** The client can expand snippets (LSP snippetSupport). */
  snippets?: boolean;
  /** The document's URI: its domain's names are offered first (CompletionIndex.fileDomains). */
  uri?: string;
}

/** sortText buckets: the current domain's names, then the others, then names from files with errors. */
const RANK_NEAR = 0;
const RANK_NORMAL = 1;
const RANK_DEMOTED = 2;

// ----------------------------------------------------------------- tokens

interface Tok {
  image: string;
  /** A name (keywords included: they are soft). */
  name: boolean;
  type: IToken['tokenType'];
  start: number;
  end: number;
  firstOnLine: boolean;
}

const DECL_KEYWORDS = ['group', 'subject', 'context', 'principal', 'classification', 'domain', 'contract', 'policy', 'governance', 'waiver', 'test'];
const DECL_RE = new RegExp(`^(?:${DECL_KEYWORDS.join('|')})(?![A-Za-z0-9_-])`);
const LITERALS = new Set([T.StringLit, T.NumberLit, T.DurationLit, T.PercentLit, T.DateLit, T.VersionLit, T.RegexLit, T.True, T.False]);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
const SLA_KEYS = ['freshness', 'availability', 'retention', 'encryption', 'escalation', 'latency', 'support'];
const SYSTEMS = ['postgres', 'snowflake', 'bigquery', 'kafka', 's3', 'redshift', 'databricks'];
const MUST_HAVE: Record<string, string[]> = {
  contract: ['owner', 'description', 'version', 'status', 'source', 'sla', 'sla.freshness', 'sla.availability', 'sla.retention', 'sla.encryption', 'sla.escalation', 'sla.latency', 'sla.support'],
  field: ['description', 'type', 'key', 'required', 'unique', 'tags', 'from'],
  policy: ['description'],
  domain: ['owner', 'description'],
};

const isName = (t: Tok | undefined) => !!t && t.name;
const isLiteral = (t: Tok | undefined) => !!t && LITERALS.has(t.type);

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Start of the top-level declaration around the offset: a declaration keyword at column 0 before it. */
function chunkStart(text: string, offset: number): number {
  let pos = lineStart(text, offset);
  for (let n = 0; n < 20000; n++) {
    const m = DECL_RE.exec(text.slice(pos, pos + 20));
    if (m && pos + m[0].length <= offset) return pos;
    if (pos === 0) return 0;
    pos = lineStart(text, pos - 1);
  }
  return pos;
}

/** Is the offset inside a `#` comment on its line? */
function inComment(text: string, offset: number): boolean {
  const line = text.slice(lineStart(text, offset), offset);
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '#') return true;
  }
  return false;
}

function tokensOf(text: string, from: number, to: number): Tok[] {
  const lexed = T.charterLexer.tokenize(text.slice(from, to));
  return lexed.tokens.map((t) => {
    const start = from + t.startOffset;
    let i = start;
    while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
    return { image: t.image, name: tokenMatcher(t, T.Name), type: t.tokenType, start, end: start + t.image.length, firstOnLine: i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r' };
  });
}

// ----------------------------------------------------------------- frames

type FrameKind = 'top' | 'contract' | 'sla' | 'policy' | 'principal' | 'attributes' | 'classification' | 'domain' | 'governance' | 'govrule' | 'waiver' | 'test' | 'given' | 'unknown';

interface Frame {
  kind: FrameKind;
  /** Tokens of the statement that opened the block (`policy p on sales.orders`). */
  header: Tok[];
  /** Tokens of the current statement. */
  stmt: Tok[];
  /** First words of the statements already in the block (to skip properties set twice). */
  seen: Set<string>;
}

function frameKind(parent: Frame, stmt: Tok[]): FrameKind {
  const w = stmt[0]?.image;
  switch (parent.kind) {
    case 'top':
      if (w === 'subject' || w === 'context') return 'attributes';
      if (w === 'contract' || w === 'policy' || w === 'principal' || w === 'classification' || w === 'domain' || w === 'governance' || w === 'waiver' || w === 'test') return w;
      return 'unknown';
    case 'contract':
      return w === 'sla' ? 'sla' : 'unknown';
    case 'governance':
      return w === 'rule' ? 'govrule' : 'unknown';
    case 'test':
      return w === 'given' ? 'given' : 'unknown';
    default:
      return 'unknown';
  }
}

function startsStatement(f: Frame, tok: Tok, prev: Tok | undefined): boolean {
  const s = f.stmt;
  if (!s.length) return false;
  const w = tok.image;
  const afterDot = prev?.image === '.';
  switch (f.kind) {
    case 'top':
      return DECL_KEYWORDS.includes(w) && (tok.firstOnLine || prev?.image === '}');
    case 'contract':
      if (afterDot) return false;
      if (w === 'field' || w === 'sla' || w === 'source') return true;
      return tok.firstOnLine && !['tagged', 'from', 'via', 'key', 'required', 'unique'].includes(w) && tok.type !== T.StringLit && prev?.image !== ',';
    case 'policy':
      return ['allow', 'deny', 'mask', 'rows'].includes(w) && (tok.firstOnLine || !isName(prev));
    case 'test':
      return w === 'expect' || w === 'given';
    case 'governance':
      return w === 'rule';
    case 'govrule':
      return false;
    case 'principal':
    case 'given':
      if (tok.firstOnLine || w === 'member') return true;
      if (isLiteral(prev)) return true;
      if (s[0].image === 'member' && isName(tok) && isName(prev) && s.length >= 3 && s[s.length - 2].image !== 'member') {
        const before = s[s.length - 2]?.image;
        return before === 'of' || before === ',';
      }
      return false;
    case 'attributes':
      return (tok.firstOnLine || (s.length >= 3 && isName(tok))) && prev?.image !== '|' && prev?.image !== ':';
    default:
      // Property blocks: `key value` entries, one a line or two spaces apart.
      return (tok.firstOnLine || (s.length >= 2 && isName(tok))) && prev?.image !== ',';
  }
}

// ------------------------------------------------------------- candidates

class Out {
  readonly items: Candidate[] = [];
  constructor(
    readonly replace: A.Range,
    readonly snippets: boolean,
  ) {}

  /** Adds a candidate; `rank` orders it (RANK_NEAR first), insertion order within a rank. */
  add(c: Omit<Candidate, 'sortText' | 'replace'> & { replace?: A.Range }, rank = RANK_NORMAL): void {
    if (c.snippet && !this.snippets) return;
    const same = this.items.findIndex((x) => x.label === c.label && (x.kind === c.kind || isSnippetOrKeyword(x.kind) && isSnippetOrKeyword(c.kind)));
    if (same >= 0) {
      // A snippet and a keyword with the same label are one entry: the snippet.
      if (c.kind === 'snippet' && this.items[same].kind === 'keyword') this.items[same] = { ...c, replace: c.replace ?? this.replace, sortText: this.items[same].sortText };
      return;
    }
    this.items.push({ ...c, replace: c.replace ?? this.replace, sortText: `${rank}${String(this.items.length).padStart(5, '0')}` });
  }

  /** The candidates in the order of their sortText. */
  sorted(): Candidate[] {
    return [...this.items].sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0));
  }

  keywords(words: string[], detail?: string): void {
    for (const w of words) this.add({ label: w, kind: 'keyword', detail });
  }

  snippet(label: string, body: string, detail: string): void {
    this.add({ label, kind: 'snippet', insertText: body, snippet: true, detail, filterText: label.split(' ')[0] });
  }
}

const isSnippetOrKeyword = (k: CandidateKind) => k === 'snippet' || k === 'keyword';

/** The domain the cursor is in: the declaration's (`contract sales.x`, `policy p on sales.x`, `domain sales`), else the file's. */
function currentDomain(stack: Frame[], stmt: Tok[], index: CompletionIndex, uri: string | undefined): string | undefined {
  const header = stack.length > 1 ? stack[1].header : stmt;
  const w = words(header);
  const dom = (q: string | undefined) => (q && /^[A-Za-z_][\w-]*\./.test(q) ? q.slice(0, q.indexOf('.')) : undefined);
  if (w[0] === 'contract') return dom(w[1]) ?? (uri ? index.fileDomains?.[uri] : undefined);
  if (w[0] === 'domain' && w[1]) return w[1];
  const on = w.indexOf('on');
  if (w[0] === 'policy' && on > 0) return w[on + 1] === 'domain' ? w[on + 2] : dom(w[on + 1]);
  return uri ? index.fileDomains?.[uri] : undefined;
}

function rankOf(c: Ctx, info: { domains?: string[]; demoted?: boolean }): number {
  if (info.demoted) return RANK_DEMOTED;
  return c.domain && info.domains?.includes(c.domain) ? RANK_NEAR : RANK_NORMAL;
}

export function complete(text: string, offset: number, index: CompletionIndex, opts: CompletionOptions = {}): Candidate[] {
  offset = Math.max(0, Math.min(offset, text.length));
  if (inComment(text, offset)) return [];
  const start = chunkStart(text, offset);
  let toks = tokensOf(text, start, offset);

  // Inside a string: only enum values make sense.
  let inString: Tok | undefined;
  const last = toks[toks.length - 1];
  if (last && last.type === T.UnterminatedString && last.end === offset) {
    inString = last;
    toks = toks.slice(0, -1);
  }

  // The (qualified) name being typed: `sales.or|`, `crm.|`, `ana|`.
  let prefix: Tok | undefined;
  const qual: string[] = [];
  let qualStart = offset;
  if (!inString) {
    let i = toks.length - 1;
    if (i >= 0 && toks[i].end === offset && isName(toks[i])) {
      prefix = toks[i];
      qualStart = prefix.start;
      i--;
    }
    if (i >= 0 && toks[i].image === '.' && toks[i].end === (prefix?.start ?? offset)) {
      while (i >= 1 && toks[i].image === '.' && isName(toks[i - 1]) && toks[i - 1].end === toks[i].start) {
        qual.unshift(toks[i - 1].image);
        qualStart = toks[i - 1].start;
        i -= 2;
      }
    }
    toks = toks.slice(0, i + 1);
  }
  const replace: A.Range = inString ? { start: inString.start, end: text[offset] === '"' ? offset + 1 : offset } : { start: prefix?.start ?? offset, end: offset };

  // Frames and statements.
  const stack: Frame[] = [{ kind: 'top', header: [], stmt: [], seen: new Set() }];
  let prev: Tok | undefined;
  for (const tok of toks) {
    const f = stack[stack.length - 1];
    if (tok.type === T.LBrace) {
      stack.push({ kind: frameKind(f, f.stmt), header: f.stmt.slice(), stmt: [], seen: new Set() });
    } else if (tok.type === T.RBrace) {
      if (stack.length > 1) {
        const closed = stack.pop()!;
        if (closed.stmt.length) closed.seen.add(closed.stmt[0].image);
        const parent = stack[stack.length - 1];
        if (parent.stmt.length) parent.seen.add(parent.stmt[0].image);
        parent.stmt = [];
      }
    } else {
      if (startsStatement(f, tok, prev)) {
        f.seen.add(f.stmt[0].image);
        f.stmt = [];
      }
      f.stmt.push(tok);
    }
    prev = tok;
  }
  const frame = stack[stack.length - 1];
  const out = new Out(replace, !!opts.snippets);
  const ctx: Ctx = { frame, stmt: frame.stmt, qual, qualStart, prefix, inString, index, out, offset, text, stack, domain: currentDomain(stack, frame.stmt, index, opts.uri) };
  if (inString) {
    stringCandidates(ctx);
    return out.sorted();
  }
  // A new statement at the cursor: the previous one ended (`field x: int` + newline + `|`,
  // `member of analysts  reg|`).
  if (frame.stmt.length && !qual.length) {
    const lineStartHere = prefix ? prefix.firstOnLine : atLineStart(text, offset);
    const probe: Tok = { image: prefix?.image ?? '', name: true, type: prefix?.type ?? T.Name, start: replace.start, end: offset, firstOnLine: lineStartHere };
    if (startsStatement(frame, probe, frame.stmt[frame.stmt.length - 1]) || (lineStartHere && lineBreakEnds(frame))) {
      frame.seen.add(frame.stmt[0].image);
      ctx.stmt = frame.stmt = [];
    }
  }
  switch (frame.kind) {
    case 'top':
      topLevel(ctx);
      break;
    case 'contract':
      contractBody(ctx);
      break;
    case 'sla':
      slaBody(ctx);
      break;
    case 'policy':
      policyBody(ctx);
      // At the start of a line a rule may continue (`and ...`) or a new one begin.
      if (ctx.stmt.length && (prefix?.firstOnLine || (!prefix && !qual.length && atLineStart(text, offset)))) {
        ctx.stmt = [];
        policyBody(ctx);
      }
      break;
    case 'principal':
      principalBody(ctx, 'subject');
      break;
    case 'given':
      principalBody(ctx, 'context');
      break;
    case 'attributes':
      attributesBody(ctx);
      break;
    case 'classification':
      if (!ctx.stmt.length) out.keywords(['level'], 'sensitivity level (a number)');
      break;
    case 'domain':
      domainBody(ctx);
      break;
    case 'governance':
      governanceBody(ctx);
      break;
    case 'govrule':
      govRuleBody(ctx);
      break;
    case 'waiver':
      waiverBody(ctx);
      break;
    case 'test':
      testBody(ctx);
      break;
  }
  return out.sorted();
}

function atLineStart(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** Frames where a line break always ends the statement. */
function lineBreakEnds(f: Frame): boolean {
  return ['top', 'sla', 'attributes', 'classification', 'domain', 'waiver', 'principal', 'given', 'test', 'contract'].includes(f.kind) && f.stmt.length > 0 && !['when', 'and', 'or', 'not', ',', 'to', 'for', 'except', 'of', 'with', 'where', 'from', 'tagged', 'via', ':', '==', '!=', '<', '<=', '>', '>=', 'in', '(', '[', 'on', '|'].includes(f.stmt[f.stmt.length - 1].image);
}

interface Ctx {
  frame: Frame;
  stack: Frame[];
  stmt: Tok[];
  qual: string[];
  qualStart: number;
  prefix: Tok | undefined;
  inString: Tok | undefined;
  index: CompletionIndex;
  out: Out;
  offset: number;
  text: string;
  /** The domain the cursor is in (names of it come first). */
  domain?: string;
}

/** The statement's words, with dotted names joined (`sales`, `.`, `orders` -> `sales.orders`; `sales.*`). */
function words(toks: Tok[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const prev = toks[i - 1];
    const joinable = (t.image === '.' || (t.name || t.type === T.Star) && prev?.image === '.') && prev && prev.end === t.start && out.length;
    if (joinable && (t.image !== '.' || prev.name)) out[out.length - 1] += t.image;
    else out.push(t.image);
  }
  return out;
}
const lastWord = (toks: Tok[]) => toks[toks.length - 1]?.image;

// -------------------------------------------------------------- name sets

/** Groups; `owners`: where an owner is named, the groups owning the current domain come first. */
function groups(c: Ctx, owners = false): void {
  for (const g of c.index.groups) c.out.add({ label: g.name, kind: 'group', detail: g.detail ?? 'group' }, owners ? rankOf(c, g) : g.demoted ? RANK_DEMOTED : RANK_NORMAL);
}

function principals(c: Ctx): void {
  for (const p of c.index.principals) c.out.add({ label: p.name, kind: 'principal', detail: p.detail }, rankOf(c, p));
}

function audienceStart(c: Ctx): void {
  c.out.keywords(['everyone', 'owner']);
  c.out.add({ label: 'principal', kind: 'keyword', detail: 'one principal: principal NAME' });
  groups(c);
}

/** Classifications, replacing the whole dotted name typed so far. */
function classifications(c: Ctx): void {
  const replace = { start: c.qualStart, end: c.offset };
  for (const k of c.index.classifications) c.out.add({ label: k.name, kind: 'classification', detail: k.detail ?? 'classification', replace }, rankOf(c, k));
}

function contractsOf(c: Ctx, domain: string): ContractInfo[] {
  return c.index.contracts.filter((k) => k.name.startsWith(domain + '.') && k.name.indexOf('.', domain.length + 1) < 0);
}

/** `domain.product.field`, one segment at a time (domains, then products, then fields). */
function fieldRef(c: Ctx, flat = true): void {
  const q = c.qual;
  if (q.length === 0) {
    for (const d of c.index.domains) c.out.add({ label: d.name, kind: 'domain', detail: d.detail ?? 'domain', insertText: d.name + '.', retrigger: true }, rankOf(c, d));
    // Typing part of a field's name also finds it directly.
    if (flat && c.prefix && c.prefix.image.length >= 2) {
      const p = c.prefix.image.toLowerCase();
      let n = 0;
      for (const k of c.index.contracts) {
        for (const f of k.fields) {
          if (n >= 100) break;
          const q2 = `${k.name}.${f.name}`;
          if (!f.name.toLowerCase().includes(p)) continue;
          c.out.add({ label: q2, kind: 'field', detail: f.detail, filterText: `${f.name} ${q2}` }, contractRank(c, k));
          n++;
        }
      }
    }
  } else if (q.length === 1) {
    for (const k of contractsOf(c, q[0])) {
      const product = k.name.slice(q[0].length + 1);
      c.out.add({ label: product, kind: 'contract', detail: k.detail ?? `contract ${k.name}`, insertText: product + '.', retrigger: true }, contractRank(c, k));
    }
  } else {
    const k = c.index.contracts.find((x) => x.name === q.join('.'));
    for (const f of k?.fields ?? []) c.out.add({ label: f.name, kind: 'field', detail: f.detail });
  }
}

/** `domain.product` (policy targets, flow targets): domains, then products (and `*` for a wildcard). */
function contractRef(c: Ctx, wildcard: boolean): void {
  const q = c.qual;
  if (q.length === 0) {
    for (const d of c.index.domains) c.out.add({ label: d.name, kind: 'domain', detail: d.detail ?? 'domain', insertText: d.name + '.', retrigger: true }, rankOf(c, d));
  } else if (q.length === 1) {
    if (wildcard) c.out.add({ label: '*', kind: 'keyword', detail: `every contract of domain ${q[0]}` });
    for (const k of contractsOf(c, q[0])) c.out.add({ label: k.name.slice(q[0].length + 1), kind: 'contract', detail: k.detail ?? `contract ${k.name}` }, contractRank(c, k));
  }
}

function contractRank(c: Ctx, k: ContractInfo): number {
  return k.demoted ? RANK_DEMOTED : c.domain && k.name.startsWith(c.domain + '.') ? RANK_NEAR : RANK_NORMAL;
}

function domains(c: Ctx): void {
  for (const d of c.index.domains) c.out.add({ label: d.name, kind: 'domain', detail: d.detail ?? 'domain' }, rankOf(c, d));
}

function attrs(c: Ctx, scope: 'subject' | 'context', exclude: Set<string> = new Set()): void {
  for (const a of c.index[scope]) if (!exclude.has(a.name)) c.out.add({ label: a.name, kind: 'attribute', detail: `${scope}.${a.name}: ${a.detail}` });
}

function attrValues(c: Ctx, a: AttributeInfo | undefined, quoted: boolean): void {
  if (!a) return;
  if (a.values) {
    for (const v of a.values) {
      const lit = JSON.stringify(v);
      c.out.add({ label: lit, kind: 'value', detail: `${a.name}: ${a.detail}`, insertText: quoted ? lit : lit, filterText: lit });
    }
  } else if (a.type === 'bool') c.out.keywords(['true', 'false'], `${a.name}: bool`);
}

function targetFields(c: Ctx): void {
  const policy = c.stack.find((f) => f.kind === 'policy');
  const h = policy ? words(policy.header) : [];
  const on = h.indexOf('on');
  if (on < 0) return;
  const t = h.slice(on + 1);
  let contracts: ContractInfo[] = [];
  if (t[0] === 'domain' && t[1]) contracts = contractsOf(c, t[1]);
  else if (t[0] === 'fields') return;
  else if (t[0]?.endsWith('.*')) contracts = contractsOf(c, t[0].slice(0, -2));
  else {
    const k = c.index.contracts.find((x) => x.name === t[0]);
    if (k) contracts = [k];
  }
  for (const k of contracts) for (const f of k.fields) c.out.add({ label: f.name, kind: 'field', detail: `${k.name}: ${f.detail}` });
}

function snippetsTop(c: Ctx): void {
  const s = (l: string, b: string, d: string) => c.out.snippet(l, b, d);
  s('contract', 'contract ${1:domain}.${2:product} {\n  owner ${3:group}\n  status ${4|draft,active,deprecated|}\n  field ${5:id}: ${6:uuid} key\n}', 'a data contract');
  s('policy', 'policy ${1:name} on ${2:domain.product} {\n  allow read to ${3:group}\n}', 'an access policy');
  s('test', 'test ${1:name} {\n  given context { $2 }\n  expect ${3:principal} can read ${4:domain.product.field}\n}', 'expectations about access');
  s('governance', 'governance ${1:name} {\n  rule ${2:name} ${3|error,warning,info|} {\n    every ${4|contract,field,policy,domain|} must have ${5:owner}\n  }\n}', 'a set of governance rules');
  s('principal', 'principal ${1:name} {\n  member of ${2:group}\n}', 'a persona for simulation and tests');
  s('domain', 'domain ${1:name} {\n  owner ${2:group}\n}', 'a domain and its owning group');
  s('waiver', 'waiver ${1:name} for rule ${2:rule} on ${3:target} {\n  reason "$4"\n  expires ${5:2027-12-31}\n  approved-by ${6:group}\n}', 'an exception to one governance rule');
}

// ---------------------------------------------------------------- frames

function topLevel(c: Ctx): void {
  const w = words(c.stmt);
  const o = c.out;
  if (!w.length) {
    snippetsTop(c);
    o.keywords(['group', 'principal', 'classification', 'domain', 'contract', 'policy', 'governance', 'waiver', 'test']);
    o.add({ label: 'subject attributes', kind: 'keyword', insertText: 'subject attributes {\n  $1\n}', snippet: c.out.snippets, detail: 'the attribute schema of principals' });
    o.add({ label: 'context attributes', kind: 'keyword', insertText: 'context attributes {\n  $1\n}', snippet: c.out.snippets, detail: 'the attribute schema of the request context' });
    return;
  }
  const kw = w[0];
  if ((kw === 'subject' || kw === 'context') && w.length === 1) return o.keywords(['attributes']);
  if (kw === 'contract' && w.length === 1 && !c.qual.length) {
    for (const d of c.index.domains) o.add({ label: d.name, kind: 'domain', detail: d.detail ?? 'domain', insertText: d.name + '.' });
    return;
  }
  if (kw === 'principal' && w.length === 2) return o.keywords(['service'], 'a service account, not a person');
  if (kw === 'policy') return policyHeader(c, w);
  if (kw === 'waiver') return waiverHeader(c, w);
  if (kw === 'classification' && w.length === 1) return classifications(c);
}

function policyHeader(c: Ctx, w: string[]): void {
  const o = c.out;
  if (w.length === 2) return o.keywords(['on']);
  const on = w.indexOf('on');
  if (on < 0) return;
  const t = w.slice(on + 1);
  if (!t.length) {
    if (!c.qual.length) {
      o.add({ label: 'domain', kind: 'keyword', detail: 'every contract of a domain: domain NAME' });
      o.add({ label: 'fields tagged', kind: 'keyword', detail: 'fields carrying a classification' });
    }
    return contractRef(c, true);
  }
  if (t[0] === 'domain' && t.length === 1) return domains(c);
  if (t[0] === 'fields' && t.length === 1) return o.keywords(['tagged']);
  if (t[0] === 'fields' && t[1] === 'tagged' && (t.length === 2 || t[t.length - 1] === ',')) return classifications(c);
}

function waiverHeader(c: Ctx, w: string[]): void {
  const o = c.out;
  if (w.length === 2) return o.add({ label: 'for rule', kind: 'keyword' });
  if (w.length === 3 && w[2] === 'for') return o.keywords(['rule']);
  if (w.length === 4 && w[3] === 'rule') {
    for (const r of c.index.rules) o.add({ label: r.name, kind: 'rule', detail: r.detail });
    return;
  }
  if (w.length === 5) return o.keywords(['on']);
  if (w.length === 6 && w[5] === 'on') {
    if (!c.qual.length) for (const p of c.index.policies) o.add({ label: p.name, kind: 'policy', detail: 'policy' });
    return fieldRef(c, false);
  }
}

function contractBody(c: Ctx): void {
  const w = words(c.stmt);
  const o = c.out;
  const seen = c.frame.seen;
  if (!w.length) {
    o.snippet('field', 'field ${1:name}: ${2|string,int,decimal,bool,date,timestamp,uuid,json|}', 'a column');
    o.add({ label: 'field', kind: 'keyword', detail: 'field NAME: TYPE [key] [required] [unique] [tagged T] [from F [via TRANSFORM]] ["description"]' });
    for (const k of ['version', 'owner', 'status', 'description', 'source']) if (!seen.has(k)) o.add({ label: k, kind: 'property' });
    if (!seen.has('sla')) {
      o.snippet('sla', 'sla {\n  freshness ${1:1d}\n  retention ${2:365d}\n}', 'service levels');
      o.add({ label: 'sla', kind: 'keyword' });
    }
    return;
  }
  const kw = w[0];
  if (w.length === 1) {
    if (kw === 'owner') return groups(c, true);
    if (kw === 'status') return o.keywords([...CONTRACT_STATUSES]);
    if (kw === 'source') return o.keywords(SYSTEMS, 'source system');
    if (kw === 'sla') return;
  }
  if (kw !== 'field') return;
  const lw = lastWord(c.stmt);
  if (w.length === 2) return; // after the field's name: ':'
  if (lw === ':' || (lw === '<' && w[w.length - 2] === 'list')) {
    for (const t of FIELD_TYPES) o.add({ label: t, kind: 'type' });
    if (lw === ':') o.add({ label: 'list', kind: 'type', insertText: c.out.snippets ? 'list<$1>' : 'list<', snippet: c.out.snippets, detail: 'list<T>' });
    return;
  }
  if (lw === 'tagged' || (lw === ',' && lastModifier(w) === 'tagged')) return classifications(c);
  if (lw === 'from' || (lw === ',' && lastModifier(w) === 'from')) return fieldRef(c);
  if (lw === 'via') {
    for (const t of TRANSFORMS) o.add({ label: t, kind: 'transform', detail: TRANSFORM_DOCS[t] });
    return;
  }
  // After the type or a modifier: more modifiers.
  const used = new Set(w);
  for (const m of ['key', 'required', 'unique', 'tagged', 'from']) if (!used.has(m)) o.keywords([m]);
  if (lastModifier(w) === 'from' && !used.has('via')) o.add({ label: 'via', kind: 'keyword', detail: 'how the value is derived: copy, derive, hash, tokenize, encrypt, mask, aggregate' });
}

function lastModifier(w: string[]): string | undefined {
  for (let i = w.length - 1; i >= 0; i--) if (['tagged', 'from', 'via', 'key', 'required', 'unique', ':'].includes(w[i])) return w[i];
  return undefined;
}

function slaBody(c: Ctx): void {
  const w = words(c.stmt);
  if (!w.length) {
    for (const k of SLA_KEYS) if (!c.frame.seen.has(k)) c.out.add({ label: k, kind: 'property' });
  } else if (w.length === 1 && w[0] === 'encryption') c.out.keywords(['required', 'optional', 'none']);
}

function domainBody(c: Ctx): void {
  const w = words(c.stmt);
  if (!w.length) {
    for (const k of ['owner', 'description']) if (!c.frame.seen.has(k)) c.out.add({ label: k, kind: 'property' });
  } else if (w.length === 1 && w[0] === 'owner') groups(c, true);
}

function waiverBody(c: Ctx): void {
  const w = words(c.stmt);
  if (!w.length) {
    for (const k of ['reason', 'expires', 'approved-by']) if (!c.frame.seen.has(k)) c.out.add({ label: k, kind: 'property' });
  } else if (w.length === 1 && w[0] === 'approved-by') groups(c);
}

function principalBody(c: Ctx, scope: 'subject' | 'context'): void {
  const w = words(c.stmt);
  const o = c.out;
  if (!w.length) {
    if (scope === 'subject') o.add({ label: 'member of', kind: 'keyword', detail: 'groups of the principal' });
    attrs(c, scope, c.frame.seen);
    return;
  }
  if (w[0] === 'member') {
    if (w.length === 1) return o.keywords(['of']);
    if (lastWord(c.stmt) === 'of' || lastWord(c.stmt) === ',') return groups(c);
    return;
  }
  if (w.length === 1) attrValues(c, c.index[scope].find((a) => a.name === w[0]), true);
}

function attributesBody(c: Ctx): void {
  const w = words(c.stmt);
  if (w.length === 2 && w[1] === ':') {
    for (const t of ['string', 'number', 'bool', 'date']) c.out.add({ label: t, kind: 'type' });
    c.out.snippet('"a" | "b"', '"${1:a}" | "${2:b}"', 'an enum: one of the listed strings');
  }
}

function governanceBody(c: Ctx): void {
  const w = words(c.stmt);
  const o = c.out;
  if (!w.length) {
    o.snippet('rule', 'rule ${1:name} ${2|error,warning,info|} {\n  every ${3|contract,field,policy,domain|} must have ${4:owner}\n}', 'a governance rule');
    o.keywords(['rule']);
  } else if (w[0] === 'rule' && w.length === 2) o.keywords(['error', 'warning', 'info'], 'severity');
}

function govRuleBody(c: Ctx): void {
  const w = words(c.stmt);
  const o = c.out;
  if (!w.length) return o.keywords(['every', 'no']);
  if (w.length === 1) return o.keywords(['contract', 'field', 'policy', 'domain']);
  const what = w[1];
  const lw = w[w.length - 1];
  const marker = lastIndexOf(w, ['tagged', 'must', 'may', 'have', 'by', 'for', 'except', 'into', 'with']);
  const after = marker >= 0 ? w.slice(marker + 1) : w.slice(2);
  const m = marker >= 0 ? w[marker] : undefined;
  if (lw === 'with') return o.add({ label: 'fields tagged', kind: 'keyword' });
  if (lw === 'fields') return o.keywords(['tagged']);
  if (m === 'tagged') {
    if (!after.length || lw === ',') return classifications(c);
    if (!w.includes('unprotected')) o.keywords(['unprotected'], 'only tags that reached the field without a protecting transform');
    o.keywords(w[0] === 'every' ? ['must'] : ['may']);
    return;
  }
  if (m === 'must') {
    if (!after.length) {
      o.keywords(['have', 'match']);
      if (what === 'field') o.add({ label: 'be masked for', kind: 'keyword' });
      return;
    }
    if (after[0] === 'be' && after.length === 1) return o.add({ label: 'masked for', kind: 'keyword' });
    if (after[0] === 'be' && after[1] === 'masked' && after.length === 2) return o.keywords(['for']);
    return;
  }
  if (m === 'have') {
    if (!after.length) {
      const replace = { start: c.qualStart, end: c.offset };
      for (const p of MUST_HAVE[what] ?? []) o.add({ label: p, kind: 'property', replace });
      return;
    }
    if (after.length === 1) return o.keywords(['<=', '>=', '==', '<', '>', '!='], 'compare the value');
    return;
  }
  if (m === 'may') {
    if (!after.length) {
      o.add({ label: 'be readable by', kind: 'keyword' });
      o.add({ label: 'flow into', kind: 'keyword' });
      return;
    }
    if (after[0] === 'be' && after.length === 1) return o.add({ label: 'readable by', kind: 'keyword' });
    if (after[0] === 'be' && after[1] === 'readable' && after.length === 2) return o.keywords(['by']);
    if (after[0] === 'flow' && after.length === 1) return o.keywords(['into']);
    return;
  }
  if (m === 'into') {
    if (!after.length) return o.keywords(['domain', 'contract']);
    if (after[0] === 'domain' && after.length === 1) return domains(c);
    if (after[0] === 'contract' && after.length === 1) return contractRef(c, false);
    return;
  }
  if (m === 'by' || m === 'for' || m === 'except') {
    if (!after.length || lw === ',') return audienceStart(c);
    if (lw === 'principal') return principals(c);
    if (m !== 'except') o.keywords(['except']);
    return;
  }
  if (w.length === 2) {
    if (what === 'field') o.keywords(['tagged', 'must', 'may']);
    else if (what === 'contract') {
      o.add({ label: 'with fields tagged', kind: 'keyword' });
      o.keywords(['must']);
    } else o.keywords(['must']);
  }
}

function lastIndexOf(w: string[], markers: string[]): number {
  for (let i = w.length - 1; i >= 0; i--) if (markers.includes(w[i])) return i;
  return -1;
}

function policyBody(c: Ctx): void {
  const w = words(c.stmt);
  const o = c.out;
  if (!w.length) {
    o.snippet('allow read', 'allow read to ${1:group}', 'who may read');
    o.snippet('mask', 'mask ${1:field} with ${2|null,redact,hash,partial|} for ${3:everyone}', 'how a field is masked, for whom');
    o.snippet('deny read', 'deny read of ${1:field} to ${2:everyone} except ${3:owner}', 'who may not read (overrides allow)');
    o.snippet('rows where', 'rows where ${1:condition} for ${2:group}', 'a row filter');
    o.keywords(['allow', 'deny', 'mask', 'rows']);
    return;
  }
  const kw = w[0];
  const lw = w[w.length - 1];
  if ((kw === 'allow' || kw === 'deny') && w.length === 1) return o.keywords(['read', 'write', 'discover'], 'action');
  if (kw === 'rows' && w.length === 1) return o.keywords(['where']);
  const marker = lastIndexOf(w, ['of', 'to', 'for', 'except', 'when', 'where', 'with']);
  const m = marker >= 0 ? w[marker] : undefined;
  const seg = c.stmt.slice(marker + 1);
  if (m === 'when' || m === 'where') {
    const done = condition(c, seg, m === 'where');
    if (done) {
      if (kw === 'rows' && m === 'where') o.keywords(['for']);
    }
    return;
  }
  if (m === 'to' || m === 'for' || m === 'except') {
    if (!seg.length || lw === ',') return audienceStart(c);
    if (lw === 'principal') return principals(c);
    if (m !== 'except') o.keywords(['except']);
    if (kw !== 'rows') o.keywords(['when']);
    return;
  }
  if (m === 'of') {
    if (!seg.length || lw === ',') return targetFields(c);
    return o.keywords(['to']);
  }
  if (m === 'with') {
    if (!seg.length) {
      for (const mm of MASK_METHODS) o.add({ label: mm, kind: 'mask-method', detail: MASK_METHOD_DOCS[mm] });
      return;
    }
    return o.keywords(['for']);
  }
  // No marker yet.
  if (kw === 'allow' || kw === 'deny') return o.keywords(['to', 'of']);
  if (kw === 'mask') {
    if (w.length === 1 || lw === ',') {
      targetFields(c);
      o.keywords(['with']);
      return;
    }
    return o.keywords(['with']);
  }
}

/** Completion inside a condition; returns true when the condition could be complete here. */
function condition(c: Ctx, seg: Tok[], rows: boolean): boolean {
  const o = c.out;
  if (c.qual.length) {
    const head = c.qual[0];
    if (c.qual.length === 1 && (head === 'subject' || head === 'context')) attrs(c, head);
    else if (c.qual.length === 1 && head === 'resource') o.keywords(['domain', 'owner', 'tags', 'name'], 'of the data being read');
    return false;
  }
  const last = seg[seg.length - 1];
  const lw = last?.image;
  // Inside has( ... )
  if (lw === '(' && seg[seg.length - 2]?.image === 'has') {
    o.add({ label: 'subject', kind: 'keyword', insertText: 'subject.', retrigger: true });
    o.add({ label: 'context', kind: 'keyword', insertText: 'context.', retrigger: true });
    return false;
  }
  // A value after a comparison: enum values or booleans of the attribute on the left.
  if (lw && (COMPARE.has(lw) || lw === 'in' || ((lw === '[' || lw === ',') && inList(seg)))) {
    const left = leftAttribute(c, seg);
    if (left) attrValues(c, left, true);
    if (lw !== 'in' && lw !== '[' && lw !== ',') operandStart(c, rows, false);
    return false;
  }
  if (!last || ['and', 'or', 'not', '(', 'when', 'where'].includes(lw!)) {
    operandStart(c, rows, true);
    return false;
  }
  // After an operand: operators.
  o.keywords(['and', 'or']);
  for (const op of ['==', '!=', '<', '<=', '>', '>=', 'in']) o.add({ label: op, kind: 'operator' });
  return true;
}

function inList(seg: Tok[]): boolean {
  let depth = 0;
  for (let i = seg.length - 1; i >= 0; i--) {
    if (seg[i].image === ']') depth++;
    else if (seg[i].image === '[') {
      if (depth === 0) return seg[i - 1]?.image === 'in';
      depth--;
    }
  }
  return false;
}

function leftAttribute(c: Ctx, seg: Tok[]): AttributeInfo | undefined {
  // Find the comparison operator (or `in`) and the `scope.attr` before it.
  let i = seg.length - 1;
  while (i >= 0 && !COMPARE.has(seg[i].image) && seg[i].image !== 'in') i--;
  if (i < 3) return undefined;
  const [scope, dot, attr] = [seg[i - 3], seg[i - 2], seg[i - 1]];
  if (dot.image !== '.' || (scope.image !== 'subject' && scope.image !== 'context')) return undefined;
  return c.index[scope.image as 'subject' | 'context'].find((a) => a.name === attr.image);
}

function operandStart(c: Ctx, rows: boolean, withNot: boolean): void {
  const o = c.out;
  o.add({ label: 'subject', kind: 'keyword', insertText: 'subject.', retrigger: true, detail: 'attributes of the principal' });
  o.add({ label: 'context', kind: 'keyword', insertText: 'context.', retrigger: true, detail: 'attributes of the request' });
  o.add({ label: 'resource', kind: 'keyword', insertText: 'resource.', retrigger: true, detail: 'the data: domain, owner, tags, name' });
  if (withNot) {
    o.add({ label: 'has', kind: 'keyword', insertText: c.out.snippets ? 'has(${1:subject.})' : 'has(', snippet: c.out.snippets, retrigger: true, detail: 'is an attribute set?' });
    o.keywords(['not']);
  }
  if (rows) targetFields(c);
}

function testBody(c: Ctx): void {
  const w = words(c.stmt);
  const o = c.out;
  if (!w.length) {
    o.snippet('expect', 'expect ${1:principal} ${2|can read,cannot read,sees|} ${3:domain.product.field}', 'an expectation');
    o.snippet('given context', 'given context { $1 }', 'the context for the expectations after it');
    o.keywords(['expect']);
    o.add({ label: 'given context', kind: 'keyword' });
    return;
  }
  if (w[0] === 'given') {
    if (w.length === 1) o.keywords(['context']);
    return;
  }
  if (w[0] !== 'expect') return;
  const lw = w[w.length - 1];
  if (w.length === 1) return principals(c);
  if (w.length === 2) {
    o.add({ label: 'can read', kind: 'keyword', detail: 'clear or masked' });
    o.add({ label: 'cannot read', kind: 'keyword', detail: 'denied' });
    o.add({ label: 'sees', kind: 'keyword', detail: 'sees FIELD in clear | masked [with METHOD]' });
    return;
  }
  if (lw === 'can' || lw === 'cannot') return o.keywords(['read']);
  if (lw === 'read' || lw === 'sees') return fieldRef(c);
  if (w[2] === 'sees' && w.length === 4) {
    o.add({ label: 'in clear', kind: 'keyword' });
    o.keywords(['masked']);
    o.add({ label: 'masked with', kind: 'keyword' });
    return;
  }
  if (lw === 'in') return o.keywords(['clear']);
  if (lw === 'masked') return o.keywords(['with']);
  if (lw === 'with') for (const m of MASK_METHODS) o.add({ label: m, kind: 'mask-method', detail: MASK_METHOD_DOCS[m] });
}

/** Inside "…": enum values where the grammar expects one. */
function stringCandidates(c: Ctx): void {
  const w = words(c.stmt);
  const f = c.frame;
  if ((f.kind === 'principal' || f.kind === 'given') && w.length === 1) {
    attrValues(c, c.index[f.kind === 'principal' ? 'subject' : 'context'].find((a) => a.name === w[0]), true);
    return;
  }
  if (f.kind === 'policy') {
    const marker = lastIndexOf(w, ['when', 'where']);
    if (marker < 0) return;
    const seg = c.stmt.slice(marker + 1);
    const lw = seg[seg.length - 1]?.image;
    if (lw && (COMPARE.has(lw) || lw === 'in' || lw === '[' || lw === ',')) attrValues(c, leftAttribute(c, seg), true);
  }
}
