// `charter diff` on the 1,000-contract benchmark mesh, as a user runs it:
// the mesh committed to a temporary git repository, one edit in the working
// tree, then the bundled CLI (`node dist/cli.cjs diff HEAD DIR --format json`)
// timed from process start to exit. Reference, measured in the same run: the
// cold `charter check` of one side, the same way.
//
//   node dist/bench/diff-bench.mjs [contracts]   -> one JSON line on stdout

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateMesh } from './gen-mesh';
import { analyze, diffAnalyses, ParseCache, summarize } from '../../grammar/index';
import { loadBase } from '../../host/base';
import { loadWorkspace } from '../../host/workspace';

/** CPU time (user + system) of this process, in ms: steadier than wall time on a busy machine. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The same steps as the CLI, in a fresh process (cold, as the CLI is), with the CPU time of each. */
function phases(only = ''): Record<string, number> {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--phases', dir, only], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`phases: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function runPhases(): Record<string, number> {
  const out: Record<string, number> = {};
  let t = cpu();
  const lap = (k: string) => {
    const n = cpu();
    out[k] = n - t;
    t = n;
  };
  if (process.argv[4] === 'check') {
    // The reference: what `charter check` does, cold.
    analyze(loadWorkspace(dir).files);
    lap('check');
    return out;
  }
  const base = loadBase('HEAD', dir);
  const head = loadWorkspace(dir);
  lap('read');
  const cache = new ParseCache();
  const before = analyze(base.files, { parseCache: cache });
  lap('base');
  const after = analyze(head.files, { parseCache: cache });
  lap('head');
  summarize(diffAnalyses(before, after));
  lap('delta');
  return out;
}

const phasesOnly = process.argv[2] === '--phases';
const contracts = phasesOnly ? 0 : Number(process.argv[2] ?? 1000);
const dir = phasesOnly ? process.argv[3] : mkdtempSync(path.join(tmpdir(), 'charter-diff-bench-'));
const cli = path.resolve('dist/cli.cjs');
const self = process.argv[1];

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/** Median wall time of the CLI, and its output of the last run. */
function timeCli(args: string[], runs = 3): { ms: number; stdout: string; status: number | null } {
  const times: number[] = [];
  let last: ReturnType<typeof spawnSync> | undefined;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], stdout: String(last!.stdout), status: last!.status };
}

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

if (phasesOnly) {
  process.stdout.write(JSON.stringify(runPhases()) + '\n');
  process.exit(0);
}

try {
  const { files } = generateMesh({ contracts });
  for (const f of files) write(f.path, f.text);
  sh('git', ['init', '-q']);
  sh('git', ['add', '-A']);
  sh('git', ['-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'mesh']);

  const check = timeCli(['check', '.', '--format', 'json']);
  const checkCpu = phases('check').check;

  // 1. One policy changed: a contract policy in the middle of the mesh lets analysts in, and everyone with MFA.
  const withPolicy = files.filter((f) => /\n {2}allow read to [a-z-]+( when [^\n]*)?\n/.test(f.text) && /\npolicy [a-z0-9-]+ on [a-z0-9_]+\.[a-z0-9_]+ \{/.test(f.text));
  const policyFile = withPolicy[Math.floor(withPolicy.length / 2)];
  const original = policyFile.text;
  const m = /\n {2}allow read to ([a-z-]+)( when [^\n]*)?\n/.exec(original)!;
  write(policyFile.path, original.replace(m[0], `\n  allow read to ${m[1]}, analysts${m[2] ?? ''}\n  allow read to everyone when context.mfa\n`));
  const policy = timeCli(['diff', 'HEAD', '.', '--format', 'json']);
  const policyOut = JSON.parse(policy.stdout);
  const policyCpu = phases();
  write(policyFile.path, original);

  // 2. A principal's group membership changed: one principal joins analysts (or leaves its first group).
  const principals = files.find((f) => f.path === 'org/principals.charter')!;
  const pm = /\n {2}member of ([^\n]+)\n/.exec(principals.text)!;
  const groups = pm[1].split(', ');
  const changed = groups.includes('analysts') ? groups.filter((g) => g !== 'analysts') : [...groups, 'analysts'];
  write(principals.path, principals.text.replace(pm[0], `\n  member of ${(changed.length ? changed : ['auditors']).join(', ')}\n`));
  const member = timeCli(['diff', 'HEAD', '.', '--format', 'json']);
  const memberOut = JSON.parse(member.stdout);
  const memberCpu = phases();

  process.stdout.write(
    JSON.stringify({
      contracts,
      checkMs: check.ms,
      checkCpu,
      policyMs: policy.ms,
      policyAccess: policyOut.access.length,
      policyFile: policyFile.path,
      memberMs: member.ms,
      memberAccess: memberOut.access.length,
      policyCpu,
      memberCpu,
      exit: [policy.status, member.status],
    }) + '\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

