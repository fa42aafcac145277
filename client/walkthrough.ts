// The first minutes: `Charter: Open an Example Contract` (the walkthrough's
// first step) opens the folder's example contract, or a small example in a
// new editor when the folder has no .charter file; and, when `npm start`
// asks for it (CHARTER_START_GRAPH=1), the graph preview beside the first
// Charter editor.

import * as vscode from 'vscode';
import { EXAMPLE } from './example-contract';

/** The example contract of this folder: `sales/orders.charter` first, else any file with a contract. */
async function findExample(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.charter', '**/{node_modules,.git,dist,out}/**', 500);
  const preferred = files.find((f) => f.path.endsWith('/sales/orders.charter'));
  if (preferred) return preferred;
  for (const f of files.sort((a, b) => a.path.localeCompare(b.path))) {
    if (/\/mistakes?\//.test(f.path)) continue;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(f));
    if (/^contract\s/m.test(text)) return f;
  }
  return files[0];
}

export async function openExample(): Promise<vscode.TextEditor> {
  const uri = await findExample();
  if (uri) return vscode.window.showTextDocument(uri, { preview: false });
  const doc = await vscode.workspace.openTextDocument({ language: 'charter', content: EXAMPLE });
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** `npm start`: once a Charter editor is active, open the graph beside it. */
export function openGraphOnStart(openGraph: () => Promise<void>): vscode.Disposable | undefined {
  if (process.env.CHARTER_START_GRAPH !== '1') return undefined;
  let done = false;
  const go = (e: vscode.TextEditor | undefined) => {
    if (done || e?.document.languageId !== 'charter') return;
    done = true;
    sub.dispose();
    void openGraph();
  };
  const sub = vscode.window.onDidChangeActiveTextEditor(go);
  go(vscode.window.activeTextEditor);
  return sub;
}
