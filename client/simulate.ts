// Simulate As...: pick a principal and a context; every field in the open
// editors is decorated clear / masked / denied until the simulation is
// cleared. Decorations follow edits and new analyses.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CharterMethods, type ContextValues, type SimulateResult, type SimulationOptionsResult } from '../server/protocol';

export interface Simulation {
  principal: string;
  context: ContextValues;
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
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly onChange: (label: string | undefined) => void,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshSoon()),
      vscode.workspace.onDidChangeTextDocument((e) => e.document.languageId === 'charter' && this.refreshSoon()),
    );
  }

  active(): Simulation | undefined {
    return this.current;
  }

  /** Asks for a principal and a context, then starts simulating. */
  async pick(): Promise<void> {
    const c = this.client();
    if (!c) return void vscode.window.showWarningMessage('Charter: the language server is not running.');
    const opts = await c.sendRequest<SimulationOptionsResult>(CharterMethods.simulationOptions, {});
    if (!opts.principals.length) return void vscode.window.showWarningMessage('Charter: the workspace declares no principal to simulate.');
    const p = await vscode.window.showQuickPick(
      opts.principals.map((x) => ({ label: x.name, description: x.groups.join(', '), detail: x.service ? 'service' : undefined })),
      { title: 'Charter: Simulate As…', placeHolder: 'Principal' },
    );
    if (!p) return;
    const context = await this.pickContext(opts);
    if (!context) return;
    await this.start({ principal: p.label, context });
  }

  private async pickContext(opts: SimulationOptionsResult): Promise<ContextValues | undefined> {
    const show = (c: ContextValues) => Object.entries(c).map(([k, v]) => `${k}=${v}`).join(', ') || 'every attribute unset';
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Settings context', description: show(opts.defaultContext), value: 'default' },
        { label: 'No context', description: 'every context attribute unset (conditions on them fail closed)', value: 'none' },
        { label: 'Choose values…', description: opts.context.map((a) => a.name).join(', '), value: 'custom' },
      ],
      { title: 'Charter: Simulate As… — context', placeHolder: 'Context of the request' },
    );
    if (!choice) return undefined;
    if (choice.value === 'default') return opts.defaultContext;
    if (choice.value === 'none') return {};
    const out: ContextValues = {};
    for (const a of opts.context) {
      const finite = a.type === 'bool' ? ['true', 'false'] : a.values;
      if (finite) {
        const v = await vscode.window.showQuickPick(['(unset)', ...finite], { title: `context.${a.name}`, placeHolder: `${a.name}: ${a.type === 'bool' ? 'true or false' : finite.join(' | ')}` });
        if (v === undefined) return undefined;
        if (v !== '(unset)') out[a.name] = a.type === 'bool' ? v === 'true' : v;
      } else {
        const v = await vscode.window.showInputBox({ title: `context.${a.name} (${a.type})`, prompt: 'Leave empty to keep it unset' });
        if (v === undefined) return undefined;
        if (v !== '') out[a.name] = a.type === 'number' ? Number(v) : v;
      }
    }
    return out;
  }

  async start(sim: Simulation): Promise<void> {
    this.current = sim;
    const ctx = Object.entries(sim.context).map(([k, v]) => `${k}=${v}`).join(', ');
    this.onChange(`${sim.principal}${ctx ? ` (${ctx})` : ''}`);
    await vscode.commands.executeCommand('setContext', 'charter.simulating', true);
    await this.refresh();
  }

  async clear(): Promise<void> {
    this.current = undefined;
    for (const e of vscode.window.visibleTextEditors) for (const t of Object.values(this.types)) e.setDecorations(t, []);
    this.onChange(undefined);
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
      res = await c.sendRequest<SimulateResult>(CharterMethods.simulate, { principal: sim.principal, context: sim.context, uris: editors.map((e) => e.document.uri.toString()) });
    } catch (e) {
      void vscode.window.showErrorMessage(`Charter: simulation failed: ${(e as Error).message}`);
      return this.clear();
    }
    if (this.current !== sim) return;
    if (res.contextErrors.length) void vscode.window.showWarningMessage(`Charter: context ignored: ${res.contextErrors.join('; ')}`);
    for (const e of editors) {
      const key = e.document.uri.toString();
      const byKind: Record<string, vscode.DecorationOptions[]> = { clear: [], masked: [], denied: [] };
      for (const f of res.fields) {
        if (vscode.Uri.parse(f.uri).toString() !== key) continue;
        const line = e.document.lineAt(Math.min(f.range.start.line, e.document.lineCount - 1));
        const text = STYLE[f.decision].text + (f.mask ? ` (${f.mask})` : '') + (f.rows ? ` · rows: ${f.rows}` : '');
        byKind[f.decision].push({
          range: new vscode.Range(line.range.end, line.range.end),
          hoverMessage: new vscode.MarkdownString(`**${sim.principal}** reads \`${f.qname}\`: ${f.decision}${f.mask ? ` with ${f.mask}` : ''}\n\n${f.summary}`),
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
