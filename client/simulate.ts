// Simulate As...: pick a principal; every field in the open editors is
// decorated clear / masked / denied in the current simulation context (the
// one of the status bar, shared with lenses, hovers, Who Can See and the
// graph) until the simulation is cleared. Decorations follow edits, new
// analyses and context changes.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CharterMethods, type ContextValues, type SimulateResult } from '../server/protocol';
import { contextLabel, type SimulationContext } from './context';

export interface Simulation {
  principal: string;
  /** Also makes this the current simulation context of every view. */
  context?: ContextValues;
}

const STYLE: Record<'clear' | 'masked' | 'denied', { text: string; color: string }> = {
  clear: { text: '✓ clear', color: 'testing.iconPassed' },
  masked: { text: '◐ masked', color: 'charts.yellow' },
  denied: { text: '✗ denied', color: 'testing.iconFailed' },
};

export class Simulator implements vscode.Disposable {
  private current?: Simulation;
  private readonly types = Object.fromEntries(
    (Object.keys(STYLE) as (keyof typeof STYLE)[]).map((k) => [
      k,
      vscode.window.createTextEditorDecorationType({
        after: { margin: '0 0 0 2em', color: new vscode.ThemeColor(STYLE[k].color), fontStyle: 'italic' },
        overviewRulerColor: new vscode.ThemeColor(STYLE[k].color),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
      }),
    ]),
  ) as Record<keyof typeof STYLE, vscode.TextEditorDecorationType>;
  private timer?: NodeJS.Timeout;
  /** The marks drawn, by document and line (for the hover middleware). */
  private readonly marks = new Map<string, Map<number, { qname: string; markdown: vscode.MarkdownString }>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly context: SimulationContext,
  ) {
    this.disposables.push(
      context.onDidChange(() => this.refreshSoon()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshSoon()),
      vscode.workspace.onDidChangeTextDocument((e) => e.document.languageId === 'charter' && this.refreshSoon()),
    );
  }

  active(): Simulation | undefined {
    return this.current;
  }

  /** Asks for a principal (the context is the current one; the title bar button changes it), then starts simulating. */
  async pick(): Promise<void> {
    const opts = await this.context.refresh();
    if (!opts) return void vscode.window.showWarningMessage('Charter: the language server is not running.');
    if (!opts.principals.length) return void vscode.window.showWarningMessage('Charter: the workspace declares no principal to simulate.');
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
    qp.title = 'Charter: Simulate As…';
    qp.placeholder = `Principal — in the context ${contextLabel(opts.defaultContext)}`;
    qp.items = opts.principals.map((x) => ({ label: x.name, description: x.groups.join(', '), detail: x.service ? 'service' : undefined }));
    const change: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('key'), tooltip: 'Change the simulation context…' };
    qp.buttons = [change];
    const chosen = await new Promise<string | 'context' | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems[0]?.label));
      qp.onDidTriggerButton((b) => b === change && resolve('context'));
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (chosen === 'context') {
      await this.context.choose();
      return this.current ? undefined : this.pick();
    }
    if (chosen) await this.start({ principal: chosen });
  }

  async start(sim: Simulation): Promise<void> {
    if (sim.context) await this.context.set(sim.context);
    this.current = { principal: sim.principal };
    this.context.setPrincipal(sim.principal);
    await vscode.commands.executeCommand('setContext', 'charter.simulating', true);
    await this.refresh();
  }

  /** The decoration on a line, if the simulation marks one there (hover middleware). */
  markAt(uri: string, line: number): { qname: string; markdown: vscode.MarkdownString } | undefined {
    return this.marks.get(uri)?.get(line);
  }

  async clear(): Promise<void> {
    this.current = undefined;
    this.marks.clear();
    for (const e of vscode.window.visibleTextEditors) for (const t of Object.values(this.types)) e.setDecorations(t, []);
    this.context.setPrincipal(undefined);
    await vscode.commands.executeCommand('setContext', 'charter.simulating', false);
  }

  refreshSoon(): void {
    if (!this.current) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  async refresh(): Promise<void> {
    const sim = this.current;
    const c = this.client();
    if (!sim || !c) return;
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document.languageId === 'charter');
    if (!editors.length) return;
    let res: SimulateResult;
    try {
      // No context: the server uses the current one, as for lenses and hovers.
      res = await c.sendRequest<SimulateResult>(CharterMethods.simulate, { principal: sim.principal, uris: editors.map((e) => e.document.uri.toString()) });
    } catch (e) {
      void vscode.window.showErrorMessage(`Charter: simulation failed: ${(e as Error).message}`);
      return this.clear();
    }
    if (this.current !== sim) return;
    if (res.contextErrors.length) void vscode.window.showWarningMessage(`Charter: context ignored: ${res.contextErrors.join('; ')}`);
    const ctx = contextLabel(res.context);
    for (const e of editors) {
      const key = e.document.uri.toString();
      const marks = new Map<number, { qname: string; markdown: vscode.MarkdownString }>();
      this.marks.set(key, marks);
      const byKind: Record<string, vscode.DecorationOptions[]> = { clear: [], masked: [], denied: [] };
      for (const f of res.fields) {
        if (vscode.Uri.parse(f.uri).toString() !== key) continue;
        const line = e.document.lineAt(Math.min(f.range.start.line, e.document.lineCount - 1));
        const text = STYLE[f.decision].text + (f.mask ? ` (${f.mask})` : '') + (f.rows ? ` · rows: ${f.rows}` : '');
        const markdown = new vscode.MarkdownString(
          `**Simulating ${sim.principal}** (${ctx}): \`${f.qname}\` is **${f.decision}**${f.mask ? ` with ${f.mask}` : ''}${f.rows ? `, rows where \`${f.rows}\`` : ''}\n\n${f.summary}`,
        );
        marks.set(line.lineNumber, { qname: f.qname, markdown });
        // No hoverMessage: the hover middleware (extension.ts) shows `markdown` over the mark,
        // first and alone, instead of after (or beside) the field's own hover.
        byKind[f.decision].push({
          range: new vscode.Range(line.range.end, line.range.end),
          renderOptions: { after: { contentText: text } },
        });
      }
      for (const k of Object.keys(this.types) as (keyof typeof STYLE)[]) e.setDecorations(this.types[k], byKind[k]);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    for (const t of Object.values(this.types)) t.dispose();
  }
}
