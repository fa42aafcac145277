// The language server's LSP thread: the connection (IPC for VS Code, stdio
// for Neovim, Emacs, Helix...), document sync, file watching, settings, and
// forwarding: every request that needs the model goes to the analysis worker
// (./worker.ts); completion is answered here from the last analysis' names.

import {
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { Completion } from './completion';
import { features } from './features/index';
import { legend } from './features/semantic-tokens';
import type { FromWorker, ToWorker } from './messages';
import { canonicalUri, uriToPath } from './project';
import { CharterMethods, type CharterSettings, type ContextValues, type SetContextParams } from './protocol';
import { FolderWatcher } from './watch';
import { WorkerHost } from './worker-host';

export interface ServerOptions {
  /** The bundle that runs the analysis worker (this same file), and the argv that makes it one. */
  workerScript: string;
  workerArgv?: string[];
  /** For tests: an existing connection instead of one from the command line (--stdio, --node-ipc). */
  connection?: Connection;
}

export function startServer(opts: ServerOptions): Connection {
  const connection = opts.connection ?? createConnection(ProposedFeatures.all);
  const docs = new Map<string, TextDocument>();
  /** The client's spelling of each open document's URI, by canonical URI. */
  const clientUris = new Map<string, string>();
  let caps: ClientCapabilities = {};
  let roots: string[] = [];
  let settings: CharterSettings = {};
  let initOptions: { settings?: CharterSettings; vscode?: boolean; today?: string } = {};
  let watcher: FolderWatcher | undefined;
  let externalDirs: string[] = [];
  let clientWatches = false;
  /** The simulation context the user chose (charter/setContext); null: the workspace default. */
  let chosenContext: ContextValues | null = null;

  const log = (level: 'info' | 'warn' | 'error', message: string) => {
    if (level === 'error') connection.console.error(message);
    else if (level === 'warn') connection.console.warn(message);
    else connection.console.log(message);
  };

  // Never die on a stray exception: log it, keep serving.
  process.on('uncaughtException', (e) => log('error', `uncaught: ${e?.stack ?? e}`));
  process.on('unhandledRejection', (e) => log('error', `unhandled rejection: ${(e as Error)?.stack ?? e}`));

  const completion = new Completion({
    snippets: () => !!caps.textDocument?.completion?.completionItem?.snippetSupport,
    retrigger: () => !!initOptions.vscode,
  });

  const initMessage = (): ToWorker => ({ t: 'init', roots, settings, today: initOptions.today, vscode: !!initOptions.vscode });

  const host = new WorkerHost({
    script: opts.workerScript,
    argv: opts.workerArgv,
    log,
    watchdogMs: Number(process.env.CHARTER_WATCHDOG_MS) || undefined,
    replay: () => [initMessage(), ...(chosenContext ? [{ t: 'context', context: chosenContext } as ToWorker] : []), ...[...docs.values()].map((d): ToWorker => ({ t: 'open', uri: d.uri, text: d.getText(), version: d.version }))],
    onMessage: (m: FromWorker) => {
      switch (m.t) {
        case 'diags':
          for (const it of m.items) void connection.sendDiagnostics({ uri: clientUris.get(it.uri) ?? it.uri, version: it.version, diagnostics: it.diagnostics });
          break;
        case 'index':
          try {
            completion.index = JSON.parse(m.json);
          } catch (e) {
            log('error', `bad completion index: ${(e as Error).message}`);
          }
          break;
        case 'status':
          void connection.sendNotification(CharterMethods.status, m.status);
          if (m.status.state === 'ready') refreshSoon();
          break;
        case 'log':
          log(m.level, m.message);
          break;
        case 'show':
          // A notification (window/showMessage), not a request: every client supports it.
          void connection.sendNotification('window/showMessage', { type: m.level === 'error' ? 1 : m.level === 'warning' ? 2 : 3, message: m.message });
          break;
        case 'watch':
          externalDirs = m.dirs;
          updateWatcher();
          break;
      }
    },
  });

  // Lenses, hints and tokens of *other* open files depend on what changed
  // elsewhere (a policy edit changes every field's access counts): ask the
  // client to refresh them once the analyses settle.
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      const ws = caps.workspace;
      if (ws?.codeLens?.refreshSupport) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
      if (ws?.inlayHint?.refreshSupport) void connection.sendRequest('workspace/inlayHint/refresh').catch(() => undefined);
      if (ws?.semanticTokens?.refreshSupport) void connection.sendRequest('workspace/semanticTokens/refresh').catch(() => undefined);
    }, 500);
  };

  const updateWatcher = () => {
    const dirs = clientWatches ? externalDirs : [...roots, ...externalDirs];
    if (!dirs.length) return watcher?.set([]);
    watcher ??= new FolderWatcher((events) => host.send({ t: 'files', events }), (msg) => log('warn', msg));
    watcher.set(dirs);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    caps = params.capabilities ?? {};
    initOptions = (params.initializationOptions as typeof initOptions) ?? {};
    settings = initOptions.settings ?? {};
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : params.rootPath ? [pathToFileURL(params.rootPath).href] : []);
    roots = folders.map((u) => uriToPath(canonicalUri(u))).filter((p): p is string => !!p);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        // ' ': after `owner `, `to `, `member of `... (the server answers only there: completion.ts).
        completionProvider: { triggerCharacters: ['.', '"', ' '], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        semanticTokensProvider: { legend, full: true, range: true },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'charter', version: '0.1.0' },
    };
  });

  const fetchSettings = async (): Promise<CharterSettings> => {
    if (!caps.workspace?.configuration) return settings;
    try {
      const s = (await connection.workspace.getConfiguration({ section: 'charter' })) as CharterSettings | null;
      return s ?? {};
    } catch (e) {
      log('warn', `cannot read settings: ${(e as Error).message}`);
      return settings;
    }
  };

  connection.onInitialized(async () => {
    clientWatches = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    host.start();
    const fetched = await fetchSettings();
    if (JSON.stringify(fetched) !== JSON.stringify(settings)) {
      settings = fetched;
      host.send({ t: 'settings', settings });
    }
    if (clientWatches) {
      await connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.charter' }, { globPattern: '**/charter.json' }] })
        .catch((e) => log('warn', `cannot register file watchers: ${e.message}`));
    }
    updateWatcher();
    if (caps.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((ev) => {
        const removed = new Set(ev.removed.map((f) => uriToPath(canonicalUri(f.uri))));
        roots = [...roots.filter((r) => !removed.has(r)), ...ev.added.map((f) => uriToPath(canonicalUri(f.uri))).filter((p): p is string => !!p)];
        host.send({ t: 'roots', roots });
        updateWatcher();
      });
    }
    log('info', `Charter language server started (${roots.length ? roots.join(', ') : 'no workspace folder'})`);
  });

  connection.onDidChangeConfiguration(async (p) => {
    const pushed = (p?.settings as { charter?: CharterSettings } | undefined)?.charter;
    settings = caps.workspace?.configuration ? await fetchSettings() : (pushed ?? settings);
    host.send({ t: 'settings', settings });
  });

  connection.onNotification(CharterMethods.setContext, (p: SetContextParams) => {
    const c = p?.context;
    chosenContext = c && typeof c === 'object' && !Array.isArray(c) ? c : null;
    host.send({ t: 'context', context: chosenContext });
  });

  connection.onDidOpenTextDocument((p) => {
    const d = p.textDocument;
    const doc = TextDocument.create(d.uri, d.languageId, d.version, d.text);
    docs.set(d.uri, doc);
    clientUris.set(canonicalUri(d.uri), d.uri);
    host.send({ t: 'open', uri: d.uri, text: d.text, version: d.version });
  });

  connection.onDidChangeTextDocument((p) => {
    const doc = docs.get(p.textDocument.uri);
    if (!doc) return;
    docs.set(p.textDocument.uri, TextDocument.update(doc, p.contentChanges, p.textDocument.version));
    host.send({ t: 'change', uri: p.textDocument.uri, version: p.textDocument.version, changes: p.contentChanges });
  });

  connection.onDidCloseTextDocument((p) => {
    docs.delete(p.textDocument.uri);
    clientUris.delete(canonicalUri(p.textDocument.uri));
    host.send({ t: 'close', uri: p.textDocument.uri });
  });

  connection.onDidChangeWatchedFiles((p) => {
    const type = { 1: 'created', 2: 'changed', 3: 'deleted' } as const;
    host.send({ t: 'files', events: p.changes.map((c) => ({ uri: c.uri, type: type[c.type as 1 | 2 | 3] ?? 'changed' })) });
  });

  connection.onCompletion((params) => {
    try {
      return completion.run(docs.get(params?.textDocument?.uri), params);
    } catch (e) {
      log('error', `completion failed: ${(e as Error)?.stack ?? e}`);
      return new ResponseError(-32603, `completion failed: ${(e as Error)?.message ?? e}`);
    }
  });

  for (const f of features) {
    connection.onRequest(f.method, async (params: unknown, token) => {
      if (token.isCancellationRequested) return new ResponseError(-32800, 'cancelled');
      try {
        return await host.request(f.method, params, token);
      } catch (e) {
        if (e instanceof ResponseError) return e;
        log('error', `${f.method} failed: ${(e as Error)?.stack ?? e}`);
        return new ResponseError(-32603, `${f.method} failed: ${(e as Error)?.message ?? e}`);
      }
    });
  }

  connection.onShutdown(async () => {
    watcher?.close();
    await host.stop();
  });

  connection.listen();
  return connection;
}
