import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve('dist/cli.cjs');

/** Runs the bundled CLI (npm test builds it first). */
export function charter(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd, input: opts.input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
