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
}

/** `schema[0].properties[2].quality`. */
export function pathText(path: YamlPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || '(document)';
}

/** Parses every document of a YAML stream (`---` separated). */
export function parseYaml(text: string): YamlParse {
  const lc = new LineCounter();
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { docs: [], errors: [{ line: 1, column: 1, message: (e as Error).message }] };
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
    const lines = new Map<string, number>();
    const raws = new Map<string, string>();
    const seen = new Set<unknown>();
    const walk = (node: unknown, key: string) => {
      if (isAlias(node)) node = node.resolve(d);
      if (!node || seen.has(node)) return;
      if (isMap(node)) {
        seen.add(node);
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
          if (k === undefined || k === '<<') continue;
          const child = key ? `${key}.${k}` : k;
          const at = (pair.key as Node).range?.[0];
          if (at !== undefined) lines.set(child, lc.linePos(at).line);
          walk(pair.value, child);
        }
        seen.delete(node);
      } else if (isSeq(node)) {
        seen.add(node);
        node.items.forEach((item, i) => {
          const child = `${key}[${i}]`;
          const at = (item as Node | null)?.range?.[0];
          if (at !== undefined) lines.set(child, lc.linePos(at).line);
          walk(item, child);
        });
        seen.delete(node);
      } else if (isScalar(node) && node.range) {
        raws.set(key, text.slice(node.range[0], node.range[1]).trim());
      }
    };
    walk(d.contents, '');
    const docLine = lc.linePos(d.contents?.range?.[0] ?? d.range?.[0] ?? 0).line;
    docs.push({
      value,
      line(path) {
        for (let n = path.length; n > 0; n--) {
          const l = lines.get(pathText(path.slice(0, n)));
          if (l !== undefined) return l;
        }
        return docLine;
      },
      raw: (path) => raws.get(pathText(path)),
    });
  }
  return { docs, errors };
}

/** Plain data → YAML text (block style, keys in the order given). */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
