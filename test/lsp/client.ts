// A real LSP client for the protocol tests: starts dist/server.cjs --stdio
// (or any command) and speaks LSP to it through vscode-languageserver-protocol.

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';

export const repo = path.resolve(import.meta.dirname, '../..');
export const serverBundle = path.join(repo, 'dist', 'server.cjs');

export interface StartOptions {
  /** Workspace folder (absolute). */
  root?: string;
  /** Answers to workspace/configuration for section "charter". */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  /** Command to run instead of `node dist/server.cjs --stdio`. */
  command?: string[];
  env?: Record<string, string>;
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
  /** When it arrived (performance.now()). */
  at: number;
}

const CAPS: ClientCapabilities = {
  workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: false }, workspaceFolders: true, codeLens: { refreshSupport: true } },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    completion: { completionItem: { snippetSupport: true } },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    rename: { prepareSupport: true },
    semanticTokens: { requests: { full: true, range: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
  },
};

export class LspClient {
  readonly diagnostics = new Map<string, PublishedDiagnostics>();
  readonly history: PublishedDiagnostics[] = [];
  readonly statuses: Record<string, unknown>[] = [];
  readonly logs: string[] = [];
  readonly messages: { type: number; message: string }[] = [];
  /** workspace/.../refresh requests the server sent. */
  readonly refreshes: string[] = [];
  /** The server's answer to initialize (its capabilities). */
  initializeResult: any;
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  stderr = '';

  constructor(
    readonly connection: ProtocolConnection,
    readonly proc: ChildProcess,
    public settings: Record<string, unknown>,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      const entry = { ...p, at: performance.now() };
      this.diagnostics.set(p.uri, entry);
      this.history.push(entry);
      this.wake();
    });
    connection.onNotification('charter/status', (s: Record<string, unknown>) => {
      this.statuses.push(s);
      this.wake();
    });
    connection.onNotification('window/logMessage', (m: { message: string }) => {
      this.logs.push(m.message);
      this.wake();
    });
    connection.onNotification('window/showMessage', (m: { type: number; message: string }) => {
      this.messages.push(m);
      this.wake();
    });
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'charter' ? this.settings : null)));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    for (const m of ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh', 'workspace/semanticTokens/refresh']) {
      connection.onRequest(m, () => {
        this.refreshes.push(m);
        this.wake();
        return null;
      });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `check` returns a truthy value (checked after every notification). */
  async until<T>(what: string, check: () => T | undefined | false | null, timeout = 20_000): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const v = check();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}\nserver stderr:\n${this.stderr.slice(-2000)}\nlogs:\n${this.logs.slice(-10).join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the analysis to finish (a `ready` status after the given count of statuses). */
  ready(after = 0, timeout = 30_000): Promise<Record<string, unknown>> {
    return this.until('the analysis to be ready', () => this.statuses.slice(after).find((s) => s.state === 'ready'), timeout);
  }

  diagnosticsFor(uri: string): Diagnostic[] {
    return this.diagnostics.get(uri)?.diagnostics ?? [];
  }

  open(uri: string, text: string, version = 1): void {
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'charter', version, text } });
  }

  /** Replaces [start, end) (line/character) with text; returns the new version. */
  edit(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  replaceAll(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R = any>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      void this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 3000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

export async function startServer(opts: StartOptions = {}): Promise<LspClient> {
  const cmd = opts.command ?? [process.execPath, serverBundle, '--stdio'];
  const proc = spawn(cmd[0], cmd.slice(1), { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const client = new LspClient(connection, proc, opts.settings ?? {});
  proc.stderr!.on('data', (d: Buffer) => (client.stderr += d.toString()));
  connection.listen();
  const root = opts.root;
  client.initializeResult = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: root ? pathToFileURL(root).href : null,
    workspaceFolders: root ? [{ uri: pathToFileURL(root).href, name: path.basename(root) }] : null,
    capabilities: opts.capabilities ?? CAPS,
    initializationOptions: opts.initializationOptions ?? { today: '2026-11-23' },
  });
  await connection.sendNotification('initialized', {});
  return client;
}

/** A private copy of a folder (tests edit files on disk). */
export function copyFolder(src: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-lsp-'));
  cpSync(src, dir, { recursive: true });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}
