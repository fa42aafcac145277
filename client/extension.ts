// The VS Code extension: starts the language server (dist/cli.cjs lsp over
// IPC) and adds what LSP has no standard for: Who Can See This Field?,
// Simulate As..., the Test Explorer, Restart Server, the status bar item and
// the Charter output channel, and the graph previewer (graph-panel.ts).

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CharterMethods, type StatusParams, type WhoCanSeeParams, type WhoCanSeeResult } from '../server/protocol';
import { SimulationContext } from './context';
import { Simulator } from './simulate';
import { StatusItem } from './status';
import { TestExplorer } from './test-explorer';
import { WhoCanSeeView } from './who-can-see';
import { GraphPreview } from './graph-panel';
import { registerExportSql } from './export-sql';
import { registerImportOdcs } from './import-odcs';
import { registerCompare, type CompareWithBase } from './compare';
import { CharterTasks } from './tasks';
import { openExample, openGraphOnStart } from './walkthrough';

let client: LanguageClient | undefined;

export interface CharterApi {
  /** The running language client (tests use it to send requests). */
  client(): LanguageClient | undefined;
  whoCanSee: WhoCanSeeView;
  simulator: Simulator;
  /** The one simulation context (status bar). */
  simulationContext: SimulationContext;
  tests: TestExplorer;
  graph: GraphPreview;
  compare: CompareWithBase;
}

export async function activate(context: vscode.ExtensionContext): Promise<CharterApi> {
  const output = vscode.window.createOutputChannel('Charter');
  const status = new StatusItem();
  const whoCanSee = new WhoCanSeeView();
  const simulationContext = new SimulationContext(() => client);
  const simulator = new Simulator(() => client, simulationContext);
  const tests = new TestExplorer(() => client);
  const graph = new GraphPreview(context, () => client, (line) => output.appendLine(line));
  context.subscriptions.push(output, status, whoCanSee, simulationContext, simulator, tests, graph);
  registerExportSql(context, () => client, (line) => output.appendLine(line));
  const compare = registerCompare(context, () => client);
  // Who Can See answers for the current context: ask again when it changes.
  const refreshWhoCanSee = async () => {
    const shown = whoCanSee.current();
    if (!client || !shown) return;
    try {
      whoCanSee.show(await client.sendRequest<WhoCanSeeResult>(CharterMethods.whoCanSee, { field: shown.field }));
    } catch {
      /* the field is gone; keep the last answer */
    }
  };
  context.subscriptions.push(
    simulationContext.onDidChange(() => {
      void refreshWhoCanSee();
      graph.refresh();
    }),
  );

  // The CLI bundle is the server too (`charter lsp --node-ipc`), and runs the tasks: one bundle in the VSIX.
  const serverModule = context.asAbsolutePath('dist/cli.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, args: ['lsp'], transport: TransportKind.ipc },
    debug: { module: serverModule, args: ['lsp'], transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'charter' },
      { scheme: 'untitled', language: 'charter' },
    ],
    outputChannel: output,
    initializationOptions: { vscode: true, settings: currentSettings() },
    // The server pulls `charter.*` with workspace/configuration when notified.
    synchronize: { configurationSection: 'charter' },
    middleware: {
      // Hovering a Simulate As mark (after the end of the line) shows why, first and alone.
      provideHover: (document, position, token, next) => {
        const mark = simulator.markAt(document.uri.toString(), position.line);
        if (mark && position.character >= document.lineAt(position.line).range.end.character) return new vscode.Hover(mark.markdown);
        return next(document, position, token);
      },
    },
  };

  const startClient = async () => {
    client = new LanguageClient('charter', 'Charter', serverOptions, clientOptions);
    client.onNotification(CharterMethods.status, (s: StatusParams) => {
      status.set(s);
      if (s.state === 'ready') {
        tests.discoverSoon();
        simulator.refreshSoon();
        graph.refresh();
        void simulationContext.refresh();
      }
    });
    client.onDidChangeState((e) => {
      if (e.newState === 1 /* Stopped */) status.stopped('Charter: the language server stopped (Charter: Restart Server)');
    });
    await client.start();
    await simulationContext.onServerStarted();
  };

  const cmd = (id: string, f: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, f));

  cmd('charter.whoCanSee', async (uri?: string, position?: { line: number; character: number }, field?: string) => {
    if (!client) return void vscode.window.showWarningMessage('Charter: the language server is not running.');
    let params: WhoCanSeeParams;
    if (typeof uri === 'string' && position) params = { textDocument: { uri }, position };
    else if (typeof field === 'string') params = { field };
    else {
      const e = vscode.window.activeTextEditor;
      if (!e || e.document.languageId !== 'charter') return void vscode.window.showInformationMessage('Charter: put the cursor on a field in a .charter file.');
      params = { textDocument: { uri: e.document.uri.toString() }, position: e.selection.active };
    }
    try {
      const result = await client.sendRequest<WhoCanSeeResult>(CharterMethods.whoCanSee, params);
      whoCanSee.show(result);
      await vscode.commands.executeCommand('charter.whoCanSee.focus');
    } catch (e) {
      void vscode.window.showWarningMessage(`Charter: ${(e as Error).message}`);
    }
  });
  cmd('charter.simulateAs', async () => {
    try {
      await simulator.pick();
    } catch (e) {
      void vscode.window.showErrorMessage(`Charter: ${(e as Error).message}`);
    }
  });
  cmd('charter.clearSimulation', () => simulator.clear());
  cmd('charter.chooseContext', () => simulationContext.choose());
  cmd('charter.runTest', (name?: string) => (typeof name === 'string' ? tests.runByName(name) : vscode.commands.executeCommand('testing.runAll')));
  cmd('charter.restartServer', async () => {
    output.appendLine('Restarting the Charter language server…');
    if (client) {
      await client.restart();
    } else await startClient();
  });
  cmd('charter.showOutput', () => output.show(true));
  cmd('charter.openGraph', () => graph.open());
  registerImportOdcs(context, output);
  cmd('charter.openExample', () => openExample());
  context.subscriptions.push(new CharterTasks(context));
  const onStart = openGraphOnStart(() => graph.open());
  if (onStart) context.subscriptions.push(onStart);

  await vscode.commands.executeCommand('setContext', 'charter.active', true);
  // Workspace trust: the server reads the workspace and charter.json (whose
  // governance paths may point anywhere), so it starts only in a trusted folder.
  if (vscode.workspace.isTrusted) await startClient();
  else {
    status.restricted();
    output.appendLine('Charter: restricted mode: this folder is not trusted; the language server starts when you trust it.');
    context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void startClient()));
  }
  void tests.discover();
  return { client: () => client, whoCanSee, simulator, simulationContext, tests, graph, compare };
}

function currentSettings() {
  const c = vscode.workspace.getConfiguration('charter');
  return {
    governance: { paths: c.get<string[]>('governance.paths', []) },
    simulation: { context: c.get<Record<string, string | number | boolean>>('simulation.context', {}) },
    codeLens: { enabled: c.get<boolean>('codeLens.enabled', true) },
    inlayHints: { enabled: c.get<boolean>('inlayHints.enabled', true) },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
