// Loading a workspace from disk (the only I/O of the analysis, shared by the
// CLI and the server): charter.json, include/governance globs, encoding and
// size checks. Problems are returned as data, never thrown.

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../grammar/index';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface CharterConfig {
  include: string[];
  governance: string[];
  /** `simulation.context`: the context the editor simulates when the user has not picked one. */
  simulation: { context: Record<string, string | number | boolean> };
}

export interface LoadProblem {
  /** Absolute path of the file concerned (or of charter.json). */
  file: string;
  message: string;
  /** `io`: could not be read (exit 2); `encoding`/`too-large`: reported as diagnostics. */
  code: 'io' | 'encoding' | 'too-large' | 'config' | 'governance-missing';
}

export interface LoadedWorkspace {
  root: string;
  config: CharterConfig;
  files: (SourceFile & { path: string })[];
  problems: LoadProblem[];
}

export class WorkspaceError extends Error {}

const DEFAULT_CONFIG: CharterConfig = { include: ['**/*.charter'], governance: [], simulation: { context: {} } };
/** Every key charter.json may have (anything else is an error: a typo must not drop central rules). */
const CONFIG_KEYS = ['include', 'governance', 'simulation'];
const SIMULATION_KEYS = ['context'];

/** "unknown key "Governance" in charter.json (did you mean "governance"?)" */
function unknownKey(where: string, key: string, known: string[]): string {
  const guess = known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? known.find((k) => editDistance(k, key) <= 2);
  return `charter.json: unknown key "${key}"${where ? ` in "${where}"` : ''}${guess ? ` (did you mean "${guess}"?)` : ''}; expected ${known.map((k) => `"${k}"`).join(', ')}`;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Folders never walked (host/git.ts skips the same in a revision's tree). */
export const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

export function readConfig(root: string, problems: LoadProblem[] = []): CharterConfig {
  const file = path.join(root, 'charter.json');
  if (!existsSync(file)) return { ...DEFAULT_CONFIG, simulation: { context: {} } };
  return parseConfig(readFileSync(file, 'utf8'), file, problems);
}

/** charter.json's text (read from disk, or from a git revision by host/git.ts); `file` names it in problems. */
export function parseConfig(text: string, file: string, problems: LoadProblem[] = []): CharterConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    problems.push({ file, code: 'config', message: `charter.json is not valid JSON: ${(e as Error).message}` });
    return { ...DEFAULT_CONFIG, simulation: { context: {} } };
  }
  const cfg: CharterConfig = { ...DEFAULT_CONFIG, simulation: { context: {} } };
  if (!isObject(raw)) {
    problems.push({ file, code: 'config', message: `charter.json must be an object such as { "include": ["**/*.charter"] }, not ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}` });
    return cfg;
  }
  const obj = raw;
  for (const key of Object.keys(obj)) if (!CONFIG_KEYS.includes(key)) problems.push({ file, code: 'config', message: unknownKey('', key, CONFIG_KEYS) });
  const sim = obj.simulation;
  if (sim !== undefined) {
    if (!isObject(sim)) problems.push({ file, code: 'config', message: 'charter.json: "simulation" must be an object such as { "context": { "mfa": true } }' });
    else {
      for (const key of Object.keys(sim)) if (!SIMULATION_KEYS.includes(key)) problems.push({ file, code: 'config', message: unknownKey('simulation', key, SIMULATION_KEYS) });
      const ctx = sim.context;
      if (ctx !== undefined) {
        if (!isObject(ctx) || Object.values(ctx).some((v) => !['string', 'number', 'boolean'].includes(typeof v))) {
          problems.push({ file, code: 'config', message: 'charter.json: "simulation.context" must map context attributes to strings, numbers or true/false, such as { "mfa": true, "device": "managed" }' });
        } else cfg.simulation.context = ctx as Record<string, string | number | boolean>;
      }
    }
  }
  for (const key of ['include', 'governance'] as const) {
    const v = obj[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problems.push({ file, code: 'config', message: `charter.json: "${key}" must be a list of glob strings` });
      continue;
    }
    cfg[key] = v as string[];
  }
  return cfg;
}

/** Converts a glob (`**`, `*`, `?`, `{a,b}`) to a regular expression over '/'-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|') + ')';
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/** The directory a glob can be walked from: its longest prefix without wildcards. */
export function globBase(glob: string): string {
  const parts = glob.split('/');
  const base: string[] = [];
  for (const p of parts) {
    if (/[*?{]/.test(p)) break;
    base.push(p);
  }
  if (base.length === parts.length) base.pop(); // a plain file path
  return base.join('/');
}

function walk(dir: string, out: string[], problems: LoadProblem[]): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problems.push({ file: dir, code: 'io', message: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, out, problems);
    } else if (e.isFile() || e.isSymbolicLink()) out.push(p);
  }
}

export function expandGlobs(root: string, globs: string[], problems: LoadProblem[]): string[] {
  const found = new Set<string>();
  for (const g of globs) {
    const norm = g.replace(/\\/g, '/');
    const base = path.resolve(root, globBase(norm));
    const full = globToRegExp(path.resolve(root, norm).replace(/\\/g, '/'));
    if (!existsSync(base)) continue;
    const st = statSync(base);
    const files: string[] = [];
    if (st.isDirectory()) walk(base, files, problems);
    else files.push(base);
    for (const f of files) if (full.test(f.replace(/\\/g, '/'))) found.add(f);
  }
  return [...found].sort();
}

/** Reads one file as UTF-8; a problem instead of text when it cannot be used. */
export function readSource(file: string): { text?: string; problem?: LoadProblem } {
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (st.size > MAX_FILE_BYTES) {
      return { problem: { file, code: 'too-large', message: `file is ${(st.size / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit; it was not analysed` } };
    }
    bytes = readFileSync(file);
  } catch (e) {
    return { problem: { file, code: 'io', message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
  }
  return decodeSource(bytes, file);
}

/** A file's bytes as UTF-8 text (a leading BOM becomes a space, keeping offsets); a problem when they are not UTF-8. */
export function decodeSource(bytes: Uint8Array, file: string): { text?: string; problem?: LoadProblem } {
  if (bytes.length > MAX_FILE_BYTES) {
    return { problem: { file, code: 'too-large', message: `file is ${(bytes.length / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit; it was not analysed` } };
  }
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1); // keep offsets, drop the BOM
    return { text };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return { problem: { file, code: 'encoding', message: `file is not valid UTF-8 (byte 0x${bytes[bad]?.toString(16).padStart(2, '0')} at offset ${bad}); save it as UTF-8` } };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return 0;
}

/**
 * Loads every file of the workspace at `dir`: charter.json `include` files
 * plus `governance` files (which may lie outside `dir`; theirs are central).
 */
export function loadWorkspace(dir: string): LoadedWorkspace {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw new WorkspaceError(`no such folder: ${dir}`);
  if (!statSync(root).isDirectory()) throw new WorkspaceError(`not a folder: ${dir}`);
  const problems: LoadProblem[] = [];
  const config = readConfig(root, problems);
  const governance = new Set<string>();
  for (const g of config.governance) {
    const found = expandGlobs(root, [g], problems).filter((f) => f.endsWith('.charter'));
    // A typo or a missing checkout must not silently drop every central rule.
    if (!found.length) problems.push({ file: path.join(root, 'charter.json'), code: 'governance-missing', message: `governance path '${g}' matches no .charter files: central rules are missing (is the shared checkout there?)` });
    for (const f of found) governance.add(f);
  }
  const included = expandGlobs(root, config.include, problems).filter((f) => f.endsWith('.charter'));
  const all = [...new Set([...included, ...governance])].sort();
  const files: LoadedWorkspace['files'] = [];
  for (const f of all) {
    const r = readSource(f);
    if (r.problem) problems.push(r.problem);
    else files.push({ uri: f, path: f, text: r.text!, central: governance.has(f) });
  }
  return { root, config, files, problems };
}
