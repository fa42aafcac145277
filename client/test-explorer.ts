// Test blocks in VS Code's Test Explorer (the Testing API): discovered from
// the server (charter/tests), run through charter/runTest; a failing
// expectation is a message at its line saying what was decided and why, and
// the run's output (Test Results) lists every expectation with its
// decision, the context and the rules that decided it.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CharterMethods, type ExpectationResultItem, type ListTestsResult, type RunTestResult, type TestResultItem } from '../server/protocol';

/** "  ✗ expected bob can read ..., but it is denied: ...", then the context, the decision and its rules. */
export function expectationReport(t: Pick<TestResultItem, 'uri'>, e: ExpectationResultItem, rel: (uri: string) => string): string[] {
  const out = [`  ${e.passed ? '✓' : '✗'} ${e.message}`];
  if (e.context) out.push(`      context: ${Object.entries(e.context).map(([k, v]) => `${k}=${v}`).join(', ') || 'none (every attribute unset)'}`);
  const d = e.decision;
  if (d) {
    out.push(`      decision: ${d.principal} → ${d.field}: ${d.decision}${d.mask ? ` with ${d.mask}` : ''}${d.rows ? `, rows where ${d.rows}` : ''}`);
    if (!d.reasons.length) out.push(`      because: ${d.summary}`);
    for (const r of d.reasons) out.push(`      ${r.effect}: ${r.policy}: ${r.text}${r.failedClosed ? ' (failed closed)' : ''} (${rel(r.location.uri)}:${r.location.range.start.line + 1})`);
  }
  return out;
}

export class TestExplorer implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('charter', 'Charter');
  private timer?: NodeJS.Timeout;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.controller.resolveHandler = async () => this.discover();
    this.controller.refreshHandler = async () => this.discover();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token), true);
  }

  discoverSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.discover(), 500);
  }

  async discover(): Promise<void> {
    const c = this.client();
    if (!c) return;
    let res: ListTestsResult;
    try {
      res = await c.sendRequest<ListTestsResult>(CharterMethods.listTests, {});
    } catch {
      return;
    }
    const files = new Map<string, vscode.TestItem>();
    for (const t of res.tests) {
      const uri = vscode.Uri.parse(t.uri);
      let file = files.get(t.uri);
      if (!file) {
        file = this.controller.items.get(t.uri) ?? this.controller.createTestItem(t.uri, vscode.workspace.asRelativePath(uri), uri);
        file.children.replace([]);
        files.set(t.uri, file);
      }
      const item = this.controller.createTestItem(t.name, t.name, uri);
      item.range = new vscode.Range(t.range.start.line, t.range.start.character, t.range.end.line, t.range.end.character);
      file.children.add(item);
    }
    this.controller.items.replace([...files.values()]);
  }

  /** Runs one test by name (the code lens), showing the result in the Test Explorer. */
  async runByName(name: string): Promise<void> {
    await this.discover();
    let item: vscode.TestItem | undefined;
    this.controller.items.forEach((f) => (item ??= f.children.get(name)));
    if (!item) return void vscode.window.showWarningMessage(`Charter: test '${name}' not found`);
    const source = new vscode.CancellationTokenSource();
    await this.run(new vscode.TestRunRequest([item]), source.token);
    source.dispose();
  }

  private async run(req: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const c = this.client();
    const run = this.controller.createTestRun(req);
    const queue: vscode.TestItem[] = [];
    const add = (i: vscode.TestItem) => (i.children.size ? i.children.forEach(add) : queue.push(i));
    if (req.include) req.include.forEach(add);
    else this.controller.items.forEach(add);
    const excluded = new Set(req.exclude ?? []);
    for (const item of queue) {
      if (token.isCancellationRequested) break;
      if (excluded.has(item) || (item.parent && excluded.has(item.parent))) continue;
      run.started(item);
      const started = Date.now();
      try {
        if (!c) throw new Error('the language server is not running');
        const res = await c.sendRequest<RunTestResult>(CharterMethods.runTest, { name: item.id });
        const t = res.tests[0];
        if (!t) throw new Error(`test '${item.id}' not found`);
        const rel = (u: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(u));
        const lines = [`${t.passed ? 'ok  ' : 'FAIL'} ${t.name} (${rel(t.uri)}:${t.range.start.line + 1})`, ...t.expectations.flatMap((e) => expectationReport(t, e, rel))];
        run.appendOutput(lines.join('\r\n') + '\r\n\r\n', undefined, item);
        if (t.passed) run.passed(item, Date.now() - started);
        else {
          const messages = t.expectations
            .filter((e) => !e.passed)
            .map((e) => {
              const m = new vscode.TestMessage(expectationReport(t, e, rel).map((l) => l.trim()).join('\n'));
              m.location = new vscode.Location(vscode.Uri.parse(t.uri), new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character));
              return m;
            });
          run.failed(item, messages, Date.now() - started);
        }
      } catch (e) {
        run.errored(item, new vscode.TestMessage((e as Error).message));
      }
    }
    run.end();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.controller.dispose();
  }
}
