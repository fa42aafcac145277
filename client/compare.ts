// Compare with Base…: what the workspace's current text (unsaved edits
// included) changes against a git revision (default HEAD). A view lists the
// deltas like the pull-request comment of `charter diff --format markdown`
// (access by field with principals collapsed by group, schema, governance),
// each entry revealing its field or rule; fields whose access changed carry
// a decoration ("alice: masked → clear"); the status bar counts exposures.
// Everything follows edits while the comparison is on.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CharterMethods, type DiffAccessLine, type DiffDecoration, type DiffDiagnosticItem, type DiffFieldBlock, type DiffResult, type DiffSchemaItem, type LspLocation } from '../server/protocol';

type Node =
  | { kind: 'section'; id: 'access' | 'schema' | 'governance'; label: string }
  | { kind: 'block'; block: DiffFieldBlock }
  | { kind: 'line'; block: DiffFieldBlock; line: DiffAccessLine }
  | { kind: 'rule'; text: string; sign: '+' | '-'; location?: LspLocation; where: string }
  | { kind: 'fields'; block: DiffFieldBlock }
  | { kind: 'field'; field: string; location?: LspLocation }
  | { kind: 'schema'; item: DiffSchemaItem }
  | { kind: 'diagnostic'; item: DiffDiagnosticItem; introduced: boolean }
  | { kind: 'note'; text: string };

const KIND_STYLE: Record<DiffAccessLine['kind'], { icon: string; color: string }> = {
  exposure: { icon: 'unlock', color: 'charts.red' },
  restriction: { icon: 'lock', color: 'charts.green' },
  rows: { icon: 'filter', color: 'charts.yellow' },
};

function lspRange(r: LspLocation['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function openCommand(loc: LspLocation | undefined, title: string): vscode.Command | undefined {
  if (!loc) return undefined;
  return { title, command: 'vscode.open', arguments: [vscode.Uri.parse(loc.uri), { selection: lspRange(loc.range) } satisfies vscode.TextDocumentShowOptions] };
}

export class CompareWithBase implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private base?: string;
  private result?: DiffResult;
  private error?: string;
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  private readonly status = vscode.window.createStatusBarItem('charter.compare', vscode.StatusBarAlignment.Left, 9);
  private readonly decorationTypes = Object.fromEntries(
    (Object.keys(KIND_STYLE) as DiffAccessLine['kind'][]).map((k) => [
      k,
      vscode.window.createTextEditorDecorationType({
        after: { margin: '0 0 0 2em', color: new vscode.ThemeColor(KIND_STYLE[k].color), fontStyle: 'italic' },
        overviewRulerColor: new vscode.ThemeColor(KIND_STYLE[k].color),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
      }),
    ]),
  ) as Record<DiffAccessLine['kind'], vscode.TextEditorDecorationType>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.view = vscode.window.createTreeView('charter.compare', { treeDataProvider: this, showCollapseAll: true });
    this.status.name = 'Charter: Compare with Base';
    this.status.command = 'charter.compare.focus';
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.charter');
    this.disposables.push(
      watcher,
      watcher.onDidChange(() => this.refreshSoon()),
      watcher.onDidCreate(() => this.refreshSoon()),
      watcher.onDidDelete(() => this.refreshSoon()),
      vscode.workspace.onDidChangeTextDocument((e) => e.document.languageId === 'charter' && this.refreshSoon()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
    );
  }

  /** The revision compared with, while a comparison is on. */
  comparing(): string | undefined {
    return this.base;
  }

  current(): DiffResult | undefined {
    return this.result;
  }

  async pick(): Promise<void> {
    const base = await vscode.window.showInputBox({
      title: 'Charter: Compare with Base…',
      prompt: 'A git revision of the repository holding the workspace: a branch, a tag, a commit, HEAD~1…',
      value: this.base ?? 'HEAD',
      validateInput: (v) => (v.trim() && !v.trim().startsWith('-') ? undefined : 'Give a revision, such as HEAD or main'),
    });
    if (base === undefined) return;
    await this.start(base.trim());
  }

  async start(base: string): Promise<void> {
    this.base = base;
    await vscode.commands.executeCommand('setContext', 'charter.comparing', true);
    await this.refresh();
    await vscode.commands.executeCommand('charter.compare.focus');
  }

  async clear(): Promise<void> {
    this.base = undefined;
    this.result = undefined;
    this.error = undefined;
    this.decorate();
    this.status.hide();
    this.view.title = 'Access Changes';
    this.view.description = undefined;
    this.view.message = undefined;
    this.changed.fire(undefined);
    await vscode.commands.executeCommand('setContext', 'charter.comparing', false);
  }

  refreshSoon(): void {
    if (!this.base) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 400);
  }

  async refresh(): Promise<void> {
    const base = this.base;
    const c = this.client();
    if (!base) return;
    if (!c) {
      this.error = 'the language server is not running';
      return this.render();
    }
    // One request at a time; an edit meanwhile asks again once it is answered.
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      const r = await c.sendRequest<DiffResult>(CharterMethods.diff, { base });
      if (this.base !== base) return;
      this.result = r;
      this.error = undefined;
    } catch (e) {
      if (this.base !== base) return;
      this.result = undefined;
      this.error = (e as Error).message;
    } finally {
      this.running = false;
    }
    this.render();
    if (this.again) {
      this.again = false;
      this.refreshSoon();
    }
  }

  async copyMarkdown(): Promise<void> {
    if (!this.result) return void vscode.window.showInformationMessage('Charter: compare with a base first (Charter: Compare with Base…).');
    await vscode.env.clipboard.writeText(this.result.markdown);
    void vscode.window.showInformationMessage('Charter: the comparison is on the clipboard as Markdown (a pull-request comment).');
  }

  private render(): void {
    const r = this.result;
    this.view.title = `Access Changes Against ${this.base}`;
    if (this.error || !r) {
      this.view.description = undefined;
      this.view.message = `Cannot compare with ${this.base}: ${this.error ?? 'no answer'}`;
      this.status.text = `$(git-compare) ${this.base}: error`;
      this.status.tooltip = this.view.message;
      this.status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      this.view.description = r.commit.slice(0, 7);
      this.view.message = r.headline;
      const n = r.counts.exposures;
      this.status.text = `$(git-compare) ${n} exposure${n === 1 ? '' : 's'} vs ${this.base}`;
      this.status.tooltip = new vscode.MarkdownString(`**Charter, against ${this.base}** (${r.commit.slice(0, 7)}): ${r.headline}\n\nClick to show the changes.`);
      this.status.backgroundColor = n ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    this.status.show();
    this.decorate();
    this.changed.fire(undefined);
  }

  private decorate(): void {
    const byUri = new Map<string, DiffDecoration[]>();
    for (const d of this.result?.decorations ?? []) {
      const k = vscode.Uri.parse(d.uri).toString();
      const l = byUri.get(k);
      if (l) l.push(d);
      else byUri.set(k, [d]);
    }
    for (const e of vscode.window.visibleTextEditors) {
      const mine = byUri.get(e.document.uri.toString()) ?? [];
      for (const kind of Object.keys(this.decorationTypes) as DiffAccessLine['kind'][]) {
        e.setDecorations(
          this.decorationTypes[kind],
          mine
            .filter((d) => d.kind === kind)
            .map((d) => {
              const line = e.document.lineAt(Math.min(d.range.start.line, e.document.lineCount - 1));
              return { range: new vscode.Range(line.range.end, line.range.end), hoverMessage: new vscode.MarkdownString(d.hover), renderOptions: { after: { contentText: d.text } } };
            }),
        );
      }
    }
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const Expanded = vscode.TreeItemCollapsibleState.Expanded;
    const None = vscode.TreeItemCollapsibleState.None;
    switch (n.kind) {
      case 'section':
        return Object.assign(new vscode.TreeItem(n.label, Expanded), { id: `section:${n.id}`, iconPath: new vscode.ThemeIcon(n.id === 'access' ? 'shield' : n.id === 'schema' ? 'symbol-structure' : 'law') });
      case 'note':
        return Object.assign(new vscode.TreeItem(n.text, None), { iconPath: new vscode.ThemeIcon('info') });
      case 'block': {
        const it = new vscode.TreeItem(n.block.label, Expanded);
        const kinds = n.block.lines.map((l) => l.kind);
        const kind = kinds.includes('exposure') ? 'exposure' : kinds.includes('restriction') ? 'restriction' : 'rows';
        it.iconPath = new vscode.ThemeIcon(KIND_STYLE[kind].icon, new vscode.ThemeColor(KIND_STYLE[kind].color));
        it.description = `${n.block.lines.length} change${n.block.lines.length === 1 ? '' : 's'}`;
        it.command = openCommand(n.block.fields[0].location, 'Reveal field');
        it.tooltip = n.block.fields[0].location ? undefined : 'This field is gone from the current text.';
        return it;
      }
      case 'line': {
        const l = n.line;
        const it = new vscode.TreeItem(`${l.who}: ${l.before} → ${l.after}`, l.added.length || l.removed.length ? Collapsed : None);
        it.description = l.when ? `when ${l.when}` : l.kind;
        it.iconPath = new vscode.ThemeIcon(KIND_STYLE[l.kind].icon, new vscode.ThemeColor(KIND_STYLE[l.kind].color));
        it.tooltip = new vscode.MarkdownString(`**${l.kind}**: ${l.who}: ${l.before} → ${l.after}${l.when ? ` when ${l.when}` : ' in every context'}\n\n${l.principals.join(', ')}`);
        it.command = openCommand(n.block.fields[0].location, 'Reveal field');
        return it;
      }
      case 'rule': {
        const it = new vscode.TreeItem(`${n.sign === '+' ? 'now' : 'before'}: ${n.text}`, None);
        it.description = n.where;
        it.iconPath = new vscode.ThemeIcon(n.sign === '+' ? 'diff-added' : 'diff-removed');
        it.command = openCommand(n.location, 'Open rule');
        return it;
      }
      case 'fields':
        return Object.assign(new vscode.TreeItem(`${n.block.fields.length} fields`, Collapsed), { iconPath: new vscode.ThemeIcon('list-flat') });
      case 'field':
        return Object.assign(new vscode.TreeItem(n.field, None), { iconPath: new vscode.ThemeIcon('symbol-field'), command: openCommand(n.location, 'Reveal field') });
      case 'schema': {
        const x = n.item;
        const it = new vscode.TreeItem(`${x.change}: ${x.field ?? x.contract}`, None);
        it.description = x.breaking ? 'breaking' : undefined;
        it.tooltip = x.message;
        it.iconPath = new vscode.ThemeIcon(x.breaking ? 'error' : x.change === 'tag-removed' ? 'warning' : 'diff-modified', x.breaking ? new vscode.ThemeColor('errorForeground') : undefined);
        it.command = openCommand(x.location, 'Reveal');
        return it;
      }
      case 'diagnostic': {
        const x = n.item;
        const it = new vscode.TreeItem(`${n.introduced ? 'introduced' : 'resolved'}: ${x.code}`, None);
        it.description = x.message;
        it.tooltip = `${x.severity}: ${x.message}${n.introduced ? '' : ' (at the base)'}`;
        it.iconPath = new vscode.ThemeIcon(n.introduced ? (x.severity === 'error' ? 'error' : x.severity === 'warning' ? 'warning' : 'info') : 'pass');
        it.command = openCommand(x.location, 'Reveal');
        return it;
      }
    }
  }

  getChildren(n?: Node): Node[] {
    const r = this.result;
    if (!r) return [];
    if (!n) {
      const out: Node[] = r.notes.map((text): Node => ({ kind: 'note', text }));
      if (r.fields.length) out.push({ kind: 'section', id: 'access', label: `Access: ${r.counts.exposures} exposures · ${r.counts.restrictions} restrictions · ${r.counts.rows} row filter changes` });
      if (r.schema.length) out.push({ kind: 'section', id: 'schema', label: `Schema: ${r.schema.length} change${r.schema.length === 1 ? '' : 's'}${r.counts.breaking ? `, ${r.counts.breaking} breaking` : ''}` });
      if (r.governance.introduced.length || r.governance.resolved.length) {
        out.push({ kind: 'section', id: 'governance', label: `Governance: ${r.governance.introduced.length} introduced, ${r.governance.resolved.length} resolved` });
      }
      if (!r.fields.length && !r.schema.length && out.every((x) => x.kind === 'note')) out.push({ kind: 'note', text: r.headline });
      return out;
    }
    switch (n.kind) {
      case 'section':
        if (n.id === 'access') return r.fields.map((block): Node => ({ kind: 'block', block }));
        if (n.id === 'schema') return r.schema.map((item): Node => ({ kind: 'schema', item }));
        return [...r.governance.introduced.map((item): Node => ({ kind: 'diagnostic', item, introduced: true })), ...r.governance.resolved.map((item): Node => ({ kind: 'diagnostic', item, introduced: false }))];
      case 'block':
        return [...n.block.lines.map((line): Node => ({ kind: 'line', block: n.block, line })), ...(n.block.fields.length > 1 ? [{ kind: 'fields', block: n.block } as Node] : [])];
      case 'fields':
        return n.block.fields.map((f): Node => ({ kind: 'field', field: f.field, location: f.location }));
      case 'line':
        return [
          ...n.line.added.map((a): Node => ({ kind: 'rule', sign: '+', text: a.text, location: a.location, where: `${vscode.workspace.asRelativePath(vscode.Uri.parse(a.location.uri))}:${a.location.range.start.line + 1}` })),
          ...n.line.removed.map((a): Node => ({ kind: 'rule', sign: '-', text: a.text, where: `at base: ${a.file}:${a.line}` })),
        ];
      default:
        return [];
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    for (const t of Object.values(this.decorationTypes)) t.dispose();
    this.status.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

/** Registers the view, the decorations, the status bar item and the commands. */
export function registerCompare(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): CompareWithBase {
  const compare = new CompareWithBase(client);
  const cmd = (id: string, f: () => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, f));
  context.subscriptions.push(compare);
  cmd('charter.compareWithBase', async () => {
    if (!client()) return void vscode.window.showWarningMessage('Charter: the language server is not running.');
    await compare.pick();
  });
  cmd('charter.clearComparison', () => compare.clear());
  cmd('charter.refreshComparison', () => compare.refresh());
  cmd('charter.copyComparisonMarkdown', () => compare.copyMarkdown());
  return compare;
}
