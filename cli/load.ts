// Loading and analysing DIR for any command.

import { analyze, type Analysis } from '../grammar/index';
import { loadWorkspace, WorkspaceError, type LoadedWorkspace } from '../host/workspace';
import { UsageError } from './errors';

export interface Loaded {
  ws: LoadedWorkspace;
  analysis: Analysis;
}

/** Reads DIR; a missing folder or a broken charter.json is a usage error (exit 2). */
export function loadForCli(dir: string): LoadedWorkspace {
  let ws: LoadedWorkspace;
  try {
    ws = loadWorkspace(dir);
  } catch (e) {
    if (e instanceof WorkspaceError) throw new UsageError(e.message);
    throw e;
  }
  const config = ws.problems.find((p) => p.code === 'config');
  if (config) throw new UsageError(config.message);
  return ws;
}

export function loadAndAnalyze(dir: string, today?: string): Loaded {
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError(`--today takes a date YYYY-MM-DD, not '${today}'`);
  const ws = loadForCli(dir);
  if (!ws.files.length && !ws.problems.some((p) => p.code !== 'governance-missing')) {
    throw new UsageError(`no .charter files found in ${dir} (check the folder, or "include" in charter.json)`);
  }
  return { ws, analysis: analyze(ws.files, { today }) };
}
