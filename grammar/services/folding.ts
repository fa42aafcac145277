// Folding ranges: multi-line declarations and blocks, runs of comment lines,
// and `#region` / `#endregion` markers. Line numbers are 0-based.

import type * as A from '../ast';
import type { LineIndex } from '../text';

export interface Fold {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

function blockRanges(ast: A.FileAst): A.Range[] {
  const out: A.Range[] = [];
  for (const d of ast.declarations) {
    out.push(d.range);
    switch (d.kind) {
      case 'contract':
        for (const f of d.fields) out.push(f.range);
        if (d.sla) out.push(d.sla.range);
        break;
      case 'policy':
        for (const r of d.rules) out.push(r.range);
        break;
      case 'governance':
        for (const r of d.rules) out.push(r.range);
        break;
      case 'test':
        for (const s of d.steps) out.push(s.range);
        break;
    }
  }
  return out;
}

export function foldingRanges(ast: A.FileAst, lines: LineIndex): Fold[] {
  const text = lines.text;
  const out: Fold[] = [];
  const seen = new Set<string>();
  const add = (f: Fold) => {
    const k = `${f.startLine}:${f.endLine}`;
    if (f.endLine <= f.startLine || seen.has(k)) return;
    seen.add(k);
    out.push(f);
  };
  for (const r of blockRanges(ast)) {
    const start = lines.position(r.start).line;
    let end = lines.position(r.end).line;
    // Keep a closing brace that starts its line visible (like brace-based folding).
    if (text[r.end - 1] === '}' && /^[ \t]*$/.test(text.slice(lines.lineStart(end), r.end - 1))) end--;
    add({ startLine: start, endLine: end });
  }
  // Comment runs and region markers.
  const regions: number[] = [];
  let runStart = -1;
  let runEnd = -1;
  let runDoc = false;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) add({ startLine: runStart, endLine: runEnd, kind: 'comment' });
    runStart = runEnd = -1;
  };
  for (const c of ast.comments) {
    const line = lines.position(c.range.start).line;
    const alone = /^[ \t]*$/.test(text.slice(lines.lineStart(line), c.range.start));
    if (alone && /^#\s*region\b/.test(c.text)) {
      flush();
      regions.push(line);
      continue;
    }
    if (alone && /^#\s*endregion\b/.test(c.text)) {
      flush();
      const start = regions.pop();
      if (start !== undefined) add({ startLine: start, endLine: line, kind: 'region' });
      continue;
    }
    if (!alone) {
      flush();
      continue;
    }
    if (runStart >= 0 && line === runEnd + 1 && c.doc === runDoc) runEnd = line;
    else {
      flush();
      runStart = runEnd = line;
      runDoc = c.doc;
    }
  }
  flush();
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
