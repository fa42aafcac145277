// Diagnostics on charter.json that need the model: `simulation.context` is
// checked against the `context attributes` schema, each problem reported at
// the key it concerns (an unknown attribute, a value that does not fit).

import { readFileSync } from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver';
import { LineIndex, type Model } from '../grammar/index';
import { contextFrom } from '../grammar/services/access';
import { pathToUri } from './project';
import type { FileDiagnostics } from './diagnostics';

export const BAD_SIMULATION_CONTEXT = 'bad-simulation-context';

/** The diagnostics of every charter.json whose `simulation.context` does not fit the schema. */
export function configContextDiagnostics(model: Model, entries: { file: string; context: Record<string, unknown> }[]): FileDiagnostics[] {
  const out: FileDiagnostics[] = [];
  for (const e of entries) {
    let text = '';
    try {
      text = readFileSync(e.file, 'utf8');
    } catch {
      /* reported by the loader */
    }
    const li = new LineIndex(text);
    const diagnostics: Diagnostic[] = [];
    for (const [key, value] of Object.entries(e.context)) {
      const { errors } = contextFrom(model, { [key]: value });
      if (!errors.length) continue;
      const known = model.contextSchema.has(key);
      const at = jsonKeyRange(text, ['simulation', 'context', key], !known ? 'key' : 'value') ?? { start: 0, end: 0 };
      diagnostics.push({
        range: { start: li.position(at.start), end: li.position(at.end) },
        severity: 1,
        code: BAD_SIMULATION_CONTEXT,
        source: 'charter',
        message: `simulation.context: ${errors.join('; ')}${known ? '' : ` (declared: ${[...model.contextSchema.keys()].join(', ') || 'no context attributes'})`}; the editor ignores this entry`,
      });
    }
    if (diagnostics.length) out.push({ uri: pathToUri(e.file), diagnostics });
  }
  return out;
}

/**
 * Where a property is in a JSON text: the range of its key (or of its value)
 * at `path` (object keys from the top). Undefined when the text does not
 * parse that far or the property is not there.
 */
export function jsonKeyRange(text: string, path: string[], part: 'key' | 'value' = 'key'): { start: number; end: number } | undefined {
  let i = 0;
  let found: { start: number; end: number } | undefined;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const str = (): string | undefined => {
    if (text[i] !== '"') return undefined;
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      return undefined;
    }
  };
  const value = (depth: number, matching: boolean): boolean => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return !!++i;
      for (;;) {
        ws();
        const ks = i;
        const key = str();
        if (key === undefined) return false;
        const ke = i;
        ws();
        if (text[i++] !== ':') return false;
        const hit = matching && path[depth] === key;
        ws();
        const vs = i;
        if (!value(depth + 1, hit)) return false;
        if (hit && depth === path.length - 1) found ??= part === 'key' ? { start: ks, end: ke } : { start: vs, end: i };
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return !!++i;
        else return false;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return !!++i;
      for (;;) {
        if (!value(depth + 1, false)) return false;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return !!++i;
        else return false;
      }
    }
    if (c === '"') return str() !== undefined;
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  value(0, true);
  return found;
}
