// YAML text → plain values that remember where each part came from, for the
// importers (ODCS). Pure: the `yaml` library parses, nothing is read here.
// Parsing never throws: syntax errors come back as data with their line.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, stringify, type Document, type Node } from 'yaml';

export interface YamlError {
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

/** A path into a document: keys and indexes, `schema[0].properties[2].quality`. */
export type YamlPath = (string | number)[];

export interface YamlDoc {
  /** The document as plain data (aliases and merge keys resolved). */
  value: unknown;
  /** 1-based line where the node at `path` starts (its key, for a map entry); the nearest known parent's otherwise. */
  line(path: YamlPath): number;
  /** The source text of the scalar at `path` (so `version: 1.0` keeps its `.0`). */
  raw(path: YamlPath): string | undefined;
}

export interface YamlParse {
  docs: YamlDoc[];
  errors: YamlError[];
  /** 1-based lines of quoted strings that continue at their key's indentation (as PyYAML writes them), read as if indented. */
  reindented: number[];
}

/** `schema[0].properties[2].quality`. */
export function pathText(path: YamlPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || '(document)';
}

/** Parses every document of a YAML stream (`---` separated). */
export function parseYaml(text: string): YamlParse {
  const first = parseStrict(text);
  if (!first.errors.some((e) => /^Missing closing ["']quote/.test(e.message))) return first;
  // PyYAML (and so datacontract-cli) continues long quoted strings at the
  // indentation of their key, which YAML 1.2 does not allow: indent those
  // lines and read again. Only spaces are added at line starts, so lines stay.
  const { text: fixed, lines } = indentQuotedContinuations(text);
  if (!lines.length) return first;
  const again = parseStrict(fixed);
  return again.errors.length ? first : { ...again, reindented: lines };
}

/** Continuation lines of multi-line quoted scalars indented one level under the line that opens them. */
function indentQuotedContinuations(text: string): { text: string; lines: number[] } {
  const lines = text.split('\n');
  const changed: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:-\s+)?(?:[^\s"'#][^"'#]*?:\s+|-\s+)?(["'])/.exec(lines[i]);
    if (!m) continue;
    const q = m[2];
    const need = m[1].length + 2;
    // Find where the scalar closes, from just after its opening quote.
    let j = i;
    let k = m[0].length;
    let closed = false;
    while (j < lines.length && !closed) {
      const line = lines[j];
      for (; k < line.length; k++) {
        const c = line[k];
        if (q === '"' && c === '\\') k++;
        else if (c === q) {
          if (q === "'" && line[k + 1] === "'") k++;
          else {
            closed = true;
            break;
          }
        }
      }
      if (closed) break;
      j++;
      k = 0;
      if (j < lines.length) {
        const indent = /^[ \t]*/.exec(lines[j])![0].length;
        if (indent < need && lines[j].trim()) {
          lines[j] = ' '.repeat(need - indent) + lines[j];
          changed.push(j + 1);
        }
      }
    }
    if (closed && j > i) i = j;
  }
  return { text: lines.join('\n'), lines: changed };
}

function parseStrict(text: string): YamlParse {
  const lc = new LineCounter();
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { docs: [], errors: [{ line: 1, column: 1, message: (e as Error).message }], reindented: [] };
  }
  if (!Array.isArray(parsed)) parsed = [];
  const errors: YamlError[] = [];
  const docs: YamlDoc[] = [];
  for (const d of parsed) {
    for (const e of d.errors) {
      const pos = lc.linePos(e.pos[0]);
      errors.push({ line: pos.line, column: pos.col, message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
    }
    if (d.errors.length) continue;
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      const pos = lc.linePos(d.range?.[0] ?? 0);
      errors.push({ line: pos.line, column: pos.col, message: (e as Error).message });
      continue;
    }
    // Lines and raw scalars are looked up when asked (a few notes per document), not for every node.
    const nodeAt = (path: YamlPath): { node: unknown; at?: number } => {
      let node: unknown = d.contents;
      let at: number | undefined = (node as Node | null)?.range?.[0];
      for (const p of path) {
        if (isAlias(node)) node = node.resolve(d);
        if (isMap(node) && typeof p === 'string') {
          const pair = node.items.find((x) => isPair(x) && isScalar(x.key) && String(x.key.value) === p);
          if (!pair) return { node: undefined, at };
          at = (pair.key as Node).range?.[0] ?? at;
          node = pair.value;
        } else if (isSeq(node) && typeof p === 'number' && p < node.items.length) {
          node = node.items[p];
          at = (node as Node | null)?.range?.[0] ?? at;
        } else return { node: undefined, at };
      }
      return { node, at };
    };
    const docLine = lc.linePos(d.contents?.range?.[0] ?? d.range?.[0] ?? 0).line;
    docs.push({
      value,
      line(path) {
        const { at } = nodeAt(path);
        return at === undefined || !path.length ? docLine : lc.linePos(at).line;
      },
      raw(path) {
        const { node } = nodeAt(path);
        return isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]).trim() : undefined;
      },
    });
  }
  return { docs, errors, reindented: [] };
}

/** Plain data → YAML text (block style, keys in the order given). */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
