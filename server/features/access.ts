// Custom requests over the evaluator: charter/whoCanSee, charter/simulate,
// charter/simulationOptions.

import type { FieldSym } from '../../grammar/index';
import { contextFrom, countDecisions, simulate as simulateFields, whoCanSee as rows } from '../../grammar/services/access';
import { symbolAt } from '../../grammar/services/locate';
import { closest } from '../../grammar/index';
import type { SimulateParams, SimulateResult, SimulationOptionsResult, WhoCanSeeParams, WhoCanSeeResult } from '../protocol';
import { CharterMethods } from '../protocol';
import { toOffset, toRange } from '../convert';
import { contextObject, invalidParams, requestContext, requestFailed, type Feature, type FeatureContext } from './context';

function fieldFor(ctx: FeatureContext, params: WhoCanSeeParams): FieldSym {
  const model = ctx.analysis().model;
  if (typeof params?.field === 'string') {
    const f = model.fields.get(params.field);
    if (!f) {
      const guess = closest(params.field, model.fields.keys());
      throw requestFailed(`unknown field '${params.field}'${guess ? `; did you mean '${guess}'?` : ''}`);
    }
    return f;
  }
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string') throw invalidParams('give a field name, or textDocument and position');
  const key = ctx.key(uri);
  if (!model.files.has(key)) throw requestFailed('This file is not part of the Charter workspace.');
  const hit = symbolAt(model, key, toOffset(ctx.lines(key), params.position));
  if (!hit || hit.sym.kind !== 'field') throw requestFailed('Put the cursor on a field (its declaration or a reference to it).');
  return hit.sym;
}

export const whoCanSee: Feature<WhoCanSeeParams, WhoCanSeeResult> = {
  method: CharterMethods.whoCanSee,
  model: true,
  run(ctx, params) {
    const field = fieldFor(ctx, params);
    const model = ctx.analysis().model;
    const { context, errors } = requestContext(ctx, model, params?.context);
    const results = rows(model, field, context);
    return {
      field: field.qname,
      location: { uri: field.loc.file, range: toRange(ctx.lines(field.loc.file), field.loc.range) },
      context: contextObject(context),
      contextErrors: errors,
      counts: countDecisions(results),
      results: results.map((r) => ({
        ...r,
        reasons: r.reasons.map((x) => ({ policy: x.policy, effect: x.effect, text: x.text, failedClosed: x.failedClosed, location: { uri: x.file, range: toRange(ctx.lines(x.file), x.range) } })),
      })),
    };
  },
};

export const simulate: Feature<SimulateParams, SimulateResult> = {
  method: CharterMethods.simulate,
  model: true,
  run(ctx, params) {
    if (typeof params?.principal !== 'string') throw invalidParams('principal is missing');
    const model = ctx.analysis().model;
    const p = model.principals.get(params.principal);
    if (!p) {
      const guess = closest(params.principal, model.principals.keys());
      throw requestFailed(`unknown principal '${params.principal}'${guess ? `; did you mean '${guess}'?` : ''}`);
    }
    const { context, errors } = requestContext(ctx, model, params.context);
    const files = Array.isArray(params.uris) ? new Set(params.uris.filter((u) => typeof u === 'string').map((u) => ctx.key(u))) : undefined;
    return {
      principal: p.name,
      context: contextObject(context),
      contextErrors: errors,
      fields: simulateFields(model, p, context, files).map((f) => ({
        uri: f.file,
        range: toRange(ctx.lines(f.file), f.range),
        qname: f.qname,
        decision: f.decision,
        mask: f.mask,
        rows: f.rows,
        summary: f.summary,
      })),
    };
  },
};

export const simulationOptions: Feature<unknown, SimulationOptionsResult> = {
  method: CharterMethods.simulationOptions,
  model: true,
  run(ctx) {
    const model = ctx.analysis().model;
    const info = ctx.simulationContext();
    const { context, errors } = contextFrom(model, info.current);
    return {
      principals: [...model.principals.values()].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ name: p.name, service: p.service, groups: [...p.groups].sort() })),
      context: [...model.contextSchema.values()].map((a) => ({ name: a.name, type: a.type.kind, values: a.type.kind === 'enum' ? a.type.values.map((v) => v.value) : undefined })),
      defaultContext: contextObject(context),
      contextSource: info.source,
      workspaceContext: contextObject(contextFrom(model, info.workspace).context),
      workspaceContextSource: info.workspaceSource,
      contextErrors: errors,
    };
  },
};
