// Decisions as the CLI prints them.

import type { Decision, Reason } from '../grammar/index';
import { relativePath, Positions } from './output';

export function jsonReasons(root: string, pos: Positions, reasons: Reason[]) {
  return reasons.map((r) => ({ file: relativePath(root, r.file), line: pos.lineCol(r.file, r.range.start).line, text: r.text }));
}

export function jsonDecision(root: string, pos: Positions, d: Decision) {
  return { decision: d.decision, mask: d.mask ?? null, rows: d.rows ?? null, reasons: jsonReasons(root, pos, d.reasons) };
}

/** Aligned columns, like `kubectl get`. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function reasonCell(root: string, pos: Positions, d: Decision): string {
  const r = d.reasons[0];
  if (!r) return d.summary;
  const lc = pos.lineCol(r.file, r.range.start);
  return `${d.summary} (${relativePath(root, r.file)}:${lc.line})`;
}
