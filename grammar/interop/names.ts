// Turning names from other tools (ODCS: "my quantum", "Core Payment Metrics",
// "3") into Charter names, deterministically. A name that is already a
// Charter name is kept exactly as it is (case and hyphens included), so that
// what Charter exported comes back unchanged.

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function isCharterName(s: string): boolean {
  return NAME.test(s);
}

/**
 * A Charter name for `raw`: accents dropped, every run of other characters
 * replaced by `_`, no leading or trailing `_`/`-` introduced, a `_` in front of
 * a leading digit; `fallback` when nothing is left.
 */
export function charterName(raw: string, fallback = 'unnamed'): string {
  if (NAME.test(raw)) return raw;
  let s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  if (!s) return fallback;
  if (!/^[A-Za-z_]/.test(s)) s = '_' + s;
  return s;
}

/** A dotted Charter name (`pii.email`) for a classification or tag: each part made a name. */
export function charterQName(raw: string, fallback = 'unnamed'): string {
  const parts = raw.split('.').map((p) => p.trim());
  if (parts.length > 1 && parts.every((p) => p.length)) return parts.map((p) => charterName(p, fallback)).join('.');
  return charterName(raw, fallback);
}

/** A name not in `taken` (and adds it): `name`, `name_2`, `name_3`, ... */
export function uniqueName(name: string, taken: Set<string>): string {
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name}_${i}`;
  taken.add(n);
  return n;
}

/** A Charter string literal. Line breaks become spaces (a string stays on one line). */
export function charterString(s: string): string {
  return '"' + s.replace(/\r?\n|\r/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** `## ` lines for a doc comment (empty lines kept as `##`). */
export function docLines(text: string | undefined, indent = ''): string[] {
  if (!text?.trim()) return [];
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  return lines.map((l) => (l.trim() ? `${indent}## ${l.trimEnd()}` : `${indent}##`));
}
