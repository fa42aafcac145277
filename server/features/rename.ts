// textDocument/prepareRename and textDocument/rename: across files; invalid
// or taken names are refused with a message (an LSP error the editor shows).

import type { PrepareRenameParams, Range, RenameParams, WorkspaceEdit } from 'vscode-languageserver';
import { prepareRename as prepare, renameEdits } from '../../grammar/services/rename';
import { toOffset, toRange } from '../convert';
import { docUri, invalidParams, requestFailed, type Feature } from './context';

export const prepareRename: Feature<PrepareRenameParams, { range: Range; placeholder: string }> = {
  method: 'textDocument/prepareRename',
  model: true,
  run(ctx, params) {
    const uri = ctx.key(docUri(params));
    const model = ctx.analysis().model;
    if (!model.files.has(uri)) throw requestFailed('This file is not part of the Charter workspace.');
    const li = ctx.lines(uri);
    const p = prepare(model, uri, toOffset(li, params.position));
    if ('error' in p) throw requestFailed(p.error);
    return { range: toRange(li, p.range), placeholder: p.placeholder };
  },
};

export const rename: Feature<RenameParams, WorkspaceEdit> = {
  method: 'textDocument/rename',
  model: true,
  run(ctx, params) {
    const uri = ctx.key(docUri(params));
    if (typeof params.newName !== 'string') throw invalidParams('newName is missing');
    const model = ctx.analysis().model;
    if (!model.files.has(uri)) throw requestFailed('This file is not part of the Charter workspace.');
    const r = renameEdits(model, uri, toOffset(ctx.lines(uri), params.position), params.newName);
    if ('error' in r) throw requestFailed(r.error);
    const changes: WorkspaceEdit['changes'] = {};
    for (const e of r.edits) (changes[e.file] ??= []).push({ range: toRange(ctx.lines(e.file), e.range), newText: e.newText });
    return { changes };
  },
};
