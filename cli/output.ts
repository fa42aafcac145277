// Diagnostics as the CLI prints them: 1-based positions, paths relative to DIR.

import path from 'node:path';
import { LineIndex, type FileDiagnostic, type Model, type Severity } from '../grammar/index';
import type { LoadProblem } from '../host/workspace';

export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  /** For waived violations: the waiver's name. */
  waiver?: string;
  related?: { file: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
}

export function relativePath(root: string, file: string): string {
  const rel = path.relative(root, file) || path.basename(file);
  return rel.split(path.sep).join('/');
}

export class Positions {
  private readonly cache = new Map<string, LineIndex>();
  constructor(private readonly model: Model) {}
  index(file: string): LineIndex {
    let li = this.cache.get(file);
    if (!li) {
      li = new LineIndex(this.model.files.get(file)?.text ?? '');
      this.cache.set(file, li);
    }
    return li;
  }
  lineCol(file: string, offset: number): { line: number; column: number } {
    const p = this.index(file).position(offset);
    return { line: p.line + 1, column: p.character + 1 };
  }
  range(file: string, r: { start: number; end: number }) {
    const s = this.lineCol(file, r.start);
    const e = this.lineCol(file, r.end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function toCliDiagnostics(root: string, model: Model, diags: FileDiagnostic[], problems: LoadProblem[]): CliDiagnostic[] {
  const pos = new Positions(model);
  const out: CliDiagnostic[] = [];
  for (const p of problems) {
    out.push({
      file: relativePath(root, p.file),
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      severity: p.code === 'too-large' ? 'warning' : 'error',
      code: p.code,
      message: p.message,
    });
  }
  for (const d of diags) {
    out.push({
      file: relativePath(root, d.file),
      ...pos.range(d.file, d.range),
      severity: d.severity,
      code: d.code,
      message: d.message,
      waiver: (d as { waiver?: string }).waiver,
      related: d.related?.map((r) => ({ file: relativePath(root, r.file), ...pos.range(r.file, r.range), message: r.message })),
    });
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]));
  return out;
}

export function formatText(diags: CliDiagnostic[]): string {
  const lines = diags.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);
  return lines.join('\n');
}

export function summary(diags: CliDiagnostic[]): string {
  const n = (s: Severity) => diags.filter((d) => d.severity === s).length;
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${plural(n('info'), 'info')}`;
}

/** The stable JSON shape of LANGUAGE.md. */
export function toJsonDiagnostic(d: CliDiagnostic) {
  return { file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, severity: d.severity, code: d.code, message: d.message };
}
