// Diagnostics as the worker publishes them: grouped per file, moved to the
// current text when the document changed while it was being analysed (so a
// published diagnostic never points at the wrong characters), and sent only
// for files whose diagnostics changed.

import type { Diagnostic } from 'vscode-languageserver';
import type { FileDiagnostic } from '../grammar/index';

export interface FileDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

/** The one region in which `before` and `after` differ (common prefix and suffix removed). */
export function changedRegion(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let e1 = before.length;
  let e2 = after.length;
  while (e1 > start && e2 > start && before.charCodeAt(e1 - 1) === after.charCodeAt(e2 - 1)) {
    e1--;
    e2--;
  }
  return { start, oldEnd: e1, newEnd: e2 };
}

/**
 * Moves diagnostics of `before` onto `after`: unchanged before the edit,
 * shifted after it, dropped where they touch the edited text (typing `g`
 * after `strin` changes the word `strin`; the next analysis, which follows at
 * once, reports what is still wrong).
 */
export function shiftThroughEdit(diags: FileDiagnostic[], before: string, after: string): FileDiagnostic[] {
  const { start, oldEnd, newEnd } = changedRegion(before, after);
  const delta = newEnd - oldEnd;
  const out: FileDiagnostic[] = [];
  for (const d of diags) {
    if (d.range.end < start) out.push(d);
    else if (d.range.start > oldEnd) out.push({ ...d, range: { start: d.range.start + delta, end: d.range.end + delta } });
  }
  return out;
}

/** Remembers what each file last got, and says which files need publishing. */
export class PublishedDiagnostics {
  private readonly last = new Map<string, string>();

  /** The entries that differ from what was last published (empty lists clear a file). */
  changed(items: FileDiagnostics[]): FileDiagnostics[] {
    const out: FileDiagnostics[] = [];
    const seen = new Set<string>();
    for (const it of items) {
      seen.add(it.uri);
      const key = JSON.stringify(it.diagnostics);
      const prev = this.last.get(it.uri);
      if (prev === key || (prev === undefined && !it.diagnostics.length)) continue;
      if (!it.diagnostics.length) this.last.delete(it.uri);
      else this.last.set(it.uri, key);
      out.push(it);
    }
    // Files that had diagnostics and are not mentioned any more (deleted, left the model).
    for (const uri of [...this.last.keys()]) {
      if (seen.has(uri)) continue;
      this.last.delete(uri);
      out.push({ uri, diagnostics: [] });
    }
    return out;
  }

  /** Forget everything (after a worker restart the main thread clears the editor). */
  uris(): string[] {
    return [...this.last.keys()];
  }
}
