// Offsets (the core) <-> LSP positions (0-based lines, UTF-16 columns), and
// core diagnostics -> LSP diagnostics. Positions past the end of a line or
// of the document are clamped, never an error.

import { LineIndex, type FileDiagnostic, type Range } from '../grammar/index';
import type { Diagnostic, DiagnosticRelatedInformation, Position, Range as LspRange } from 'vscode-languageserver';

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

/** LineIndex per text, reused while the text is the same string. */
export class Lines {
  private readonly cache = new Map<string, LineIndex>();

  constructor(private readonly textOf: (uri: string) => string | undefined) {}

  get(uri: string): LineIndex {
    const text = this.textOf(uri) ?? '';
    let li = this.cache.get(uri);
    if (!li || li.text !== text) this.cache.set(uri, (li = new LineIndex(text)));
    return li;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  retain(uris: Set<string>): void {
    for (const k of this.cache.keys()) if (!uris.has(k)) this.cache.delete(k);
  }
}

export function toRange(li: LineIndex, r: Range): LspRange {
  return { start: li.position(r.start), end: li.position(r.end) };
}

export function toPosition(li: LineIndex, offset: number): Position {
  return li.position(offset);
}

/** A client position as an offset; malformed or out-of-range positions are clamped. */
export function toOffset(li: LineIndex, p: Position | undefined): number {
  const line = Number.isFinite(p?.line) ? Math.max(0, Math.floor(p!.line)) : 0;
  const ch = Number.isFinite(p?.character) ? Math.max(0, Math.floor(p!.character)) : 0;
  return li.offset(line, ch);
}

export function toOffsetRange(li: LineIndex, r: LspRange | undefined): Range | undefined {
  if (!r) return undefined;
  const a = toOffset(li, r.start);
  const b = toOffset(li, r.end);
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

/** A range the core could not place (NaN offsets from parser recovery) is clamped to the file start. */
export function finiteRange(r: Range): Range {
  const ok = (n: number) => Number.isFinite(n) && n >= 0;
  if (ok(r.start) && ok(r.end)) return r;
  const start = ok(r.start) ? r.start : ok(r.end) ? r.end : 0;
  return { start, end: ok(r.end) ? Math.max(start, r.end) : start };
}

export function toLspDiagnostic(d: FileDiagnostic, lines: Lines): Diagnostic {
  const li = lines.get(d.file);
  d = { ...d, range: finiteRange(d.range) };
  const related: DiagnosticRelatedInformation[] | undefined = d.related?.map((r) => ({
    location: { uri: r.file, range: toRange(lines.get(r.file), finiteRange(r.range)) },
    message: r.message,
  }));
  const out: Diagnostic = {
    range: toRange(li, d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'charter',
    message: d.message,
  };
  if (related?.length) out.relatedInformation = related;
  if (d.data) out.data = d.data;
  if (d.code === 'waiver-unused') out.tags = [1]; // Unnecessary
  return out;
}
