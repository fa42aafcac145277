// The one simulation context of the editor: code lenses, hovers, Who Can
// See, Simulate As and the graph all use it (the server applies it to every
// request that brings no context of its own). Its default is the workspace's:
// the `charter.simulation.context` setting when it sets anything, else
// `simulation.context` of charter.json. A status bar item shows it (and the
// principal being simulated); clicking it opens the one quick pick that
// changes it.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CharterMethods, type ContextValues, type SetContextParams, type SimulationOptionsResult } from '../server/protocol';

type Pick = vscode.QuickPickItem & { run?: () => Thenable<unknown> | void };

/** `mfa=true, device=managed`, or `no context` */
export function contextLabel(c: ContextValues | undefined): string {
  const entries = Object.entries(c ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : 'no context';
}

const SOURCE: Record<string, string> = {
  chosen: 'chosen in the editor',
  setting: 'from the charter.simulation.context setting',
  'charter.json': 'from simulation.context in charter.json',
  none: 'no default set (charter.json simulation.context)',
};

export class SimulationContext implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('charter.context', vscode.StatusBarAlignment.Left, 9);
  private options?: SimulationOptionsResult;
  /** Chosen in the quick pick; undefined: the workspace default. */
  private chosen?: ContextValues;
  private principal?: string;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the current context changed (the views ask again). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.item.name = 'Charter simulation context';
    this.item.command = 'charter.chooseContext';
    this.render();
  }

  /** The context every view uses now (validated by the server). */
  current(): ContextValues {
    return this.options?.defaultContext ?? this.chosen ?? {};
  }

  lastOptions(): SimulationOptionsResult | undefined {
    return this.options;
  }

  /** Asks the server again (after an analysis: charter.json or the setting may have changed). */
  async refresh(): Promise<SimulationOptionsResult | undefined> {
    const c = this.client();
    if (!c) return undefined;
    try {
      const before = JSON.stringify(this.options?.defaultContext);
      this.options = await c.sendRequest<SimulationOptionsResult>(CharterMethods.simulationOptions, {});
      this.render();
      if (before !== undefined && before !== JSON.stringify(this.options.defaultContext)) this.changed.fire();
    } catch {
      /* the server is restarting */
    }
    return this.options;
  }

  /** The server (re)started: tell it the context chosen before. */
  async onServerStarted(): Promise<void> {
    const c = this.client();
    if (c && this.chosen) await c.sendNotification(CharterMethods.setContext, { context: this.chosen } satisfies SetContextParams);
    await this.refresh();
  }

  /** Sets the current context (`null`: back to the workspace default). */
  async set(context: ContextValues | null): Promise<void> {
    this.chosen = context ?? undefined;
    const c = this.client();
    if (c) {
      await c.sendNotification(CharterMethods.setContext, { context } satisfies SetContextParams);
      await this.refresh();
    }
    this.render();
    this.changed.fire();
  }

  /** Shown beside the context while Simulate As runs. */
  setPrincipal(name: string | undefined): void {
    this.principal = name;
    this.render();
  }

  /** The quick pick: the workspace default, no context, or one attribute changed. */
  async choose(): Promise<void> {
    const opts = await this.refresh();
    if (!opts) return void vscode.window.showWarningMessage('Charter: the language server is not running.');
    const current = opts.defaultContext;
    const items: Pick[] = [
      {
        label: '$(folder) Workspace default',
        description: contextLabel(opts.workspaceContext),
        detail: SOURCE[opts.workspaceContextSource ?? 'none'],
        picked: opts.contextSource !== 'chosen',
        run: () => this.set(null),
      },
      { label: '$(circle-slash) No context', description: 'every context attribute unset: conditions on them fail closed', run: () => this.set({}) },
    ];
    if (opts.context.length) items.push({ label: 'Change one attribute', kind: vscode.QuickPickItemKind.Separator });
    for (const a of opts.context) {
      const now = current[a.name];
      items.push({
        label: `context.${a.name}`,
        description: now === undefined ? 'unset' : `= ${typeof now === 'string' ? JSON.stringify(now) : now}`,
        detail: a.type === 'enum' ? (a.values ?? []).map((v) => JSON.stringify(v)).join(' | ') : a.type,
        run: () => this.changeAttribute(a, current),
      });
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push(
      this.principal
        ? { label: '$(clear-all) Clear Simulation', description: `stop simulating as ${this.principal}`, run: () => vscode.commands.executeCommand('charter.clearSimulation') }
        : { label: '$(person) Simulate As…', description: 'mark every field for one principal in this context', run: () => vscode.commands.executeCommand('charter.simulateAs') },
    );
    const pick = await vscode.window.showQuickPick(items, {
      title: `Charter: Simulation Context — ${contextLabel(current)}`,
      placeHolder: 'The context of code lenses, hovers, Who Can See, Simulate As and the graph',
      matchOnDescription: true,
    });
    await pick?.run?.();
  }

  private async changeAttribute(a: SimulationOptionsResult['context'][number], current: ContextValues): Promise<void> {
    const next: ContextValues = { ...current };
    const finite = a.type === 'bool' ? ['true', 'false'] : a.values;
    let value: string | undefined;
    if (finite) {
      const picked = await vscode.window.showQuickPick(
        [...finite.map((v) => ({ label: a.type === 'bool' ? v : JSON.stringify(v), value: v })), { label: '(unset)', value: '' }],
        { title: `Charter: context.${a.name}`, placeHolder: `now ${current[a.name] ?? 'unset'}` },
      );
      if (!picked) return;
      value = picked.value;
    } else {
      value = await vscode.window.showInputBox({ title: `Charter: context.${a.name} (${a.type})`, prompt: 'Leave empty to unset it', value: current[a.name] === undefined ? '' : String(current[a.name]) });
      if (value === undefined) return;
    }
    if (value === '') delete next[a.name];
    else next[a.name] = a.type === 'bool' ? value === 'true' : a.type === 'number' ? Number(value) : value;
    await this.set(next);
  }

  private render(): void {
    const o = this.options;
    const label = contextLabel(this.current());
    this.item.text = this.principal ? `$(eye) ${this.principal} · ${label}` : `$(key) ${label}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Charter simulation context**: \`${label}\`  \n`);
    md.appendMarkdown(`${SOURCE[o?.contextSource ?? (this.chosen ? 'chosen' : 'none')]}.  \n`);
    if (o?.contextErrors?.length) md.appendMarkdown(`$(warning) ignored: ${o.contextErrors.join('; ')}  \n`);
    if (this.principal) md.appendMarkdown(`Simulating as **${this.principal}**.  \n`);
    md.appendMarkdown('Code lenses, hovers, Who Can See, Simulate As and the graph use it. Click to change it.');
    this.item.tooltip = md;
    this.item.backgroundColor = o?.contextErrors?.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
  }
}
