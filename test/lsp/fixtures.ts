// Positions in fixture files, found by the text around them (so the tests do
// not break when a line is added above).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repo, uriOf } from './client';

export const examples = path.join(repo, 'examples');

export interface Doc {
  file: string;
  uri: string;
  text: string;
  /** Position of the `nth` occurrence of `needle`, plus `delta` characters. */
  pos(needle: string, delta?: number, nth?: number): { line: number; character: number };
  /** The text of an LSP range. */
  slice(r: { start: { line: number; character: number }; end: { line: number; character: number } }): string;
  line(n: number): string;
}

export function doc(file: string, text?: string): Doc {
  const abs = path.isAbsolute(file) ? file : path.join(examples, file);
  const t = text ?? readFileSync(abs, 'utf8');
  const lines = t.split('\n');
  const offsetOf = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return {
    file: abs,
    uri: uriOf(abs),
    text: t,
    pos(needle, delta = 0, nth = 0) {
      let i = -1;
      for (let k = 0; k <= nth; k++) {
        i = t.indexOf(needle, i + 1);
        if (i < 0) throw new Error(`'${needle}' (#${nth}) not found in ${file}`);
      }
      const before = t.slice(0, i + delta);
      const line = before.split('\n').length - 1;
      return { line, character: before.length - before.lastIndexOf('\n') - 1 };
    },
    slice(r) {
      return t.slice(offsetOf(r.start), offsetOf(r.end));
    },
    line(n) {
      return lines[n];
    },
  };
}

/** Applies LSP text edits to a text. */
export function applyTextEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) => {
    if (p.line >= lines.length) return text.length;
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + Math.min(p.character, lines[p.line].length);
  };
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetOf(e.range.start)) + e.newText + out.slice(offsetOf(e.range.end));
  return out;
}
