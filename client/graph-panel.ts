// The graph previewer panel: `Charter: Open Graph Preview` (also a button in
// the editor title of .charter files). The webview gets graph JSON from the
// server's charter/graph request — never HTML — and builds its own DOM.
// It follows the cursor, updates live while typing (debounced; the webview
// keeps zoom and position), reveals declarations on click, exports SVG/PNG,
// and is restored after a restart (WebviewPanelSerializer).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { randomBytes } from 'node:crypto';
import { renderHtml } from './webview/html';
import type { HostToWebviewMessage, WebviewToHostMessage } from './webview/protocol';
import type { GraphParams, GraphResult } from '../server/features/graph';

export const GRAPH_VIEW_TYPE = 'charter.graph';
const UPDATE_DELAY_MS = 400;
const FOLLOW_DELAY_MS = 150;

export class GraphPreview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private updateTimer: NodeJS.Timeout | undefined;
  private followTimer: NodeJS.Timeout | undefined;
  private lastFocus: string | undefined;
  /** The editor the preview follows (the last active .charter editor). */
  private editor: vscode.TextEditor | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
    private readonly log: (line: string) => void,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adopt(panel),
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId === 'charter') this.scheduleUpdate();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e?.document.languageId === 'charter') {
          this.editor = e;
          this.scheduleFollow();
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.languageId === 'charter') {
          this.editor = e.textEditor;
          this.scheduleFollow();
        }
      }),
    );
  }

  /** The command: open (or reveal) the panel focused on the declaration at the cursor. */
  async open(): Promise<void> {
    const active = vscode.window.activeTextEditor;
    if (active?.document.languageId === 'charter') this.editor = active;
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      await this.update(true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Charter Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
    this.adopt(panel);
  }

  /** Is the panel open and has the webview said it is ready? (Tests use it.) */
  get isOpen(): boolean {
    return !!this.panel && this.ready;
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: true,
      // Only the extension's own bundles and media; nothing from the workspace or the network.
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.context.extensionUri, 'client', 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'icon.png');
    const w = panel.webview;
    const asUri = (...p: string[]) => w.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...p)).toString();
    w.html = renderHtml({
      cspSource: w.cspSource,
      nonce: randomBytes(16).toString('base64url'),
      scriptUri: asUri('dist', 'webview', 'main.js'),
      workerUri: asUri('dist', 'webview', 'layout-worker.js'),
      styleUri: asUri('client', 'media', 'graph.css'),
      title: 'Charter graph',
    });
    const subs = [
      w.onDidReceiveMessage((m: WebviewToHostMessage) => void this.onMessage(m)),
      panel.onDidDispose(() => {
        for (const s of subs) s.dispose();
        if (this.panel === panel) {
          this.panel = undefined;
          this.ready = false;
        }
      }),
    ];
  }

  private post(m: HostToWebviewMessage): void {
    void this.panel?.webview.postMessage(m);
  }

  private async onMessage(m: WebviewToHostMessage): Promise<void> {
    switch (m?.type) {
      case 'ready':
        this.ready = true;
        await this.update(true);
        break;
      case 'reveal':
        await this.reveal(m.location);
        break;
      case 'export':
        await this.saveExport(m.format, m.data);
        break;
      case 'error':
        this.log(`graph preview: ${m.message}`);
        break;
    }
  }

  private params(focusOnly = false): GraphParams {
    const e = this.editor;
    return e ? { textDocument: { uri: e.document.uri.toString() }, position: e.selection.active, focusOnly } : { focusOnly };
  }

  private scheduleUpdate(): void {
    if (!this.panel) return;
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => void this.update(false), UPDATE_DELAY_MS);
  }

  private scheduleFollow(): void {
    if (!this.panel || !this.ready) return;
    clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => void this.follow(), FOLLOW_DELAY_MS);
  }

  /** Called when the server reports a fresh model, or after an edit. */
  refresh(): void {
    this.scheduleUpdate();
  }

  private async request(focusOnly: boolean): Promise<GraphResult | undefined> {
    const c = this.client();
    if (!c) return undefined;
    try {
      return await c.sendRequest<GraphResult>('charter/graph', this.params(focusOnly));
    } catch (e) {
      this.log(`graph preview: ${(e as Error).message}`);
      return undefined;
    }
  }

  private async update(withFocus: boolean): Promise<void> {
    if (!this.panel || !this.ready) return;
    const r = await this.request(false);
    if (!r?.graph) return;
    const focus = withFocus && r.focus ? r.focus : undefined;
    if (focus) this.lastFocus = focus;
    // Without `focus` the webview keeps its current focus, zoom and position.
    this.post(focus ? { type: 'graph', graph: r.graph, focus } : { type: 'graph', graph: r.graph });
  }

  private async follow(): Promise<void> {
    const r = await this.request(true);
    if (!r?.focus || r.focus === this.lastFocus) return;
    this.lastFocus = r.focus;
    this.post({ type: 'focus', focus: r.focus });
  }

  private async reveal(loc: { file: string; line: number; column: number; endLine: number; endColumn: number }): Promise<void> {
    const uri = /^[a-z][a-z0-9+.-]*:/i.test(loc.file) ? vscode.Uri.parse(loc.file) : vscode.Uri.file(loc.file);
    const range = new vscode.Range(loc.line - 1, loc.column - 1, loc.endLine - 1, loc.endColumn - 1);
    const column = this.editor?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(uri, { selection: range, viewColumn: column, preserveFocus: false });
  }

  private async saveExport(format: 'svg' | 'png', data: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `charter-graph.${format}`) : undefined,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    });
    if (!target) return;
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Charter: graph saved to ${vscode.workspace.asRelativePath(target)}`);
  }

  dispose(): void {
    clearTimeout(this.updateTimer);
    clearTimeout(this.followTimer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
