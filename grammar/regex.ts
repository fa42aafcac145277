// User-written regular expressions (`must match /.../`, `detect /.../i`) run
// on RE2 (npm re2js, pure JavaScript): matching takes time linear in the
// input, so no pattern can freeze the analysis or the editor, whatever the
// user writes. RE2 has no backreferences or lookaround; a pattern using them
// is reported as an error, never run by another engine.

import { RE2JS } from 're2js';

export interface UserRegex {
  /** Does the pattern match somewhere in `s` (like JavaScript's RegExp.test)? */
  test(s: string): boolean;
}

/** The flags a Charter regex may carry, and RE2's name for each. */
const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };
export const REGEX_FLAGS = Object.keys(FLAGS);

const compiled = new Map<string, UserRegex | { error: string }>();
const CACHE_LIMIT = 10_000;

/** Compiles `/source/flags`; an error in words when RE2 cannot run it. Results are cached by text. */
export function compileRegex(source: string, flags = ''): UserRegex | { error: string } {
  const key = flags + '/' + source;
  const hit = compiled.get(key);
  if (hit) return hit;
  const r = compile(source, flags);
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(key, r);
  return r;
}

function compile(source: string, flags: string): UserRegex | { error: string } {
  let bits = 0;
  for (const f of flags) {
    if (!(f in FLAGS)) return { error: `unknown regex flag '${f}' (Charter regexes take ${REGEX_FLAGS.join(', ')})` };
    bits |= FLAGS[f];
  }
  try {
    const re = RE2JS.compile(source, bits);
    return { test: (s: string) => re.test(s) };
  } catch (e) {
    const msg = String((e as Error)?.message ?? e).replace(/^error parsing regexp: /, '');
    return { error: `invalid regex: ${msg} (Charter runs regexes in linear time with RE2, which has no backreferences or lookaround)` };
  }
}

export function isRegexError(r: UserRegex | { error: string }): r is { error: string } {
  return 'error' in r;
}
