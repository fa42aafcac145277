// Tasks `charter: check` and `charter: test` (Terminal > Run Task…), run with
// the CLI bundled in the extension (dist/cli.cjs, on VS Code's own Node), so
// nothing else needs installing. `charter check` output goes through the
// `$charter` problem matcher (package.json) into the Problems panel, exactly
// as CI reports it.

import * as vscode from 'vscode';

export const TASK_TYPE = 'charter';

interface CharterTaskDefinition extends vscode.TaskDefinition {
  command: 'check' | 'test' | 'fmt';
  args?: string[];
}

const DETAIL: Record<CharterTaskDefinition['command'], string> = {
  check: 'charter check: every diagnostic, as CI reports it',
  test: 'charter test: run every test block',
  fmt: 'charter fmt --check: list unformatted files',
};

export class CharterTasks implements vscode.TaskProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.registration = vscode.tasks.registerTaskProvider(TASK_TYPE, this);
  }

  provideTasks(): vscode.Task[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const out: vscode.Task[] = [];
    for (const f of folders) {
      out.push(this.task({ type: TASK_TYPE, command: 'check' }, f));
      out.push(this.task({ type: TASK_TYPE, command: 'test' }, f));
      out.push(this.task({ type: TASK_TYPE, command: 'fmt', args: ['--check'] }, f));
    }
    return out;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as CharterTaskDefinition;
    if (!['check', 'test', 'fmt'].includes(def.command)) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    return folder ? this.task(def, folder, task) : undefined;
  }

  private task(def: CharterTaskDefinition, folder: vscode.WorkspaceFolder, from?: vscode.Task): vscode.Task {
    const cli = this.context.asAbsolutePath('dist/cli.cjs');
    // process.execPath is Node in a remote extension host, and Electron (run as Node) on the desktop.
    const exec = new vscode.ProcessExecution(process.execPath, [cli, def.command, '.', ...(def.args ?? [])], {
      cwd: folder.uri.fsPath,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    const name = from?.name ?? `${def.command}${def.args?.length ? ' ' + def.args.join(' ') : ''}`;
    const t = new vscode.Task(def, folder, name, TASK_TYPE, exec, from?.problemMatchers?.length ? from.problemMatchers : ['$charter']);
    t.detail = DETAIL[def.command];
    if (def.command === 'check') t.group = vscode.TaskGroup.Build;
    if (def.command === 'test') t.group = vscode.TaskGroup.Test;
    t.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
    return t;
  }

  dispose(): void {
    this.registration.dispose();
  }
}
