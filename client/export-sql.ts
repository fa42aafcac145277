// "Charter: Export Enforcement SQL…": picks an engine, asks the server for
// `charter export <engine>` over the workspace (charter/exportSql) and opens
// the script in an untitled SQL editor. Refusals (errors in the model, a
// construct the engine cannot express) are shown instead, never a partial script.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CharterMethods, type ExportSqlParams, type ExportSqlResult, type SqlEngineName } from '../server/protocol';

const ENGINES: (vscode.QuickPickItem & { engine: SqlEngineName })[] = [
  { label: 'PostgreSQL', description: 'views, roles, session settings', engine: 'postgres' },
  { label: 'Snowflake', description: 'masking and row access policies, roles (generated, not executed by Charter)', engine: 'snowflake' },
  { label: 'Databricks', description: 'Unity Catalog column masks and row filters (generated, not executed by Charter)', engine: 'databricks' },
];

export function registerExportSql(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, log: (line: string) => void): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('charter.exportSql', async (engineArg?: SqlEngineName) => {
      const c = client();
      if (!c) return void vscode.window.showWarningMessage('Charter: the language server is not running.');
      const engine = engineArg ?? (await vscode.window.showQuickPick(ENGINES, { title: 'Charter: Export Enforcement SQL', placeHolder: 'Which engine enforces the policies?' }))?.engine;
      if (!engine) return undefined;
      const result = await c.sendRequest<ExportSqlResult>(CharterMethods.exportSql, { engine } satisfies ExportSqlParams);
      if (result.errors.length) {
        for (const e of result.errors) log(`export ${engine}: ${e}`);
        const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more in the Charter output)` : '';
        void vscode.window.showErrorMessage(`Charter: nothing exported: ${result.errors[0]}${more}`);
        return result;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: result.script });
      await vscode.window.showTextDocument(doc, { preview: false });
      const said = [...(result.skipped.length ? [`skipped ${result.skipped.length} contract${result.skipped.length === 1 ? '' : 's'} without a ${engine} source`] : []), ...result.notes];
      for (const s of [...result.skipped.map((x) => `skipped ${x}`), ...result.notes]) log(`export ${engine}: ${s}`);
      if (said.length) void vscode.window.showInformationMessage(`Charter: ${said.join('; ')}.`);
      return result;
    }),
  );
}
