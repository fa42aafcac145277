/**
 * End-to-end harness: a REAL VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by
 * Playwright in Debian's headless chromium.
 *
 *   const server = await startCodeServer({ folder, vsix: 'charter.vsix' });
 *   const { page, close } = await openBrowser();
 *   await openWorkbench(page, server);          // goto + waitForWorkbench
 *   await openFile(page, 'src/a.charter');
 *   ...
 *   await close(); await server.stop();
 *
 * code-server is installed (offline, cached outside the repo) by
 * scripts/e2e/setup-code-server.sh, which this module runs on first use.
 * System packages (chromium, ripgrep, build deps) come from .ci/install-deps.sh.
 *
 * Environment knobs:
 *   CODE_SERVER_ENTRY       use this entry.js instead of running the setup script
 *   CHARTER_E2E_CHROMIUM    browser binary (default /usr/bin/chromium)
 *   CHARTER_E2E_RESULTS     output dir for screenshots/logs (default <repo>/test-results/e2e)
 *   CHARTER_E2E_KEEP=1      keep the per-run temp dirs (user-data-dir, extensions-dir)
 *   CHARTER_E2E_DEBUG=1     log each harness step to stderr
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, posix } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

// ---------------------------------------------------------------------------------------------
// paths & small utilities
// ---------------------------------------------------------------------------------------------

/** Repository root: walk up from cwd until we find scripts/e2e/setup-code-server.sh. */
export const repoRoot: string = (() => {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'e2e', 'setup-code-server.sh'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
})();

export const resultsDir: string = resolve(process.env.CHARTER_E2E_RESULTS ?? join(repoRoot, 'test-results', 'e2e'));

const DEBUG = process.env.CHARTER_E2E_DEBUG === '1';
function debug(...args: unknown[]): void {
  if (DEBUG) console.error('[e2e]', ...args);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Wrap a Playwright wait so a timeout says what we were waiting for. */
async function waitOrExplain<T>(what: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    const e = err as Error;
    const msg = e?.name === 'TimeoutError' ? `timed out waiting for ${what}` : `failed while waiting for ${what}`;
    throw new Error(`${msg}\n  cause: ${e?.message?.split('\n')[0]}`, { cause: err });
  }
}

/** Poll `fn` until it returns a truthy value, or throw `what` after timeout. */
export async function poll<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeout = 15_000, interval = 100): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      const cause = lastErr ? `\n  last error: ${(lastErr as Error).message?.split('\n')[0]}` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${cause}`);
    }
    await sleep(interval);
  }
}

// ---------------------------------------------------------------------------------------------
// code-server
// ---------------------------------------------------------------------------------------------

let cachedEntry: string | undefined;

/** Make sure code-server is installed (runs scripts/e2e/setup-code-server.sh once) and return entry.js. */
export function ensureCodeServer(): string {
  if (cachedEntry) return cachedEntry;
  const fromEnv = process.env.CODE_SERVER_ENTRY;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CODE_SERVER_ENTRY=${fromEnv} does not exist`);
    return (cachedEntry = fromEnv);
  }
  const script = join(repoRoot, 'scripts', 'e2e', 'setup-code-server.sh');
  const t0 = Date.now();
  const r = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60_000 });
  if (r.status !== 0) {
    throw new Error(`${script} failed (exit ${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  }
  const entry = r.stdout.trim().split('\n').pop() ?? '';
  if (!entry || !existsSync(entry)) throw new Error(`${script} did not print a valid entry.js path:\n${r.stdout}\n${r.stderr}`);
  debug(`code-server ready at ${entry} (${Date.now() - t0} ms)`);
  return (cachedEntry = entry);
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/**
 * Settings written to the fresh user-data-dir before start; make the workbench quiet and
 * deterministic. Anything here can be overridden by `userSettings`.
 */
export const defaultUserSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.autoSave': 'off',
  // Typing "\n" with the keyboard must insert a newline, never accept a suggestion.
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.minimap.enabled': false,
  'window.dialogStyle': 'custom',
};

export interface StartCodeServerOptions {
  /** Folder to open as the workspace. */
  folder: string;
  /** .vsix file(s) to install into this run's extensions-dir before starting. */
  vsix?: string | string[];
  /** Merged over `defaultUserSettings` into <user-data-dir>/User/settings.json. */
  userSettings?: Record<string, unknown>;
  /** Extra code-server CLI args. */
  extraArgs?: string[];
  /** Extra environment for the code-server process (and so the extension host). */
  env?: Record<string, string>;
  /** How long to wait for HTTP to come up (default 60 s). */
  startTimeout?: number;
  /** Label used in log file names. */
  name?: string;
  /** false: workspace trust is on and the folder opens untrusted (restricted mode). Default true. */
  trusted?: boolean;
}

export interface CodeServer {
  /** URL that opens the folder: http://127.0.0.1:PORT/?folder=... */
  url: string;
  baseUrl: string;
  port: number;
  folder: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's stdout/stderr. */
  logFile: string;
  /** Where VS Code's own logs (exthost, output channels) are copied on stop. */
  logsDir: string;
  /** ms from spawn to HTTP 200 on /healthz. */
  startupMs: number;
  pid: number;
  stop(): Promise<void>;
}

const liveServers = new Set<ChildProcess>();
let exitHooksInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // negative pid = the whole process group
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const c of liveServers) killGroup(c, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const c of liveServers) killGroup(c, 'SIGKILL');
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

function codeServerEnv(runDir: string, extra?: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // Keep code-server's config.yaml / data out of the real home directory.
    XDG_CONFIG_HOME: join(runDir, 'xdg-config'),
    XDG_DATA_HOME: join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: join(runDir, 'xdg-cache'),
    ...extra,
  };
}

async function installVsix(entry: string, vsix: string, dirs: { userDataDir: string; extensionsDir: string; runDir: string; logFile: string }, env?: Record<string, string>): Promise<void> {
  const abs = resolve(vsix);
  if (!existsSync(abs)) throw new Error(`VSIX not found: ${abs}`);
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    [entry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', abs, '--force'],
    { encoding: 'utf8', env: codeServerEnv(dirs.runDir, env), timeout: 120_000 },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  writeFileSync(dirs.logFile, `=== install ${abs}\n${out}\n`, { flag: 'a' });
  if (r.status !== 0 || (/failed|error/i.test(out) && !/successfully installed/i.test(out))) {
    throw new Error(`installing ${abs} into code-server failed (exit ${r.status ?? r.signal}):\n${out}`);
  }
  debug(`installed ${basename(abs)} in ${Date.now() - t0} ms`);
}

/**
 * Start code-server on a free port with a fresh user-data-dir and extensions-dir,
 * optionally installing VSIX files first. Resolves once HTTP answers.
 */
export async function startCodeServer(opts: StartCodeServerOptions): Promise<CodeServer> {
  const entry = ensureCodeServer();
  const folder = resolve(opts.folder);
  if (!existsSync(folder)) throw new Error(`startCodeServer: folder does not exist: ${folder}`);

  const runDir = mkdtempSync(join(tmpdir(), 'charter-e2e-'));
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...defaultUserSettings, ...opts.userSettings }, null, 2));

  const id = `${opts.name ?? 'code-server'}-${timestamp()}`.replace(/[^\w.-]+/g, '_');
  const logsDir = join(resultsDir, 'logs', id);
  mkdirSync(logsDir, { recursive: true });
  const logFile = join(logsDir, 'code-server.log');
  writeFileSync(logFile, `run dir: ${runDir}\nfolder: ${folder}\n`);

  const dirs = { userDataDir, extensionsDir, runDir, logFile };
  const cleanupRunDir = () => {
    if (process.env.CHARTER_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
  };
  try {
    for (const v of ([] as string[]).concat(opts.vsix ?? [])) await installVsix(entry, v, dirs, opts.env);
  } catch (err) {
    cleanupRunDir();
    throw err;
  }

  installExitHooks();
  const startTimeout = opts.startTimeout ?? 60_000;

  // A free port can be taken between probing and binding: retry a couple of times.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      ...(opts.trusted === false ? [] : ['--disable-workspace-trust']),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      ...(opts.extraArgs ?? []),
      folder,
    ];
    writeFileSync(logFile, `=== start (attempt ${attempt}): node ${args.join(' ')}\n`, { flag: 'a' });
    const fd = openSync(logFile, 'a');
    const t0 = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: folder,
      env: codeServerEnv(runDir, opts.env),
      detached: true, // own process group, so stop() can kill extension hosts etc. too
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    liveServers.add(child);
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exitPromise = new Promise<void>((res) => {
      child.on('exit', (code, signal) => {
        exited = { code, signal };
        liveServers.delete(child);
        res();
      });
    });

    const baseUrl = `http://127.0.0.1:${port}`;
    let up = false;
    while (!exited && Date.now() - t0 < startTimeout) {
      try {
        const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          up = true;
          break;
        }
      } catch {
        /* not yet */
      }
      await sleep(100);
    }
    const startupMs = Date.now() - t0;

    if (!up) {
      killGroup(child, 'SIGKILL');
      await Promise.race([exitPromise, sleep(3000)]);
      const log = tail(logFile);
      if (exited && /EADDRINUSE/.test(log) && attempt < 3) continue;
      cleanupRunDir();
      throw new Error(
        exited
          ? `code-server exited during startup (code ${exited.code}, signal ${exited.signal}); log ${logFile}:\n${log}`
          : `code-server did not answer on ${baseUrl}/healthz within ${startTimeout} ms; log ${logFile}:\n${log}`,
      );
    }
    debug(`code-server up on ${baseUrl} in ${startupMs} ms (pid ${child.pid}, log ${logFile})`);

    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      if (!exited) {
        killGroup(child, 'SIGTERM');
        await Promise.race([exitPromise, sleep(5000)]);
      }
      // SIGKILL the group regardless: the leader may be gone while children linger.
      killGroup(child, 'SIGKILL');
      await Promise.race([exitPromise, sleep(2000)]);
      try {
        const vscodeLogs = join(userDataDir, 'logs');
        if (existsSync(vscodeLogs)) cpSync(vscodeLogs, join(logsDir, 'vscode'), { recursive: true });
      } catch {
        /* best effort */
      }
      cleanupRunDir();
      debug(`code-server on ${baseUrl} stopped`);
    };

    return {
      url: `${baseUrl}/?folder=${encodeURIComponent(folder)}`,
      baseUrl,
      port,
      folder,
      userDataDir,
      extensionsDir,
      logFile,
      logsDir,
      startupMs,
      pid: child.pid!,
      stop,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// browser
// ---------------------------------------------------------------------------------------------

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export interface OpenBrowserOptions {
  /** Default 1600x1000. */
  viewport?: { width: number; height: number };
  /** prefers-color-scheme; default 'light'. The theme itself is a setting: userSettings['workbench.colorTheme']. */
  colorScheme?: 'light' | 'dark';
}

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  /** console.error messages and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Launch Debian's chromium headless with a fresh profile and return one page. */
export async function openBrowser(opts: OpenBrowserOptions = {}): Promise<BrowserSession> {
  const executablePath = process.env.CHARTER_E2E_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`chromium not found at ${executablePath}: run 'bash .ci/install-deps.sh' (apt-get install chromium) or set CHARTER_E2E_CHROMIUM`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'charter-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport: opts.viewport ?? { width: 1600, height: 1000 },
    colorScheme: opts.colorScheme ?? 'light',
    timeout: 60_000,
  });
  // tsx (esbuild keepNames) wraps named functions in `__name(...)`; functions passed to
  // page.evaluate() run in the browser where that helper doesn't exist. Provide a no-op.
  await context.addInitScript('globalThis.__name = globalThis.__name || ((fn) => fn);');
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return {
    page,
    context,
    errors,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// workbench UI helpers (VS Code 1.100 DOM)
// ---------------------------------------------------------------------------------------------

export const sel = {
  workbench: '.monaco-workbench',
  statusbar: '.monaco-workbench .part.statusbar',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeGroup: '.part.editor .editor-group-container.active',
  activeTab: '.part.editor .editor-group-container.active .tabs-container .tab.active',
  activeEditor: '.part.editor .editor-group-container.active .editor-container .monaco-editor',
  markersPanel: '.markers-panel',
  markersRow: '.markers-panel .monaco-list-row',
  suggestWidget: '.monaco-editor .suggest-widget.visible',
  suggestRow: '.monaco-editor .suggest-widget.visible .monaco-list-row',
  hover: '.monaco-hover:not(.hidden)',
  notificationToast: '.notifications-toasts .notification-toast',
} as const;

/** Go to the server's URL and wait for the workbench to be ready. */
export async function openWorkbench(page: Page, server: Pick<CodeServer, 'url'>, timeout = 60_000): Promise<void> {
  await waitOrExplain(`page load of ${server.url}`, page.goto(server.url, { timeout, waitUntil: 'domcontentloaded' }));
  await waitForWorkbench(page, { timeout });
}

/**
 * Wait until the workbench is usable: `.monaco-workbench` and the status bar are visible and,
 * when a folder is open, the explorer has rendered at least one row (which means the remote
 * file system connection works).
 */
export async function waitForWorkbench(page: Page, opts: { timeout?: number; expectFolder?: boolean } = {}): Promise<void> {
  const timeout = opts.timeout ?? 60_000;
  const t0 = Date.now();
  await waitOrExplain('.monaco-workbench to appear', page.locator(sel.workbench).first().waitFor({ state: 'visible', timeout }));
  await waitOrExplain('the status bar', page.locator(sel.statusbar).first().waitFor({ state: 'visible', timeout: Math.max(1000, timeout - (Date.now() - t0)) }));
  if (opts.expectFolder ?? true) {
    await waitOrExplain(
      'the explorer to list the workspace folder (is the folder empty, or did the remote connection fail?)',
      page.locator(sel.explorerRow).first().waitFor({ state: 'visible', timeout: Math.max(1000, timeout - (Date.now() - t0)) }),
    );
  }
  debug(`workbench ready in ${Date.now() - t0} ms`);
}

async function closeQuickInputIfOpen(page: Page): Promise<void> {
  if (await page.locator(sel.quickInput).isVisible()) {
    await page.keyboard.press('Escape');
    await page.locator(sel.quickInput).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  }
}

/** Open the quick input with `key` and set its value (replacing any prefix it came with). */
async function openQuickInput(page: Page, key: string, value: string, timeout: number): Promise<Locator> {
  await closeQuickInputIfOpen(page);
  await page.keyboard.press(key);
  const input = page.locator(sel.quickInputBox);
  await waitOrExplain(`the quick input (${key}) to open`, input.waitFor({ state: 'visible', timeout }));
  // fill() fires a real input event; typing right after the widget opens can race its setup.
  await input.fill(value);
  return input;
}

async function quickInputRows(page: Page): Promise<{ ariaLabel: string; label: string; description: string }[]> {
  return page.locator(sel.quickInputRow).evaluateAll((els) =>
    els.map((e) => ({
      ariaLabel: e.getAttribute('aria-label') ?? '',
      label: (e.querySelector('.label-name') as HTMLElement | null)?.innerText?.trim() ?? '',
      description: (e.querySelector('.label-description') as HTMLElement | null)?.innerText?.trim() ?? '',
    })),
  );
}

/** The active editor's Monaco root (the focused group's text editor). */
export function activeEditor(page: Page): Locator {
  return page.locator(sel.activeEditor).first();
}

/** Give keyboard focus to the active text editor without moving its cursor. */
export async function focusEditor(page: Page, timeout = 10_000): Promise<void> {
  const ed = activeEditor(page);
  await waitOrExplain('an active text editor', ed.waitFor({ state: 'visible', timeout }));
  // Monaco's hidden input is a <textarea class="inputarea"> or, with EditContext, a .native-edit-context div.
  const input = ed.locator('textarea.inputarea, .native-edit-context').first();
  await input.focus();
  await poll('the editor to have focus', () => ed.evaluate((e) => e.classList.contains('focused') || e.contains(document.activeElement)), timeout);
}

/**
 * Open a workspace file via Quick Open (Ctrl+P) and wait until it is the active editor.
 * `relativePath` is relative to the workspace folder, with forward slashes.
 */
export async function openFile(page: Page, relativePath: string, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 20_000;
  const rel = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  const name = posix.basename(rel);
  const dir = posix.dirname(rel);
  const t0 = Date.now();
  await openQuickInput(page, 'Control+P', rel, timeout);
  // File search is asynchronous (ripgrep); the first query after start can take a second or two.
  let seen: string[] = [];
  const index = await poll(
    `Quick Open to list "${rel}" (is the file in the workspace?)`,
    async () => {
      const rows = await quickInputRows(page);
      seen = rows.map((r) => r.ariaLabel);
      const i = rows.findIndex((r) => r.label === name && (dir === '.' || r.description.replace(/\\/g, '/').endsWith(dir)));
      const j = i >= 0 ? i : rows.findIndex((r) => r.label === name);
      return j >= 0 ? { i: j } : undefined;
    },
    timeout,
  ).catch(async (err) => {
    const png = await screenshot(page, `openFile-failed-${name}`).catch(() => '(no screenshot)');
    await closeQuickInputIfOpen(page);
    throw new Error(`${(err as Error).message}\n  rows seen: ${JSON.stringify(seen)}\n  screenshot: ${png}`);
  });
  await page.locator(sel.quickInputRow).nth(index.i).click();
  await waitOrExplain(
    `"${rel}" to become the active editor tab`,
    page.locator(`${sel.activeTab}[data-resource-name="${name.replace(/"/g, '\\"')}"]`).waitFor({ state: 'visible', timeout }),
  );
  await waitOrExplain(`the text editor for "${rel}"`, activeEditor(page).locator('.view-lines').waitFor({ state: 'visible', timeout }));
  debug(`opened ${rel} in ${Date.now() - t0} ms`);
}

/**
 * Run a command by its palette title (e.g. "View: Toggle Problems") via F1.
 * Picks the row whose label equals `title` exactly (case-insensitive); falls back to the first
 * row whose label contains it.
 */
export async function runCommand(page: Page, title: string, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 15_000;
  await openQuickInput(page, 'F1', `>${title}`, timeout);
  const want = title.toLowerCase();
  let seen: string[] = [];
  const index = await poll(
    `command "${title}" in the command palette`,
    async () => {
      const rows = await quickInputRows(page);
      seen = rows.map((r) => r.label);
      let i = rows.findIndex((r) => r.label.toLowerCase() === want);
      if (i < 0) i = rows.findIndex((r) => r.label.toLowerCase().includes(want));
      return i >= 0 ? { i } : undefined;
    },
    timeout,
  ).catch(async (err) => {
    const png = await screenshot(page, 'runCommand-failed').catch(() => '(no screenshot)');
    await closeQuickInputIfOpen(page);
    throw new Error(`${(err as Error).message}\n  rows seen: ${JSON.stringify(seen.slice(0, 10))}\n  screenshot: ${png}`);
  });
  await page.locator(sel.quickInputRow).nth(index.i).click();
  await page.locator(sel.quickInput).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  debug(`ran command "${title}"`);
}

export interface ProblemRow {
  /** 1 = file row ("2 problems in file a.charter of folder src"), 2 = a marker row. */
  level: number;
  severity?: 'error' | 'warning' | 'info' | 'hint';
  /** e.g. "Error: Cannot find name 'x'. at line 6 and character 13. generated by ts" */
  ariaLabel: string;
  /** visible text, e.g. "Cannot find name 'x'. / ts / 2304 / [Ln 6, Col 13]" (lines joined with " / ") */
  text: string;
}

/** Show the Problems panel (Ctrl+Shift+M / "Problems: Focus on Problems View") and wait for it. */
export async function openProblemsPanel(page: Page, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 15_000;
  const panel = page.locator(sel.markersPanel).first();
  if (await panel.isVisible()) return;
  await runCommand(page, 'Problems: Focus on Problems View', { timeout });
  await waitOrExplain('the Problems panel (.markers-panel)', panel.waitFor({ state: 'visible', timeout }));
}

/** Read the (rendered, i.e. visible) rows of the Problems panel. Opens the panel if needed. */
export async function readProblems(page: Page): Promise<ProblemRow[]> {
  await openProblemsPanel(page);
  return page.locator(sel.markersRow).evaluateAll((els) =>
    els.map((e) => {
      const ariaLabel = e.getAttribute('aria-label') ?? '';
      const m = /^(Error|Warning|Info|Hint)\b/i.exec(ariaLabel);
      return {
        level: Number(e.getAttribute('aria-level') ?? '0'),
        severity: m ? (m[1].toLowerCase() as ProblemRow['severity']) : undefined,
        ariaLabel,
        text: (e as HTMLElement).innerText.split('\n').map((s) => s.trim()).filter(Boolean).join(' / '),
      };
    }),
  );
}

/** Poll the Problems panel until `predicate(markerRows)` holds (diagnostics arrive asynchronously). */
export async function waitForProblems(page: Page, predicate: (rows: ProblemRow[]) => boolean, opts: { timeout?: number; what?: string } = {}): Promise<ProblemRow[]> {
  const timeout = opts.timeout ?? 20_000;
  let last: ProblemRow[] = [];
  try {
    return await poll(
      opts.what ?? 'the Problems panel to match',
      async () => {
        last = (await readProblems(page)).filter((r) => r.level >= 2);
        return predicate(last) ? last : undefined;
      },
      timeout,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n  last rows:\n${last.map((r) => `    ${r.ariaLabel}`).join('\n') || '    (none)'}`);
  }
}

/** Move the cursor of the active editor to 1-based line/column (Ctrl+G) and verify via the status bar. */
export async function gotoPosition(page: Page, line: number, column = 1, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 10_000;
  await focusEditor(page, timeout);
  await openQuickInput(page, 'Control+G', `:${line}:${column}`, timeout);
  // The go-to-line picker previews as you type; wait for its row before accepting.
  await poll(`the go-to-line picker to accept ${line}:${column}`, async () => (await page.locator(sel.quickInputRow).count()) > 0, timeout);
  await page.keyboard.press('Enter');
  await page.locator(sel.quickInput).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  await poll(
    `the cursor to be at Ln ${line}, Col ${column} (line/column past the end of the file?)`,
    async () => {
      const text = await page.locator('.part.statusbar').innerText();
      return new RegExp(`Ln ${line}, Col ${column}\\b`).test(text);
    },
    timeout,
  );
}

/** Text of the active editor's rendered lines (only lines in the viewport are rendered). */
export async function getEditorText(page: Page): Promise<string> {
  const lines = await activeEditor(page)
    .locator('.view-lines .view-line')
    .evaluateAll((els) =>
      els
        .map((e) => ({ top: parseFloat((e as HTMLElement).style.top || '0'), text: (e as HTMLElement).innerText }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/** Poll the active editor's text until it matches `expected` (a RegExp, or a predicate). */
export async function waitForEditorText(page: Page, expected: RegExp | ((text: string) => boolean), opts: { timeout?: number } = {}): Promise<string> {
  const test = typeof expected === 'function' ? expected : (t: string) => expected.test(t);
  let last = '';
  try {
    return await poll('the editor text to match', async () => {
      last = await getEditorText(page);
      return test(last) ? last : undefined;
    }, opts.timeout ?? 10_000);
  } catch (err) {
    throw new Error(`${(err as Error).message} ${expected instanceof RegExp ? expected : ''}\n  last text:\n${last}`);
  }
}

export interface TypeOptions {
  /** Move the cursor here first (1-based). */
  at?: { line: number; column?: number };
  /**
   * 'keys' (default): real key presses, like a person: auto-closing brackets, auto-indent on
   * Enter and suggestions all apply, so multi-line code does NOT come out verbatim.
   * 'paste': a paste event with the text: inserted verbatim (no auto-close, no re-indent).
   */
  mode?: 'keys' | 'paste';
  /** Delay between key presses in ms (keys mode). */
  delay?: number;
}

/** Paste `text` into the focused editor via a synthetic ClipboardEvent (no system clipboard needed). */
async function pasteIntoFocusedEditor(page: Page, text: string): Promise<void> {
  const ok = await page.evaluate((t) => {
    const target = document.activeElement;
    if (!target) return false;
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    return true;
  }, text);
  if (!ok) throw new Error('paste: no focused element');
}

/** Type into the active editor (optionally at a 1-based position). */
export async function typeInEditor(page: Page, text: string, opts: TypeOptions = {}): Promise<void> {
  if (opts.at) await gotoPosition(page, opts.at.line, opts.at.column ?? 1);
  else await focusEditor(page);
  if (opts.mode === 'paste') await pasteIntoFocusedEditor(page, text);
  else await page.keyboard.type(text, { delay: opts.delay ?? 10 });
}

/** Replace the whole content of the active editor, verbatim (select all + paste). */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+A');
  if (text === '') await page.keyboard.press('Delete');
  else await pasteIntoFocusedEditor(page, text);
  const want = text.replace(/\n$/, '');
  await waitForEditorText(page, (t) => t.replace(/\n$/, '') === want || text.split('\n').length > 40, { timeout: 5000 }).catch(() => {});
}

/**
 * Show the hover at a 1-based position (cursor move + "Show or Focus Hover", Ctrl+K Ctrl+I,
 * so no pixel maths) and return its text once it has loaded.
 */
export async function hoverAt(page: Page, line: number, column: number, opts: { timeout?: number } = {}): Promise<string> {
  const timeout = opts.timeout ?? 15_000;
  await gotoPosition(page, line, column, { timeout });
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator(sel.hover).last();
  await waitOrExplain(`a hover (.monaco-hover) at ${line}:${column}`, hover.waitFor({ state: 'visible', timeout }));
  return hoverText(hover, `at ${line}:${column}`, timeout);
}

/** Wait for CSS animations (fade-in / slide-in) under `loc` to finish, so screenshots are crisp. */
export async function settleAnimations(loc: Locator): Promise<void> {
  await loc
    .evaluate((e) => Promise.race([Promise.all(e.getAnimations({ subtree: true }).map((a) => a.finished)), new Promise((r) => setTimeout(r, 2000))]))
    .catch(() => {});
}

async function hoverText(hover: Locator, what: string, timeout: number): Promise<string> {
  const text = await poll(`the hover ${what} to finish loading`, async () => {
    const t = (await hover.innerText()).trim();
    return t && !/^Loading\.\.\.$/.test(t) ? t.replace(/\u00a0/g, ' ') : undefined;
  }, timeout);
  await settleAnimations(hover);
  return text;
}

/** Hover the mouse over the first rendered occurrence of `text` in the active editor. */
export async function hoverOverText(page: Page, text: string, opts: { timeout?: number } = {}): Promise<string> {
  const timeout = opts.timeout ?? 15_000;
  const span = activeEditor(page).locator('.view-line span span', { hasText: text }).first();
  await waitOrExplain(`"${text}" to be rendered in the editor`, span.waitFor({ state: 'visible', timeout }));
  await span.hover();
  const hover = page.locator(sel.hover).last();
  await waitOrExplain(`a hover over "${text}"`, hover.waitFor({ state: 'visible', timeout }));
  return hoverText(hover, `over "${text}"`, timeout);
}

export interface SuggestionRow {
  /** The completion label, e.g. "greeting". */
  label: string;
  /** aria-label, e.g. "greeting, Variable" (label + kind). */
  ariaLabel: string;
  /** Full visible row text (label, detail) joined with " / ". */
  text: string;
  focused: boolean;
}

/**
 * Trigger completion (Ctrl+Space) in the active editor, optionally at a position, and return the
 * rendered rows of the suggest widget (the list is virtual: ~12 visible rows). Returns [] if the
 * widget says "No suggestions.". The widget stays open; press Escape to close it.
 */
export async function triggerCompletion(page: Page, opts: { at?: { line: number; column?: number }; timeout?: number } = {}): Promise<SuggestionRow[]> {
  const timeout = opts.timeout ?? 15_000;
  if (opts.at) await gotoPosition(page, opts.at.line, opts.at.column ?? 1, { timeout });
  else await focusEditor(page, timeout);
  await page.keyboard.press('Control+Space');
  return readSuggestions(page, { timeout });
}

/** Read the currently visible suggest widget rows (waits for the widget to finish loading). */
export async function readSuggestions(page: Page, opts: { timeout?: number } = {}): Promise<SuggestionRow[]> {
  const timeout = opts.timeout ?? 15_000;
  return poll(
    'the suggest widget (.suggest-widget.visible) to show suggestions',
    async () => {
      const widget = page.locator(sel.suggestWidget).first();
      if (!(await widget.isVisible())) return undefined;
      const message = await widget.locator('.message').first().innerText().catch(() => '');
      const rows = await page.locator(sel.suggestRow).evaluateAll((els) =>
        els.map((e) => ({
          label: ((e.querySelector('.label-name') as HTMLElement | null)?.innerText ?? '').trim(),
          ariaLabel: e.getAttribute('aria-label') ?? '',
          text: (e as HTMLElement).innerText.split('\n').map((s) => s.trim()).filter(Boolean).join(' / '),
          focused: e.classList.contains('focused'),
        })),
      );
      if (rows.length) return rows;
      if (/No suggestions/i.test(message)) return [] as SuggestionRow[]; // [] is truthy: poll stops
      return undefined;
    },
    timeout,
  );
}

/** Texts of visible notification toasts (bottom right). */
export async function readNotifications(page: Page): Promise<string[]> {
  return page.locator(sel.notificationToast).evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\n+/g, ' / ').trim()));
}

/** Wait for a notification toast whose text matches `re`; returns its text. */
export async function waitForNotification(page: Page, re: RegExp, opts: { timeout?: number } = {}): Promise<string> {
  let last: string[] = [];
  try {
    return await poll(`a notification matching ${re}`, async () => {
      last = await readNotifications(page);
      return last.find((t) => re.test(t));
    }, opts.timeout ?? 15_000).then(async (t) => {
      await settleAnimations(page.locator('.notifications-toasts'));
      return t;
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n  visible notifications: ${JSON.stringify(last)}`);
  }
}

/** Save a PNG to test-results/e2e/<name>.png and return its path. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  debug(`screenshot ${file}`);
  return file;
}
