// Shared by the browser tests, the screenshot script and the graph benchmark: builds the webview
// bundle if needed, serves it with the page renderHtml() produces (same CSP as in VS Code) from a
// tiny http server on 127.0.0.1, and drives it in headless Chromium.

import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { GraphModel } from '../../grammar/graph-types';
import { analyze, buildGraph } from '../../grammar/index';
import { loadWorkspace } from '../../host/workspace';
import { renderHtml } from '../../client/webview/html';
import type { HostToWebviewMessage, WebviewToHostMessage } from '../../client/webview/protocol';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// ---- graph input ---------------------------------------------------------------------------

/**
 * The graph the tests load: what the real core produces from examples/ (the
 * same code as `charter graph examples` and the server's charter/graph
 * request), in the context mfa=true, device=managed. `extra` adds files (the
 * XSS case adds a doc comment holding HTML). CHARTER_GRAPH_JSON overrides it
 * with a saved graph.
 */
export function loadExampleGraph(extra: { uri: string; text: string }[] = []): GraphModel {
  if (process.env.CHARTER_GRAPH_JSON) return JSON.parse(readFileSync(process.env.CHARTER_GRAPH_JSON, 'utf8')) as GraphModel;
  const ws = loadWorkspace(join(ROOT, 'examples'));
  // The deliberate mistakes stay in: they put violation badges on the graph.
  const a = analyze([...ws.files, ...extra], { today: '2026-11-23' });
  return buildGraph(a.model, {
    context: new Map<string, string | boolean>([['mfa', true], ['device', 'managed']]),
    diagnostics: a.diagnostics,
    fileName: (u) => relative(ws.root, u).split(sep).join('/'),
  });
}

// ---- build -----------------------------------------------------------------------------------

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Bundles the two webview entry points (same options as scripts/build.mjs) when dist/webview is
 * missing or older than the sources. Only the webview is built so unrelated work in progress
 * elsewhere cannot break these tests.
 */
export async function ensureWebviewBuilt(): Promise<void> {
  const out = join(ROOT, 'dist/webview');
  const main = join(out, 'main.js');
  const worker = join(out, 'layout-worker.js');
  const src = Math.max(newestMtime(join(ROOT, 'client/webview')), statSync(join(ROOT, 'grammar/graph-types.ts')).mtimeMs);
  if (existsSync(main) && existsSync(worker) && Math.min(statSync(main).mtimeMs, statSync(worker).mtimeMs) >= src) return;
  const esbuild = await import('esbuild');
  const common = { bundle: true, sourcemap: true, logLevel: 'warning' as const, platform: 'browser' as const, format: 'iife' as const, target: 'es2022', absWorkingDir: ROOT };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: ['client/webview/main.ts'], outfile: 'dist/webview/main.js' }),
    esbuild.build({ ...common, entryPoints: ['client/webview/layout-worker.ts'], outfile: 'dist/webview/layout-worker.js' }),
  ]);
}

// ---- server ----------------------------------------------------------------------------------

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface TestServer {
  origin: string;
  pageUrl: string;
  close(): Promise<void>;
}

/**
 * Serves `/` (the renderHtml page), `/dist/webview/*` and `/media/*` on 127.0.0.1.
 * `brokenWorker` answers 404 for the worker script (to test the fallback layout).
 */
export async function startServer(opts: { brokenWorker?: boolean } = {}): Promise<TestServer> {
  const mounts: [string, string][] = [
    ['/dist/webview/', join(ROOT, 'dist/webview')],
    ['/media/', join(ROOT, 'client/media')],
  ];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      const body = renderHtml({
        cspSource: origin,
        nonce,
        scriptUri: `${origin}/dist/webview/main.js`,
        workerUri: `${origin}/dist/webview/layout-worker.js`,
        styleUri: `${origin}/media/graph.css`,
      });
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    if (opts.brokenWorker && url.pathname.endsWith('/layout-worker.js')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    for (const [prefix, dir] of mounts) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
      if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) break;
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: `${origin}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

// ---- browser ---------------------------------------------------------------------------------

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface PageProblems {
  csp: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
}

export interface RenderedDetail {
  revision: number;
  ms: number;
  layoutMs: number;
  renderMs: number;
  cached: boolean;
  nodes: number;
  edges: number;
  elements: number;
  mode: string;
  engine: string;
  view: string;
  focus: string | null;
}

export interface GraphPage {
  page: Page;
  problems: PageProblems;
  /** Posts a host message and resolves with the next `charter:rendered` detail. */
  post(msg: HostToWebviewMessage, timeoutMs?: number): Promise<RenderedDetail>;
  /** Runs `action` (in Node) and resolves with the next `charter:rendered` detail. */
  nextRender(action: () => Promise<unknown>, timeoutMs?: number): Promise<RenderedDetail>;
  /** Messages the page posted to the host (the shim's outbox). */
  outbox(): Promise<WebviewToHostMessage[]>;
  setTheme(theme: 'light' | 'dark'): Promise<void>;
}

/** Opens the previewer page, recording CSP violations, console errors, page errors and dialogs. */
export async function openGraphPage(browser: Browser, server: TestServer, viewport = { width: 1400, height: 900 }): Promise<GraphPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  // tsx (esbuild keepNames) wraps functions we pass to evaluate() in __name(...) calls.
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  const page = await context.newPage();
  const problems: PageProblems = { csp: [], consoleErrors: [], pageErrors: [], dialogs: [] };
  await page.exposeFunction('__charterReportCsp', (s: string) => problems.csp.push(s));
  await page.addInitScript(() => {
    const report = (e: SecurityPolicyViolationEvent) =>
      (window as unknown as { __charterReportCsp(s: string): void }).__charterReportCsp(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    document.addEventListener('securitypolicyviolation', report, true);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  page.on('dialog', (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  // Workers report CSP violations to their own scope; count those too.
  page.on('worker', (w) => {
    w.on('console', (m) => {
      if (m.type() === 'error') problems.consoleErrors.push(`[worker] ${m.text()}`);
    });
  });
  await page.goto(server.pageUrl);
  await page.waitForFunction(() => (window.__charterOutbox ?? []).some((m) => m.type === 'ready'));

  const waitRendered = (timeoutMs: number) =>
    page.evaluate(
      (t) =>
        new Promise<RenderedDetail>((ok, fail) => {
          const timer = setTimeout(() => fail(new Error('timed out waiting for charter:rendered')), t);
          window.addEventListener(
            'charter:rendered',
            (e) => {
              clearTimeout(timer);
              ok((e as CustomEvent<RenderedDetail>).detail);
            },
            { once: true },
          );
        }),
      timeoutMs,
    );

  return {
    page,
    problems,
    post: async (msg, timeoutMs = 30_000) => {
      const pending = waitRendered(timeoutMs);
      // Make sure the listener is installed before posting.
      await page.evaluate(() => 0);
      await page.evaluate((m) => window.postMessage(m, '*'), msg);
      return pending;
    },
    nextRender: async (action, timeoutMs = 30_000) => {
      const pending = waitRendered(timeoutMs);
      await page.evaluate(() => 0);
      await action();
      return pending;
    },
    outbox: () => page.evaluate(() => window.__charterOutbox ?? []),
    setTheme: (theme) => page.evaluate((vars) => {
      const [cls, values] = vars;
      document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
      document.body.classList.add(cls);
      for (const [k, v] of Object.entries(values)) document.documentElement.style.setProperty(k, v);
    }, [theme === 'dark' ? 'vscode-dark' : 'vscode-light', THEMES[theme]] as [string, Record<string, string>]),
  };
}

declare global {
  interface Window {
    __charterOutbox?: WebviewToHostMessage[];
  }
}

/** A subset of VS Code's "Light Modern" / "Dark Modern" theme variables. */
export const THEMES: Record<'light' | 'dark', Record<string, string>> = {
  light: {
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
    '--vscode-editor-background': '#ffffff',
    '--vscode-foreground': '#3b3b3b',
    '--vscode-editor-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-editorWidget-background': '#f8f8f8',
    '--vscode-editorWidget-border': '#c8c8c8',
    '--vscode-widget-border': '#e5e5e5',
    '--vscode-sideBarSectionHeader-background': '#f0f0f0',
    '--vscode-list-hoverBackground': '#f2f2f2',
    '--vscode-list-activeSelectionBackground': '#e8e8e8',
    '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-purple': '#652d90',
    '--vscode-editorError-foreground': '#e51400',
    '--vscode-editorWarning-foreground': '#bf8803',
    '--vscode-editorInfo-foreground': '#1a85ff',
    '--vscode-input-background': '#ffffff',
    '--vscode-input-foreground': '#3b3b3b',
    '--vscode-input-border': '#cecece',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-button-secondaryHoverBackground': '#cccccc',
    '--vscode-editorHoverWidget-background': '#f8f8f8',
    '--vscode-editorHoverWidget-foreground': '#3b3b3b',
    '--vscode-editorHoverWidget-border': '#c8c8c8',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-sideBar-background': '#f8f8f8',
    '--vscode-editorCodeLens-foreground': '#919191',
    '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)',
    '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)',
  },
  dark: {
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-foreground': '#cccccc',
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-editorWidget-background': '#252526',
    '--vscode-editorWidget-border': '#454545',
    '--vscode-widget-border': '#313131',
    '--vscode-sideBarSectionHeader-background': '#2b2b2b',
    '--vscode-list-hoverBackground': '#2a2d2e',
    '--vscode-list-activeSelectionBackground': '#04395e',
    '--vscode-list-inactiveSelectionBackground': '#37373d',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-editorError-foreground': '#f14c4c',
    '--vscode-editorWarning-foreground': '#cca700',
    '--vscode-editorInfo-foreground': '#3794ff',
    '--vscode-input-background': '#313131',
    '--vscode-input-foreground': '#cccccc',
    '--vscode-input-border': '#3c3c3c',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-button-secondaryHoverBackground': '#3c3c3c',
    '--vscode-editorHoverWidget-background': '#202020',
    '--vscode-editorHoverWidget-foreground': '#cccccc',
    '--vscode-editorHoverWidget-border': '#454545',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-sideBar-background': '#181818',
    '--vscode-editorCodeLens-foreground': '#999999',
    '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)',
    '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)',
  },
};
