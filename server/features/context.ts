// What a feature handler gets: the current analysis (fresh for the current
// text of every document), syntax trees, texts, line indexes and settings.
// Handlers run in the analysis worker; they return LSP-shaped results.

import type { Analysis, AttrValue, FileAst, LineIndex, Model } from '../../grammar/index';
import { contextFrom } from '../../grammar/services/access';
import type { CharterSettings, ContextSource, ContextValues } from '../protocol';
import { ResponseError } from 'vscode-languageserver/node';

export interface FeatureContext {
  /** The analysis of the current texts (runs one first when an edit is pending). */
  analysis(): Analysis;
  /** The syntax tree of a document's current text, without waiting for an analysis. */
  ast(uri: string): FileAst | undefined;
  text(uri: string): string | undefined;
  lines(uri: string): LineIndex;
  /** Canonical spelling of a URI (the model's file key). */
  key(uri: string): string;
  settings(): CharterSettings;
  /**
   * The current simulation context, as given (not yet checked against the
   * schema): the one the user chose in the editor, else the
   * `charter.simulation.context` setting when it sets anything, else
   * `simulation.context` of charter.json.
   */
  simulationContext(): SimulationContextInfo;
  /** Is the document part of the model (matched by charter.json)? */
  inModel(uri: string): boolean;
  /** Has the client cancelled this request? */
  cancelled(): boolean;
  /** Shows a message in the editor. */
  notify(level: 'info' | 'warning' | 'error', message: string): void;
  /** Whether the client wants commands that only VS Code knows (retrigger suggest). */
  vscode: boolean;
  /** The workspace folders (absolute paths) and the date the analysis uses (waiver expiry). */
  roots(): string[];
  today(): string;
}

export interface Feature<P = any, R = unknown> {
  method: string;
  /** Needs the model (waits for a pending analysis); syntax-only features do not. */
  model: boolean;
  run(ctx: FeatureContext, params: P): R;
}

export const ErrorCodes = {
  InvalidParams: -32602,
  InternalError: -32603,
  RequestCancelled: -32800,
  ContentModified: -32801,
  RequestFailed: -32803,
} as const;

export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

export function requestFailed(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.RequestFailed, message);
}

/** `params.textDocument.uri`, or an InvalidParams error. */
export function docUri(params: unknown): string {
  const uri = (params as { textDocument?: { uri?: unknown } })?.textDocument?.uri;
  if (typeof uri !== 'string' || !uri) throw invalidParams('textDocument.uri is missing');
  return uri;
}

export interface SimulationContextInfo {
  current: ContextValues;
  source: ContextSource;
  /** What the current context is when none is chosen. */
  workspace: ContextValues;
  workspaceSource: Exclude<ContextSource, 'chosen'>;
}

/** The workspace default: the setting when it sets anything, else charter.json's. */
export function workspaceContext(settings: CharterSettings, config: ContextValues | undefined): { values: ContextValues; source: Exclude<ContextSource, 'chosen'> } {
  const setting = settings.simulation?.context;
  if (setting && typeof setting === 'object' && Object.keys(setting).length) return { values: setting, source: 'setting' };
  if (config && Object.keys(config).length) return { values: config, source: 'charter.json' };
  return { values: {}, source: 'none' };
}

/** The context a request asks for, or the current simulation context. */
export function requestContext(ctx: FeatureContext, model: Model, raw: ContextValues | undefined): { context: Map<string, AttrValue>; errors: string[] } {
  return contextFrom(model, raw ?? ctx.simulationContext().current);
}

export function contextObject(context: ReadonlyMap<string, AttrValue>): ContextValues {
  return Object.fromEntries(context);
}
