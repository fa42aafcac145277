// Tokens of Charter. Keywords are *soft*: each keyword token is also in the
// `Name` category, so anywhere the grammar takes a name a keyword is accepted
// (a group may be called `owner-team`, a field `status`...). Only where the
// grammar must tell a keyword from a name does it ask for the keyword token.

import { createToken, Lexer, TokenType } from 'chevrotain';

/** Category of every token: the parser's error recovery skips `Any` token it cannot use. */
export const Any = createToken({ name: 'Any', pattern: Lexer.NA });
export const Name = createToken({ name: 'Name', pattern: /[A-Za-z_][A-Za-z0-9_-]*/, label: 'a name', categories: [Any] });

const keywordTokens: Record<string, TokenType> = {};
function kw(word: string): TokenType {
  const t = createToken({
    name: 'Kw_' + word.replace(/-/g, '_'),
    pattern: new RegExp(word),
    longer_alt: Name,
    categories: [Name, Any],
    label: `'${word}'`,
  });
  keywordTokens[word] = t;
  return t;
}

// Declarations
export const Group = kw('group');
export const Subject = kw('subject');
export const Context = kw('context');
export const Resource = kw('resource');
export const Attributes = kw('attributes');
export const Principal = kw('principal');
export const Service = kw('service');
export const Member = kw('member');
export const Of = kw('of');
export const Classification = kw('classification');
export const Domain = kw('domain');
export const Contract = kw('contract');
export const Policy = kw('policy');
export const Governance = kw('governance');
export const Rule = kw('rule');
export const Waiver = kw('waiver');
export const Test = kw('test');
// Contract members
export const Field = kw('field');
export const Sla = kw('sla');
export const Source = kw('source');
export const Key = kw('key');
export const Required = kw('required');
export const Unique = kw('unique');
export const Tagged = kw('tagged');
export const From = kw('from');
export const Via = kw('via');
export const List = kw('list');
// Policies
export const On = kw('on');
export const Fields = kw('fields');
export const Allow = kw('allow');
export const Deny = kw('deny');
export const Mask = kw('mask');
export const Rows = kw('rows');
export const Where = kw('where');
export const With = kw('with');
export const For = kw('for');
export const To = kw('to');
export const Except = kw('except');
export const Everyone = kw('everyone');
export const Owner = kw('owner');
export const When = kw('when');
export const And = kw('and');
export const Or = kw('or');
export const Not = kw('not');
export const In = kw('in');
export const Has = kw('has');
// Governance
export const Every = kw('every');
export const No = kw('no');
export const Must = kw('must');
export const Have = kw('have');
export const Match = kw('match');
export const Be = kw('be');
export const Masked = kw('masked');
export const May = kw('may');
export const Readable = kw('readable');
export const By = kw('by');
export const Flow = kw('flow');
export const Into = kw('into');
export const Unprotected = kw('unprotected');
export const Detect = kw('detect');
export const ErrorKw = kw('error');
export const WarningKw = kw('warning');
export const InfoKw = kw('info');
// Waivers and tests
export const Given = kw('given');
export const Expect = kw('expect');
export const Can = kw('can');
export const Cannot = kw('cannot');
export const Read = kw('read');
export const Sees = kw('sees');
export const Clear = kw('clear');
export const Only = kw('only');
export const Nobody = kw('nobody');
export const True = kw('true');
export const False = kw('false');

export const DocComment = createToken({ name: 'DocComment', pattern: /##[^\n\r]*/, group: 'comments' });
export const LineComment = createToken({ name: 'LineComment', pattern: /#[^\n\r]*/, group: 'comments' });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\uFEFF]+/, group: Lexer.SKIPPED });

export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n\r]|\\.)*"/, label: 'a string', categories: [Any] });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n\r]|\\.)*/, label: 'a string', categories: [Any] });
export const RegexLit = createToken({ name: 'RegexLit', pattern: /\/(?:[^/\\\n\r]|\\.)+\/[A-Za-z]*/, label: 'a regex', categories: [Any] });
export const DateLit = createToken({ name: 'DateLit', pattern: /\d{4}-\d{2}-\d{2}(?![A-Za-z0-9_])/, label: 'a date', categories: [Any] });
export const VersionLit = createToken({ name: 'VersionLit', pattern: /\d+\.\d+\.\d+(?![A-Za-z0-9_])/, label: 'a version', categories: [Any] });
export const DurationLit = createToken({ name: 'DurationLit', pattern: /\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y)(?![A-Za-z0-9_-])/, label: 'a duration', categories: [Any] });
export const PercentLit = createToken({ name: 'PercentLit', pattern: /\d+(?:\.\d+)?%/, label: 'a percentage', categories: [Any] });
export const NumberLit = createToken({ name: 'NumberLit', pattern: /\d+(?:\.\d+)?(?![A-Za-z_])/, label: 'a number', categories: [Any] });

export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'", categories: [Any] });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'", categories: [Any] });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['", categories: [Any] });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'", categories: [Any] });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('", categories: [Any] });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'", categories: [Any] });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','", categories: [Any] });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'", categories: [Any] });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'", categories: [Any] });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'", categories: [Any] });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, label: "'|'", categories: [Any] });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/, label: "'=='", categories: [Any] });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, label: "'!='", categories: [Any] });
export const LtEq = createToken({ name: 'LtEq', pattern: /<=/, label: "'<='", categories: [Any] });
export const GtEq = createToken({ name: 'GtEq', pattern: />=/, label: "'>='", categories: [Any] });
export const Lt = createToken({ name: 'Lt', pattern: /</, label: "'<'", categories: [Any] });
export const Gt = createToken({ name: 'Gt', pattern: />/, label: "'>'", categories: [Any] });

export const allTokens: TokenType[] = [
  Any,
  WhiteSpace,
  DocComment,
  LineComment,
  StringLit,
  UnterminatedString,
  RegexLit,
  DateLit,
  VersionLit,
  DurationLit,
  PercentLit,
  NumberLit,
  // First match wins in Chevrotain: longer keywords first (`not` before `no`).
  ...Object.keys(keywordTokens)
    .sort((a, b) => b.length - a.length)
    .map((k) => keywordTokens[k]),
  Name,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Comma,
  Colon,
  Dot,
  Star,
  Pipe,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
];

/** Every soft keyword, for completion. */
export const keywords: string[] = Object.keys(keywordTokens);

export const charterLexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
});
