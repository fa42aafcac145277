// The state shared by the model-building passes: the model under
// construction plus helpers to report diagnostics and record references.

import type * as A from '../ast';
import type { Model, Sym, Loc } from './types';
import { didYouMean } from './suggest';

export class BuildContext {
  /** Set while files are collected again over an earlier model: their symbols not yet declared again. */
  recollecting?: { stale: Set<Sym> };

  constructor(readonly model: Model, readonly today: string) {}

  diag(file: string, range: A.Range, severity: A.Severity, code: string, message: string, extra: Partial<A.Diagnostic> = {}): void {
    this.model.diagnostics.push({ file, range, severity, code, message, ...extra });
  }

  error(file: string, range: A.Range, code: string, message: string, extra: Partial<A.Diagnostic> = {}): void {
    this.diag(file, range, 'error', code, message, extra);
  }

  ref(file: string, range: A.Range, target: Sym): void {
    this.model.references.push({ file, range, target });
  }

  /** Resolves `name` in `table`, recording a reference or an `unknown-<what>` error with a suggestion. */
  resolve<S extends Sym>(file: string, name: { text: string; range: A.Range }, table: Map<string, S>, what: string): S | undefined {
    const sym = table.get(name.text);
    if (sym) {
      this.ref(file, name.range, sym);
      return sym;
    }
    this.unknown(file, name, table.keys(), what);
    return undefined;
  }

  unknown(file: string, name: { text: string; range: A.Range }, candidates: Iterable<string>, what: string, code = `unknown-${what}`): void {
    // A name the parser made up while recovering: the syntax error says it all.
    if (!name.text) return;
    const list = [...candidates];
    const hint = didYouMean(name.text, list);
    this.error(file, name.range, code, `unknown ${what} '${name.text}'${hint}`, {
      data: { unknown: name.text, kind: what, suggestion: hint ? hint.slice(hint.indexOf("'") + 1, hint.lastIndexOf("'")) : undefined },
    });
  }

  related(loc: Loc, message: string): NonNullable<A.Diagnostic['related']>[number] {
    return { file: loc.file, range: loc.range, message };
  }
}
