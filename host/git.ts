// A workspace as it was at a git revision, read with git itself (`rev-parse`,
// `ls-tree`, `cat-file --batch`): nothing is checked out or stashed, and the
// user's working tree and index are never touched. `charter diff` and the
// editor's Compare with Base read their BASE side through here.
//
// charter.json is the one at the revision, and its include/governance globs
// are matched against the revision's tree. A glob whose folder lies outside
// the repository (a central governance checkout beside it, say) cannot be
// read at a revision of *this* repository: those files are read from disk,
// as they are now, and listed in `outside`, so both sides use the same
// central rules and the diff shows what the repository's change does.

import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../grammar/index';
import { decodeSource, expandGlobs, globBase, globToRegExp, parseConfig, readSource, SKIP_DIRS, type CharterConfig, type LoadProblem } from './workspace';

/** Not a repository, an unknown revision, no git: a usage error for the CLI (exit 2). */
export class GitError extends Error {}

export interface GitWorkspace {
  /** The folder compared (absolute), as the working-tree side names it. */
  root: string;
  /** The revision as given, and the commit it names. */
  revision: string;
  commit: string;
  config: CharterConfig;
  /** Paths are the ones the same files have in the working tree, so both sides name a file alike. */
  files: (SourceFile & { path: string })[];
  problems: LoadProblem[];
  /** Files matched by globs outside the repository, read from disk as they are now. */
  outside: string[];
}

interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number;
  /** '/'-separated, relative to the repository's top. */
  path: string;
}

function git(cwd: string, args: string[], input?: string): { status: number; stdout: Buffer; stderr: string } {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new GitError(code === 'ENOENT' ? 'git is not installed (or not on PATH): give BASE as a folder instead' : `cannot run git: ${r.error.message}`);
  }
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim() };
}

/** The repository holding `dir`, `dir`'s place in it and the commit `revision` names. */
export function resolveRevision(dir: string, revision: string): { top: string; prefix: string; commit: string } {
  const root = path.resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new GitError(`no such folder: ${dir}`);
  const where = git(root, ['rev-parse', '--show-toplevel', '--show-prefix']);
  if (where.status !== 0) {
    if (/not a git repository/i.test(where.stderr)) throw new GitError(`${dir} is not in a git repository: give BASE as a folder to compare with a copy of the workspace`);
    throw new GitError(`git rev-parse failed: ${where.stderr}`);
  }
  const [top, prefix = ''] = where.stdout.toString('utf8').split('\n');
  if (!revision || revision.startsWith('-')) throw new GitError(`'${revision}' is not a revision`);
  const rev = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
  if (rev.status !== 0) {
    const empty = revision === 'HEAD' && git(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).status !== 0;
    throw new GitError(empty ? `unknown revision 'HEAD': the repository has no commit yet` : `unknown revision '${revision}' (not a commit, branch or tag of the repository at ${top})`);
  }
  return { top, prefix, commit: rev.stdout.toString('utf8').trim() };
}

function listTree(root: string, commit: string): TreeEntry[] {
  const r = git(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit]);
  if (r.status !== 0) throw new GitError(`git ls-tree failed: ${r.stderr}`);
  const out: TreeEntry[] = [];
  for (const rec of r.stdout.toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid, size] = rec.slice(0, tab).split(/ +/);
    out.push({ mode, type, oid, size: Number(size) || 0, path: rec.slice(tab + 1) });
  }
  return out;
}

/** The contents of blobs, in one `git cat-file --batch`. */
function readBlobs(root: string, oids: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const unique = [...new Set(oids)];
  if (!unique.length) return out;
  const r = git(root, ['cat-file', '--batch'], unique.join('\n') + '\n');
  if (r.status !== 0) throw new GitError(`git cat-file failed: ${r.stderr}`);
  const buf = r.stdout;
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(10, at);
    if (nl < 0) break;
    const [oid, type, size] = buf.subarray(at, nl).toString('utf8').split(' ');
    at = nl + 1;
    if (type === 'missing') continue;
    const n = Number(size);
    out.set(oid, buf.subarray(at, at + n));
    at += n + 1;
  }
  return out;
}

/** Does the '/'-path `file`, under `base`, pass through a folder the loader never walks? */
function underSkipped(base: string, file: string): boolean {
  const rel = path.posix.relative(base, file).split('/');
  return rel.slice(0, -1).some((p) => SKIP_DIRS.has(p));
}

const posix = (p: string) => p.replace(/\\/g, '/');

/**
 * Loads the workspace at `dir` as it was at `revision`. `extraGovernance`
 * adds governance globs (the editor's `charter.governance.paths`).
 */
export function loadGitWorkspace(dir: string, revision: string, extraGovernance: string[] = []): GitWorkspace {
  const root = path.resolve(dir);
  const { prefix, commit } = resolveRevision(root, revision);
  const entries = listTree(root, commit);
  // The repository's top as the working-tree side names it (through the same symlinks as `dir`).
  const depth = prefix.split('/').filter(Boolean).length;
  const repoRoot = path.resolve(root, ...Array<string>(depth).fill('..'));
  const abs = (p: string) => posix(path.join(repoRoot, p));
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const problems: LoadProblem[] = [];
  const at = ` at ${revision}`;
  const configEntry = byPath.get(`${prefix}charter.json`);
  let config: CharterConfig = { include: ['**/*.charter'], governance: [], simulation: { context: {} } };
  if (configEntry && configEntry.type === 'blob') {
    const text = readBlobs(root, [configEntry.oid]).get(configEntry.oid)?.toString('utf8') ?? '';
    const found: LoadProblem[] = [];
    config = parseConfig(text, path.join(root, 'charter.json'), found);
    problems.push(...found.map((p) => ({ ...p, message: p.message.replace(/^charter\.json/, `charter.json${at}`) })));
  }
  config = { ...config, governance: [...config.governance, ...extraGovernance] };

  const inTree = new Map<string, { entry: TreeEntry; central: boolean }>();
  const fromDisk = new Map<string, boolean>();
  const repoTop = posix(repoRoot);
  const match = (globs: string[], central: boolean, required: boolean) => {
    for (const g of globs) {
      const norm = posix(g);
      const base = posix(path.resolve(root, globBase(norm)));
      const re = globToRegExp(posix(path.resolve(root, norm)));
      let found = 0;
      if (base === repoTop || base.startsWith(repoTop + '/')) {
        for (const e of entries) {
          const p = abs(e.path);
          if (!p.endsWith('.charter') || !(p === base || p.startsWith(base + '/')) || !re.test(p) || underSkipped(base, p)) continue;
          found++;
          const had = inTree.get(p);
          inTree.set(p, { entry: e, central: central || !!had?.central });
        }
      } else {
        for (const f of expandGlobs(root, [g], problems).filter((x) => x.endsWith('.charter'))) {
          found++;
          fromDisk.set(f, central || !!fromDisk.get(f));
        }
      }
      if (required && !found) {
        problems.push({ file: path.join(root, 'charter.json'), code: 'governance-missing', message: `governance path '${g}' matches no .charter files${at}: central rules are missing there` });
      }
    }
  };
  match(config.governance, true, true);
  match(config.include, false, false);

  // Symbolic links: git stores the target's path; follow it inside the tree.
  const resolved = new Map<string, TreeEntry>();
  for (const [p, x] of inTree) {
    let e: TreeEntry | undefined = x.entry;
    for (let hops = 0; e && e.mode === '120000' && hops < 8; hops++) {
      const to = readBlobs(root, [e.oid]).get(e.oid)?.toString('utf8') ?? '';
      e = byPath.get(path.posix.normalize(path.posix.join(path.posix.dirname(e.path), to)));
    }
    if (!e || e.type !== 'blob' || e.mode === '120000') {
      problems.push({ file: path.normalize(p), code: 'io', message: `cannot read file${at}: a symbolic link to something that is not a file of the repository` });
      continue;
    }
    resolved.set(p, e);
  }
  const blobs = readBlobs(root, [...resolved.values()].map((e) => e.oid));
  const files: GitWorkspace['files'] = [];
  for (const [p, e] of resolved) {
    const file = path.normalize(p);
    const bytes = blobs.get(e.oid);
    if (!bytes) {
      problems.push({ file, code: 'io', message: `cannot read file${at}: git has no object ${e.oid}` });
      continue;
    }
    const r = decodeSource(bytes, file);
    if (r.problem) problems.push({ ...r.problem, message: `${r.problem.message}${at}` });
    else files.push({ uri: file, path: file, text: r.text!, central: inTree.get(p)!.central });
  }
  const outside: string[] = [];
  for (const [f, central] of fromDisk) {
    if (files.some((x) => x.path === f)) continue;
    const r = readSource(f);
    if (r.problem) problems.push(r.problem);
    else {
      files.push({ uri: f, path: f, text: r.text!, central });
      outside.push(f);
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, revision, commit, config, files, problems, outside };
}
