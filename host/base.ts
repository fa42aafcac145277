// The BASE side of a comparison (`charter diff BASE DIR`, Compare with Base):
// a folder holding another copy of the workspace, or a git revision of the
// repository holding DIR (host/git.ts). Either way the files are named as
// the same files are in DIR, so a file that did not change has the same name
// on both sides and positions can be shown against DIR.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../grammar/index';
import { GitError, loadGitWorkspace } from './git';
import { loadWorkspace, WorkspaceError, type LoadProblem } from './workspace';

export interface BaseWorkspace {
  kind: 'git' | 'folder';
  /** BASE as given. */
  label: string;
  /** The commit a revision names. */
  commit?: string;
  files: (SourceFile & { path: string })[];
  problems: LoadProblem[];
  /** Files read from disk because their glob points outside the repository. */
  outside: string[];
}

export { GitError };

/** Is BASE a folder (rather than a revision)? An existing folder wins. */
export function isFolderBase(base: string): boolean {
  try {
    return existsSync(base) && statSync(base).isDirectory();
  } catch {
    return false;
  }
}

/** Loads BASE for the workspace at `dir`. Throws GitError (or WorkspaceError) when it cannot. */
export function loadBase(base: string, dir: string, extraGovernance: string[] = []): BaseWorkspace {
  const root = path.resolve(dir);
  if (isFolderBase(base)) {
    const ws = loadWorkspace(base);
    // Name BASE's files as DIR names the same files.
    const rename = (f: string) => path.resolve(root, path.relative(ws.root, f));
    return {
      kind: 'folder',
      label: base,
      files: ws.files.map((f) => ({ ...f, uri: rename(f.path), path: rename(f.path) })),
      problems: ws.problems.map((p) => ({ ...p, file: rename(p.file), message: `${p.message} (in ${base})` })),
      outside: [],
    };
  }
  const g = loadGitWorkspace(root, base, extraGovernance);
  return { kind: 'git', label: base, commit: g.commit, files: g.files, problems: g.problems, outside: g.outside };
}

export { WorkspaceError };
