// Messages between the LSP thread (main) and the analysis worker.

import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { FileDiagnostics } from './diagnostics';
import type { CharterSettings, ContextValues, StatusParams } from './protocol';

export type ToWorker =
  | { t: 'init'; roots: string[]; settings: CharterSettings; today?: string; vscode: boolean }
  | { t: 'roots'; roots: string[] }
  | { t: 'settings'; settings: CharterSettings }
  /** The context the user chose in the editor; null: back to the workspace default. */
  | { t: 'context'; context: ContextValues | null }
  | { t: 'open'; uri: string; text: string; version: number }
  | { t: 'change'; uri: string; version: number; changes: TextDocumentContentChangeEvent[] }
  | { t: 'close'; uri: string }
  | { t: 'files'; events: { uri: string; type: 'created' | 'changed' | 'deleted' }[] }
  | { t: 'req'; id: number; method: string; params: unknown }
  | { t: 'cancel'; id: number };

export type FromWorker =
  | { t: 'res'; id: number; result?: unknown; error?: { code: number; message: string } }
  | { t: 'diags'; items: FileDiagnostics[] }
  /** The CompletionIndex as JSON. */
  | { t: 'index'; json: string }
  | { t: 'status'; status: StatusParams }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { t: 'show'; level: 'info' | 'warning' | 'error'; message: string }
  | { t: 'watch'; dirs: string[] }
  | { t: 'busy'; busy: boolean };
