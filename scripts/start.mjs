// `npm start`: build, then open examples/ with the extension loaded.
//  - `code` on the PATH: VS Code with --extensionDevelopmentPath (this checkout).
//  - otherwise: VS Code for the Web (code-server, installed offline and cached
//    outside the repo by scripts/e2e/setup-code-server.sh) on 127.0.0.1, with the
//    packaged VSIX installed; the URL is printed. Ctrl+C stops it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const examples = path.join(root, 'examples');
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`npm start: '${cmd} ${args.join(' ')}' failed`);
    process.exit(r.status ?? 1);
  }
  return r;
};

console.log('== building');
run(process.execPath, ['scripts/build.mjs']);
console.log('== checking the example mesh (its deliberate mistakes are expected)');
spawnSync(process.execPath, ['dist/cli.cjs', 'check', examples], { stdio: 'inherit', cwd: root });

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' }).status === 0;
if (hasCode && !process.env.CHARTER_START_WEB) {
  console.log('== opening examples/ in VS Code with the extension loaded');
  run('code', ['--extensionDevelopmentPath', root, examples], { shell: process.platform === 'win32' });
  process.exit(0);
}

console.log('== `code` is not on the PATH: serving VS Code for the Web (code-server)');
const setup = spawnSync('bash', [path.join(root, 'scripts/e2e/setup-code-server.sh')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (setup.status !== 0) {
  console.error('npm start: could not install code-server (see the message above)');
  process.exit(1);
}
const entry = setup.stdout.trim().split('\n').pop();
console.log('== packaging the extension');
run(process.execPath, ['scripts/package.mjs']);
const vsix = readdirSync(root).filter((f) => f.endsWith('.vsix')).sort().pop();
const state = path.join(process.env.CHARTER_START_DIR ?? path.join(homedir(), '.cache', 'charter-start'));
const extDir = path.join(state, 'extensions');
const dataDir = path.join(state, 'user-data');
mkdirSync(extDir, { recursive: true });
mkdirSync(dataDir, { recursive: true });
const common = ['--extensions-dir', extDir, '--user-data-dir', dataDir];
// code-server writes its config under XDG_CONFIG_HOME: keep it in our cache, not in ~/.config.
const env = { ...process.env, XDG_CONFIG_HOME: path.join(state, 'config'), XDG_DATA_HOME: path.join(state, 'data') };
run(process.execPath, [entry, ...common, '--install-extension', path.join(root, vsix), '--force'], { env });

const port = Number(process.env.PORT) || (await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
}));
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples)}`;
const child = spawn(
  process.execPath,
  [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-workspace-trust', '--disable-telemetry', '--disable-update-check', ...common, examples],
  { stdio: ['ignore', 'ignore', 'inherit'], env },
);
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
console.log(`\nCharter is running in VS Code for the Web:\n\n    ${url}\n\nOpen it in a browser; Ctrl+C stops it.`);
child.on('exit', (code) => process.exit(code ?? 0));
if (!existsSync(examples)) console.error('examples/ is missing');
