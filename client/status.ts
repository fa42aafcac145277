// The status bar item: the model's state (loading, analysing, N errors...).
// Clicking it shows the Charter output. (The simulation context and the
// principal being simulated have their own item: context.ts.)

import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('charter.status', vscode.StatusBarAlignment.Left, 10);
  private last?: StatusParams;

  constructor() {
    this.item.name = 'Charter';
    this.item.command = 'charter.showOutput';
    this.set({ state: 'loading', files: 0, contracts: 0, errors: 0, warnings: 0, infos: 0, generation: 0 });
    this.item.show();
  }

  set(s: StatusParams): void {
    this.last = s;
    this.render();
  }

  /** Untrusted folder: the server does not run until the user trusts it. */
  restricted(): void {
    this.item.text = '$(shield) Charter: restricted';
    this.item.tooltip = 'Charter: this folder is not trusted, so only syntax highlighting is on. Trust the folder (Manage Workspace Trust) to analyse it.';
    this.item.command = 'workbench.trust.manage';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  stopped(message: string): void {
    this.item.text = '$(debug-disconnect) Charter';
    this.item.tooltip = message;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }

  private render(): void {
    const s = this.last!;
    this.item.command = 'charter.showOutput';
    this.item.backgroundColor = undefined;
    switch (s.state) {
      case 'loading':
        this.item.text = `$(sync~spin) Charter: loading…`;
        this.item.tooltip = 'Charter: reading and analysing the workspace';
        break;
      case 'analyzing':
        this.item.text = `$(sync~spin) Charter${s.errors ? ` $(error) ${s.errors}` : ''}`;
        this.item.tooltip = 'Charter: analysing…';
        break;
      case 'error':
        this.item.text = `$(alert) Charter`;
        this.item.tooltip = `Charter: ${s.message ?? 'the analysis failed'} (see the output)`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      default: {
        const problems = s.errors || s.warnings ? ` $(error) ${s.errors} $(warning) ${s.warnings}` : ' $(check)';
        this.item.text = `Charter${problems}`;
        this.item.tooltip = new vscode.MarkdownString(
          `**Charter**: ${s.files} file${s.files === 1 ? '' : 's'}, ${s.contracts} contract${s.contracts === 1 ? '' : 's'}  \n` +
            `${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.infos} info  \n` +
            (s.analysisMs !== undefined ? `last analysis: ${s.analysisMs} ms` : ''),
        );
      }
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
