// The "Who Can See" view: for one field, every principal with the decision
// (clear, masked, denied), the mask, the row filter and the reasons; each
// reason opens the rule in its file.

import * as vscode from 'vscode';
import type { ReasonItem, WhoCanSeeResult, WhoCanSeeRow } from '../server/protocol';

type Node = { kind: 'row'; row: WhoCanSeeRow } | { kind: 'reason'; reason: ReasonItem } | { kind: 'note'; text: string; icon: string };

const ICON: Record<WhoCanSeeRow['decision'], [string, string]> = {
  clear: ['pass', 'testing.iconPassed'],
  masked: ['eye-closed', 'charts.yellow'],
  denied: ['circle-slash', 'testing.iconFailed'],
};

export class WhoCanSeeView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private result?: WhoCanSeeResult;
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;

  constructor() {
    this.view = vscode.window.createTreeView('charter.whoCanSee', { treeDataProvider: this, showCollapseAll: true });
  }

  show(result: WhoCanSeeResult): void {
    this.result = result;
    const ctx = Object.entries(result.context).map(([k, v]) => `${k}=${v}`).join(', ');
    this.view.title = `Who Can See ${result.field}`;
    this.view.description = ctx ? `context: ${ctx}` : 'no context';
    this.view.message = `${result.counts.clear} clear · ${result.counts.masked} masked · ${result.counts.denied} denied`;
    this.changed.fire(undefined);
    void vscode.commands.executeCommand('setContext', 'charter.whoCanSee.hasResult', true);
  }

  current(): WhoCanSeeResult | undefined {
    return this.result;
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if (n.kind === 'note') {
      const it = new vscode.TreeItem(n.text);
      it.iconPath = new vscode.ThemeIcon(n.icon);
      return it;
    }
    if (n.kind === 'row') {
      const r = n.row;
      const it = new vscode.TreeItem(r.principal, r.reasons.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      const parts = [r.decision + (r.mask ? ` (${r.mask})` : '')];
      if (r.rows) parts.push(`rows: ${r.rows}`);
      else if (r.decision !== 'denied') parts.push('all rows');
      it.description = parts.join(' · ');
      it.tooltip = new vscode.MarkdownString(`**${r.principal}**${r.service ? ' (service)' : ''} — ${r.groups.join(', ') || 'no group'}\n\n${r.decision}${r.mask ? ` with ${r.mask}` : ''}: ${r.summary}`);
      const [icon, color] = ICON[r.decision];
      it.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
      it.contextValue = `charter.row.${r.decision}`;
      return it;
    }
    const x = n.reason;
    const it = new vscode.TreeItem(`${x.effect}: ${x.policy}`);
    const file = vscode.Uri.parse(x.location.uri);
    it.description = `${x.text}${x.failedClosed ? ' (failed closed)' : ''} — ${vscode.workspace.asRelativePath(file)}:${x.location.range.start.line + 1}`;
    it.tooltip = `${x.text}\n${vscode.workspace.asRelativePath(file)}:${x.location.range.start.line + 1}`;
    it.iconPath = new vscode.ThemeIcon('go-to-file');
    const r = x.location.range;
    it.command = {
      title: 'Open rule',
      command: 'vscode.open',
      arguments: [file, { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) } satisfies vscode.TextDocumentShowOptions],
    };
    return it;
  }

  getChildren(n?: Node): Node[] {
    if (!this.result) return [];
    if (!n) {
      const notes: Node[] = this.result.contextErrors.map((e) => ({ kind: 'note', text: `context ignored: ${e}`, icon: 'warning' }));
      return [...notes, ...this.result.results.map((row): Node => ({ kind: 'row', row }))];
    }
    if (n.kind === 'row') return n.row.reasons.map((reason): Node => ({ kind: 'reason', reason }));
    return [];
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
