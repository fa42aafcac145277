// `npm start`: build, then open examples/sales/orders.charter and the graph
// preview with the extension loaded.
//  - `code` on the PATH: VS Code with --extensionDevelopmentPath (this checkout).
//  - otherwise: VS Code for the Web (code-server, installed offline and cached
//    outside the repo by scripts/e2e/setup-code-server.sh, which also installs
//    the Debian packages it needs when it may) on 127.0.0.1, with the packaged
//    VSIX installed (packaged and installed again only when the sources
//    changed); the URL is printed (and opened when there is a desktop). Ctrl+C
//    stops it.
// It prints the time each phase took and the time to a usable editor.
//
// Env: CHARTER_START_WEB=1 (code-server even when `code` exists),
//      CHARTER_START_DIR (state: extensions, user data; default ~/.cache/charter-start),
//      PORT (default: a free one), CHARTER_START_NO_BROWSER=1, CHARTER_START_EXIT_WHEN_READY=1
//      (exit once the editor is up: scripts/fresh-clone-check.sh times it).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const t0 = Date.now();
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const examples = path.join(root, 'examples');
const START_FILE = path.join(examples, 'sales', 'orders.charter');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
let phase = Date.now();
const say = (m) => console.log(`== ${m}`);
const done = (what) => {
  console.log(`   ${what} in ${secs(Date.now() - phase)}`);
  phase = Date.now();
};
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`npm start: '${cmd} ${args.join(' ')}' failed`);
    process.exit(r.status ?? 1);
  }
  return r;
};

const hasCode = !process.env.CHARTER_START_WEB && spawnSync('code', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' }).status === 0;

if (hasCode) {
  say('building');
  run(process.execPath, ['scripts/build.mjs']);
  done('built');
  say('opening examples/ in VS Code with the extension loaded');
  run('code', ['--extensionDevelopmentPath', root, examples, '--goto', `${START_FILE}:2:17`], { shell: process.platform === 'win32', env: { ...process.env, CHARTER_START_GRAPH: '1' } });
  console.log(`\nVS Code is opening examples/sales/orders.charter (${secs(Date.now() - t0)} after npm start).`);
  process.exit(0);
}

console.log('== `code` is not on the PATH: serving VS Code for the Web (code-server)');
say('building');
run(process.execPath, ['scripts/build.mjs']);
done('built');
say('code-server (installed once, cached in ~/.cache/charter-e2e)');
const setup = spawnSync('bash', [path.join(root, 'scripts/e2e/setup-code-server.sh')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (setup.status !== 0) {
  console.error('npm start: could not install code-server (see the message above)');
  process.exit(1);
}
const entry = setup.stdout.trim().split('\n').pop();
done('code-server ready');

const state = process.env.CHARTER_START_DIR ?? path.join(homedir(), '.cache', 'charter-start');
const extDir = path.join(state, 'extensions');
const dataDir = path.join(state, 'user-data');
mkdirSync(extDir, { recursive: true });
mkdirSync(path.join(dataDir, 'User'), { recursive: true });
const common = ['--extensions-dir', extDir, '--user-data-dir', dataDir];
// code-server writes its config under XDG_CONFIG_HOME: keep it in our cache, not in ~/.config.
// CHARTER_START_GRAPH: the extension opens the graph beside the first Charter editor.
const env = { ...process.env, XDG_CONFIG_HOME: path.join(state, 'config'), XDG_DATA_HOME: path.join(state, 'data'), CHARTER_START_GRAPH: '1' };

// Open the example, not code-server's or VS Code's welcome pages (the user's other settings are kept).
const settingsFile = path.join(dataDir, 'User', 'settings.json');
let settings = {};
try {
  settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
} catch {
  /* none yet, or not plain JSON: start from ours */
}
Object.assign(settings, {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  // examples/ is inside this git checkout: no "open the parent repository?" prompt.
  'git.openRepositoryInParentFolders': 'never',
});
writeFileSync(settingsFile, JSON.stringify(settings, null, 2));

// Package and install the extension only when what goes into the VSIX changed.
const INPUTS = ['client', 'server', 'grammar', 'host', 'cli', 'media', 'schemas', 'package.json', '.vscodeignore', 'scripts/build.mjs', 'scripts/package.mjs', 'CHANGELOG.md', 'LICENSE'];
function hashInputs() {
  const h = createHash('sha256');
  const walk = (p) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(path.join(p, e));
    else h.update(path.relative(root, p)).update('\0').update(readFileSync(p)).update('\0');
  };
  for (const i of INPUTS) walk(path.join(root, i));
  h.update(entry);
  return h.digest('hex');
}
const { name, publisher, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const stampFile = path.join(state, 'installed-vsix.sha256');
const hash = hashInputs();
const installedDir = path.join(extDir, `${publisher}.${name}-${version}`);
if (existsSync(installedDir) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
  say('the extension is up to date (sources unchanged since it was installed)');
} else {
  say('building and packaging the extension');
  run(process.execPath, ['scripts/package.mjs']);
  done('packaged');
  say('installing it into code-server');
  const vsix = path.join(root, `${name}-${version}.vsix`);
  run(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(stampFile, hash);
  done('installed');
}
say('checking the example mesh (its deliberate mistakes are expected)');
const checked = spawnSync(process.execPath, ['dist/cli.cjs', 'check', examples], { encoding: 'utf8', cwd: root });
console.log(`   ${checked.stdout.trim().split('\n').pop()} (the Problems panel lists them)`);

const port = Number(process.env.PORT) || (await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
}));
const host = `127.0.0.1:${port}`;
// The workbench opens the file given in its URL payload (VS Code for the Web's openFile), with
// the cursor on `orders` of `contract sales.orders` (2:17), so the graph opens focused on the contract.
const payload = JSON.stringify([
  ['openFile', `vscode-remote://${host}${START_FILE.split(path.sep).join('/')}:2:17`],
  ['gotoLineMode', 'true'],
]);
const url = `http://${host}/?folder=${encodeURIComponent(examples)}&payload=${encodeURIComponent(payload)}`;
say('starting code-server');
const child = spawn(
  process.execPath,
  [entry, '--auth', 'none', '--bind-addr', host, '--disable-workspace-trust', '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', ...common, examples],
  { stdio: ['ignore', 'ignore', 'inherit'], env },
);
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));

for (;;) {
  try {
    const r = await fetch(`http://${host}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (r.ok) break;
  } catch {
    /* not yet */
  }
  if (Date.now() - phase > 60_000) {
    console.error('npm start: code-server did not answer within 60 s');
    stop();
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}
done('serving');
console.log(`\nCharter is running in VS Code for the Web, ${secs(Date.now() - t0)} after npm start:\n\n    ${url}\n\nOpen it in a browser: examples/sales/orders.charter opens with the graph beside it. Ctrl+C stops it.`);
if (!process.env.CHARTER_START_NO_BROWSER && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && spawnSync('sh', ['-c', 'command -v xdg-open'], { stdio: 'ignore' }).status === 0) {
  spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).unref();
}
if (process.env.CHARTER_START_EXIT_WHEN_READY) stop();
