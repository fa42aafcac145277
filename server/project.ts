// The files of the workspace, as the CLI sees them: `charter.json` at each
// workspace root (include and governance globs), plus the
// `charter.governance.paths` setting; read from disk, kept current from file
// events, and overlaid by the text of open documents.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceFile } from '../grammar/index';
import { expandGlobs, globToRegExp, MAX_FILE_BYTES, readConfig, readSource, type CharterConfig, type LoadProblem } from '../host/workspace';

/** Folders the CLI never walks (host/workspace.ts skips the same). */
const SKIP_DIRS = ['node_modules', '.git', 'dist', 'out', '.vscode-test'];

/** One spelling per file: `file:` URIs are normalised through the path. */
export function canonicalUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

interface Root {
  dir: string;
  config: CharterConfig;
  include: RegExp[];
  governance: RegExp[];
}

interface DiskFile {
  text?: string;
  problem?: LoadProblem;
  central: boolean;
}

export interface Overlay {
  text: string;
  version: number;
}

export interface ProjectProblem {
  uri: string;
  message: string;
  severity: 'error' | 'warning';
  code: string;
}

export class Project {
  private roots: Root[] = [];
  private disk = new Map<string, DiskFile>();
  readonly overlays = new Map<string, Overlay>();
  private configProblems: LoadProblem[] = [];
  private governancePaths: string[] = [];
  /** Bumped on every change of the file set or a text. */
  generation = 0;

  constructor(private rootDirs: string[]) {}

  setRoots(dirs: string[]): void {
    this.rootDirs = dirs;
    this.reload();
  }

  setGovernancePaths(globs: string[]): boolean {
    const same = globs.length === this.governancePaths.length && globs.every((g, i) => g === this.governancePaths[i]);
    if (same) return false;
    this.governancePaths = globs;
    this.reload();
    return true;
  }

  /** Reads charter.json of every root and every matching file again. */
  reload(): void {
    this.configProblems = [];
    this.roots = this.rootDirs.map((dir) => {
      const config = readConfig(dir, this.configProblems);
      const governance = [...config.governance, ...this.governancePaths];
      config.governance = governance;
      const re = (globs: string[]) => globs.map((g) => globToRegExp(path.resolve(dir, g.replace(/\\/g, '/')).replace(/\\/g, '/')));
      return { dir, config, include: re(config.include), governance: re(governance) };
    });
    const disk = new Map<string, DiskFile>();
    for (const r of this.roots) {
      const problems: LoadProblem[] = [];
      const gov = new Set(expandGlobs(r.dir, r.config.governance, problems).filter((f) => f.endsWith('.charter')));
      const inc = expandGlobs(r.dir, r.config.include, problems).filter((f) => f.endsWith('.charter'));
      for (const f of [...inc, ...gov]) {
        const uri = pathToUri(f);
        if (disk.has(uri)) {
          if (gov.has(f)) disk.get(uri)!.central = true;
          continue;
        }
        disk.set(uri, { ...readSource(f), central: gov.has(f) });
      }
      this.configProblems.push(...problems.filter((p) => p.code === 'io'));
    }
    this.disk = disk;
    this.generation++;
  }

  /** Which role a path plays: a workspace file, a central governance file, or none. */
  classify(file: string): 'include' | 'governance' | undefined {
    if (!file.endsWith('.charter')) return undefined;
    const norm = file.replace(/\\/g, '/');
    let inc = false;
    for (const r of this.roots) {
      if (r.governance.some((re) => re.test(norm)) && !skipped(r.dir, file)) return 'governance';
      if (r.include.some((re) => re.test(norm)) && !skipped(r.dir, file)) inc = true;
    }
    return inc ? 'include' : undefined;
  }

  /** Governance folders outside every root (the client does not watch them). */
  externalWatchDirs(): string[] {
    const out = new Set<string>();
    for (const r of this.roots) {
      for (const g of r.config.governance) {
        const parts = path.resolve(r.dir, g).split(path.sep);
        const i = parts.findIndex((p) => /[*?{]/.test(p));
        const dir = (i < 0 ? parts.slice(0, -1) : parts.slice(0, i)).join(path.sep) || path.sep;
        if (this.roots.some((x) => dir === x.dir || dir.startsWith(x.dir + path.sep))) continue;
        if (existsSync(dir)) out.add(dir);
      }
    }
    return [...out];
  }

  /** A file was created, changed or deleted on disk. Returns whether the model's inputs changed. */
  fileEvent(uri: string, type: 'created' | 'changed' | 'deleted'): boolean {
    const file = uriToPath(uri);
    if (!file) return false;
    if (path.basename(file) === 'charter.json' && this.roots.some((r) => path.join(r.dir, 'charter.json') === file)) {
      this.reload();
      return true;
    }
    const role = this.classify(file);
    const key = canonicalUri(uri);
    if (type === 'deleted' || !role) {
      const had = this.disk.delete(key);
      if (had) this.generation++;
      // A deleted folder: drop everything under it.
      if (type === 'deleted' && !file.endsWith('.charter')) {
        const prefix = pathToUri(file) + '/';
        for (const k of [...this.disk.keys()]) if (k.startsWith(prefix)) this.disk.delete(k);
        this.generation++;
        return true;
      }
      return had;
    }
    this.disk.set(key, { ...readSource(file), central: role === 'governance' });
    this.generation++;
    return true;
  }

  open(uri: string, text: string, version: number): void {
    this.overlays.set(canonicalUri(uri), { text, version });
    this.generation++;
  }

  change(uri: string, text: string, version: number): void {
    this.overlays.set(canonicalUri(uri), { text, version });
    this.generation++;
  }

  close(uri: string): void {
    const key = canonicalUri(uri);
    this.overlays.delete(key);
    // The editor may have discarded unsaved changes: read the disk again.
    const file = uriToPath(key);
    const role = file ? this.classify(file) : undefined;
    if (file && role && existsSync(file)) this.disk.set(key, { ...readSource(file), central: role === 'governance' });
    this.generation++;
  }

  /** Is an open document part of the model? */
  inModel(uri: string): boolean {
    if (!uri.startsWith('file:')) return true;
    if (!this.roots.length) return true;
    const file = uriToPath(uri);
    return !!file && this.classify(file) !== undefined;
  }

  /** The text the model uses for a file (open document first). */
  text(uri: string): string | undefined {
    return this.overlays.get(uri)?.text ?? this.disk.get(uri)?.text;
  }

  version(uri: string): number | undefined {
    return this.overlays.get(uri)?.version;
  }

  /** The analysis inputs. */
  sources(): SourceFile[] {
    const out: SourceFile[] = [];
    const seen = new Set<string>();
    for (const [uri, f] of this.disk) {
      const o = this.overlays.get(uri);
      const text = o?.text ?? f.text;
      seen.add(uri);
      if (text === undefined || text.length > MAX_FILE_BYTES) continue;
      out.push({ uri, text, central: f.central });
    }
    for (const [uri, o] of this.overlays) {
      if (seen.has(uri) || !this.inModel(uri) || o.text.length > MAX_FILE_BYTES) continue;
      const file = uriToPath(uri);
      out.push({ uri, text: o.text, central: !!file && this.classify(file) === 'governance' });
    }
    return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  /** Open documents that are not part of the model (outside charter.json's include). */
  outsideDocuments(): string[] {
    return [...this.overlays.keys()].filter((u) => !this.inModel(u));
  }

  /** Unreadable files, bad encodings, files too large, an invalid charter.json. */
  problems(): ProjectProblem[] {
    const out: ProjectProblem[] = [];
    for (const p of this.configProblems) out.push({ uri: pathToUri(p.file), message: p.message, severity: 'error', code: p.code });
    for (const [uri, f] of this.disk) {
      if (f.problem && !this.overlays.has(uri)) out.push({ uri, message: f.problem.message, severity: f.problem.code === 'too-large' ? 'warning' : 'error', code: f.problem.code });
    }
    for (const [uri, o] of this.overlays) {
      if (o.text.length > MAX_FILE_BYTES) out.push({ uri, message: `file is over the ${MAX_FILE_BYTES / 1048576} MB limit; it was not analysed`, severity: 'warning', code: 'too-large' });
    }
    return out;
  }

  rootsDirs(): string[] {
    return this.roots.map((r) => r.dir);
  }

  /**
   * `simulation.context` of each root's charter.json that sets one (as
   * written: the model checks it against the context schema). The editor's
   * default context is the first one.
   */
  configContexts(): { file: string; context: Record<string, string | number | boolean> }[] {
    return this.roots
      .filter((r) => Object.keys(r.config.simulation?.context ?? {}).length)
      .map((r) => ({ file: path.join(r.dir, 'charter.json'), context: r.config.simulation.context }));
  }
}

function skipped(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return rel.split(/[\\/]/).slice(0, -1).some((p) => SKIP_DIRS.includes(p));
}
