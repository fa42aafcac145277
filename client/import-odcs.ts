// "Charter: Import ODCS Contract…": turns the open (or chosen) *.odcs.yaml
// file into a .charter file next to it and opens it. The mapping is the CLI's
// (grammar/interop/odcs-import.ts) with everything in one file; groups,
// classifications and domains the workspace already declares (charter.json
// governance folders included) are reused, not declared again. What has no
// Charter equivalent is listed in the Charter output channel. Opening an
// .odcs.yaml file offers the import once per file.

import * as vscode from 'vscode';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { emptyKnownNames, knownNames, type KnownNames } from '../grammar/interop/known-names';
import { importOdcs, IMPORT_MARK, type ImportNote } from '../grammar/interop/odcs-import';
import { parseYaml } from '../grammar/interop/yaml';
import { loadWorkspace } from '../host/workspace';

export const IMPORT_ODCS_COMMAND = 'charter.importOdcs';
const ODCS_FILE = /\.odcs\.ya?ml$/i;

export function registerImportOdcs(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  context.subscriptions.push(vscode.commands.registerCommand(IMPORT_ODCS_COMMAND, (uri?: vscode.Uri) => importOdcsFile(uri, output)));
  const offered = new Set<string>();
  const offer = (e: vscode.TextEditor | undefined) => {
    const doc = e?.document;
    if (!doc || doc.uri.scheme !== 'file' || !ODCS_FILE.test(doc.fileName) || offered.has(doc.uri.toString())) return;
    offered.add(doc.uri.toString());
    void vscode.window.showInformationMessage(`${path.basename(doc.fileName)} is an ODCS data contract.`, 'Import ODCS Contract…').then((choice) => {
      if (choice) void vscode.commands.executeCommand(IMPORT_ODCS_COMMAND, doc.uri);
    });
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(offer));
  offer(vscode.window.activeTextEditor);
}

function known(folder: vscode.WorkspaceFolder | undefined, except: string): KnownNames {
  if (!folder || folder.uri.scheme !== 'file') return emptyKnownNames();
  try {
    const ws = loadWorkspace(folder.uri.fsPath);
    return knownNames(ws.files.filter((f) => path.resolve(f.path) !== except).map((f) => ({ uri: path.relative(ws.root, f.path), text: f.text })));
  } catch {
    return emptyKnownNames();
  }
}

function line(n: ImportNote): string {
  return `  ${n.file}:${n.line}  ${n.path}: ${n.message}`;
}

/** Imports `uri` (default: the active editor's file); returns the written .charter file. */
export async function importOdcsFile(uri: vscode.Uri | undefined, output: vscode.OutputChannel): Promise<vscode.Uri | undefined> {
  uri ??= vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Charter: open an ODCS data contract (.odcs.yaml) to import it.');
    return undefined;
  }
  const file = uri.fsPath;
  const name = path.basename(file);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri!.toString());
  let text: string;
  try {
    text = open ? open.getText() : readFileSync(file, 'utf8');
  } catch (e) {
    void vscode.window.showErrorMessage(`Charter: cannot read ${name}: ${(e as Error).message}`);
    return undefined;
  }
  const y = parseYaml(text.replace(/^\uFEFF/, ''));
  if (y.errors.length) {
    const e = y.errors[0];
    void vscode.window.showErrorMessage(`Charter: ${name}:${e.line}:${e.column}: invalid YAML: ${e.message}`);
    return undefined;
  }
  const dest = path.join(path.dirname(file), name.replace(/(\.odcs)?\.ya?ml$/i, '') + '.charter');
  if (existsSync(dest) && !readFileSync(dest, 'utf8').replace(/^\uFEFF/, '').startsWith(`# ${IMPORT_MARK}`)) {
    const choice = await vscode.window.showWarningMessage(`${path.basename(dest)} exists and was not written by Charter's import. Overwrite it?`, { modal: true }, 'Overwrite');
    if (choice !== 'Overwrite') return undefined;
  }
  const r = importOdcs([{ file: name, docs: y.docs }], { known: known(vscode.workspace.getWorkspaceFolder(uri), dest), single: path.basename(dest) });
  if (r.errors.length) {
    const e = r.errors[0];
    void vscode.window.showErrorMessage(`Charter: ${e.file}:${e.line}: ${e.message}`);
    return undefined;
  }
  const target = vscode.Uri.file(dest);
  await vscode.workspace.fs.writeFile(target, Buffer.from(r.files[0].text, 'utf8'));
  output.appendLine(`Imported ${name} → ${path.basename(dest)}: ${r.contracts} contract${r.contracts === 1 ? '' : 's'}, ${r.fields} field${r.fields === 1 ? '' : 's'}`);
  for (const [title, notes] of [['renamed or converted', r.renamed], ['not imported: no Charter equivalent', r.notImported], ['problems', r.problems]] as const) {
    if (!notes.length) continue;
    output.appendLine(`${title} (${notes.length}):`);
    for (const n of notes) output.appendLine(line(n));
  }
  await vscode.window.showTextDocument(target);
  const left = r.notImported.length + r.problems.length;
  void vscode.window.showInformationMessage(
    `Charter: imported ${r.contracts} contract${r.contracts === 1 ? '' : 's'} into ${path.basename(dest)}${left ? `; ${r.notImported.length} part${r.notImported.length === 1 ? ' has' : 's have'} no Charter equivalent${r.problems.length ? `, ${r.problems.length} could not be kept as written` : ''}` : ''}.`,
    ...(left ? ['Show List'] : []),
  ).then((c) => c && output.show(true));
  return target;
}
