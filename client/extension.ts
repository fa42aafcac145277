// The VS Code extension: starts the language server (dist/server.cjs over
// IPC) and adds what LSP has no standard for: Who Can See This Field?,
// Simulate As..., the Test Explorer, Restart Server, the status bar item and
// the Charter output channel, and the graph previewer (graph-panel.ts).

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CharterMethods, type StatusParams, type WhoCanSeeParams, type WhoCanSeeResult } from '../server/protocol';
import { Simulator } from './simulate';
import { StatusItem } from './status';
import { TestExplorer } from './test-explorer';
import { WhoCanSeeView } from './who-can-see';
import { GraphPreview } from './graph-panel';
import { registerExportSql } from './export-sql';
import { registerImportOdcs } from './import-odcs';
import { registerCompare, type CompareWithBase } from './compare';

let client: LanguageClient | undefined;

export interface CharterApi {
  /** The running language client (tests use it to send requests). */
  client(): LanguageClient | undefined;
  whoCanSee: WhoCanSeeView;
  simulator: Simulator;
  tests: TestExplorer;
  graph: GraphPreview;
  compare: CompareWithBase;
}

export async function activate(context: vscode.ExtensionContext): Promise<CharterApi> {
  const output = vscode.window.createOutputChannel('Charter');
  const status = new StatusItem();
  const whoCanSee = new WhoCanSeeView();
  const simulator = new Simulator(() => client, (label) => status.setSimulation(label));
  const tests = new TestExplorer(() => client);
  const graph = new GraphPreview(context, () => client, (line) => output.appendLine(line));
  context.subscriptions.push(output, status, whoCanSee, simulator, tests, graph);
  registerExportSql(context, () => client, (line) => output.appendLine(line));
  const compare = registerCompare(context, () => client);

  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
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
  };

  const startClient = async () => {
    client = new LanguageClient('charter', 'Charter', serverOptions, clientOptions);
    client.onNotification(CharterMethods.status, (s: StatusParams) => {
      status.set(s);
      if (s.state === 'ready') {
        tests.discoverSoon();
        simulator.refreshSoon();
        graph.refresh();
      }
    });
    client.onDidChangeState((e) => {
      if (e.newState === 1 /* Stopped */) status.stopped('Charter: the language server stopped (Charter: Restart Server)');
    });
    await client.start();
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
  return { client: () => client, whoCanSee, simulator, tests, graph, compare };
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
