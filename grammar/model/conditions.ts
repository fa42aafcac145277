// Static checks of conditions (`when ...`, `rows where ...`): every
// attribute exists in its schema, comparisons are between compatible types,
// enum values are among the declared ones, conditions are boolean.

import type * as A from '../ast';
import type { BuildContext } from './context';
import { RESOURCE_ATTRIBUTES, type AttributeSym, type ContractSym } from './types';
import { isRealDate } from './check-decls';

/** The static type of an expression. */
export type ExprType =
  | { t: 'string' | 'number' | 'bool' | 'date' | 'duration' | 'unknown' }
  | { t: 'enum'; values: string[]; attr: string }
  | { t: 'list'; of: ExprType };

const UNKNOWN: ExprType = { t: 'unknown' };

export interface ConditionEnv {
  file: string;
  /** Contracts whose columns a row filter may name; undefined in `when` conditions. */
  columns?: ContractSym[];
}

export function fieldTypeToExprType(type: string): ExprType {
  if (type.startsWith('list<')) return { t: 'list', of: fieldTypeToExprType(type.slice(5, -1)) };
  switch (type) {
    case 'int':
    case 'decimal':
      return { t: 'number' };
    case 'bool':
      return { t: 'bool' };
    case 'date':
    case 'timestamp':
      return { t: 'date' };
    case 'string':
    case 'uuid':
      return { t: 'string' };
  }
  return UNKNOWN;
}

export function attrType(a: AttributeSym): ExprType {
  const ty = a.type;
  if (ty.kind === 'enum') return { t: 'enum', values: ty.values.map((v) => v.value), attr: `${a.scope}.${a.name}` };
  if (ty.kind === 'string' || ty.kind === 'number' || ty.kind === 'bool' || ty.kind === 'date') return { t: ty.kind };
  return UNKNOWN;
}

function describe(t: ExprType): string {
  if (t.t === 'enum') return `one of ${t.values.map((v) => JSON.stringify(v)).join(' | ')}`;
  if (t.t === 'list') return `a list`;
  return t.t;
}

function literalType(l: A.Literal): ExprType {
  switch (l.kind) {
    case 'string':
      return { t: 'string' };
    case 'number':
    case 'percent':
      return { t: 'number' };
    case 'bool':
      return { t: 'bool' };
    case 'date':
      return { t: 'date' };
    case 'duration':
      return { t: 'duration' };
    case 'list':
      return { t: 'list', of: l.items.length ? literalType(l.items[0]) : UNKNOWN };
    default:
      return { t: 'string' };
  }
}

export function checkCondition(ctx: BuildContext, expr: A.Expr, env: ConditionEnv): void {
  const t = typeOf(ctx, expr, env);
  if (t.t !== 'bool' && t.t !== 'unknown') {
    ctx.error(env.file, expr.range, 'type-mismatch', `a condition must be true or false, but this is ${describe(t)}`);
  }
}

function checkLiteral(ctx: BuildContext, l: A.Literal, env: ConditionEnv): void {
  if (l.kind === 'date' && !isRealDate(l.value)) ctx.error(env.file, l.range, 'invalid-value', `${l.value} is not a date in the calendar`);
  if (l.kind === 'list') for (const i of l.items) checkLiteral(ctx, i, env);
}

/** A list's element type; every item must agree (CEL lists are homogeneous). */
function listOf(ctx: BuildContext, items: { t: ExprType; range: A.Range }[], env: ConditionEnv): ExprType {
  const first = items.find((i) => i.t.t !== 'unknown');
  for (const i of items) {
    if (first && !comparable(first.t, i.t)) {
      ctx.error(env.file, i.range, 'type-mismatch', `a list holds values of one type: this is ${describe(i.t)}, the list holds ${describe(first.t)}`);
      break;
    }
  }
  return { t: 'list', of: first?.t ?? UNKNOWN };
}

function typeOf(ctx: BuildContext, e: A.Expr, env: ConditionEnv): ExprType {
  switch (e.kind) {
    case 'literal':
      checkLiteral(ctx, e.value, env);
      if (e.value.kind === 'list') return listOf(ctx, e.value.items.map((i) => ({ t: literalType(i), range: i.range })), env);
      return literalType(e.value);
    case 'list':
      return listOf(ctx, e.items.map((i) => ({ t: typeOf(ctx, i, env), range: i.range })), env);
    case 'has':
      refType(ctx, e.path, env, true);
      return { t: 'bool' };
    case 'ref':
      return refType(ctx, e.path, env, false);
    case 'not': {
      expectBool(ctx, e.operand, typeOf(ctx, e.operand, env), env, "'not'");
      return { t: 'bool' };
    }
    case 'binary': {
      if (e.op === 'and' || e.op === 'or') {
        expectBool(ctx, e.left, typeOf(ctx, e.left, env), env, `'${e.op}'`);
        expectBool(ctx, e.right, typeOf(ctx, e.right, env), env, `'${e.op}'`);
        return { t: 'bool' };
      }
      const l = typeOf(ctx, e.left, env);
      const r = typeOf(ctx, e.right, env);
      checkComparison(ctx, e, l, r, env);
      return { t: 'bool' };
    }
  }
}

function expectBool(ctx: BuildContext, e: A.Expr, t: ExprType, env: ConditionEnv, op: string): void {
  if (t.t !== 'bool' && t.t !== 'unknown') ctx.error(env.file, e.range, 'type-mismatch', `${op} needs true/false operands, but this is ${describe(t)}`);
}

function comparable(a: ExprType, b: ExprType): boolean {
  if (a.t === 'unknown' || b.t === 'unknown') return true;
  const base = (x: ExprType) => (x.t === 'enum' ? 'string' : x.t);
  return base(a) === base(b);
}

function checkEnumValue(ctx: BuildContext, enumT: ExprType & { t: 'enum' }, other: A.Expr, env: ConditionEnv): void {
  const lits: A.Literal[] = [];
  if (other.kind === 'literal') {
    if (other.value.kind === 'list') lits.push(...other.value.items);
    else lits.push(other.value);
  } else if (other.kind === 'list') {
    for (const i of other.items) if (i.kind === 'literal') lits.push(i.value);
  }
  for (const l of lits) {
    if (l.kind === 'string' && !enumT.values.includes(l.value)) {
      ctx.error(env.file, l.range, 'bad-enum-value', `"${l.value}" is not a value of ${enumT.attr}: expected ${enumT.values.map((v) => JSON.stringify(v)).join(' | ')}`, {
        data: { values: enumT.values },
      });
    }
  }
}

function checkComparison(ctx: BuildContext, e: A.Expr & { kind: 'binary' }, l: ExprType, r: ExprType, env: ConditionEnv): void {
  if (e.op === 'in') {
    if (r.t !== 'list' && r.t !== 'unknown') {
      ctx.error(env.file, e.right.range, 'type-mismatch', `'in' needs a list on its right, but this is ${describe(r)}`);
      return;
    }
    if (r.t === 'list' && !comparable(l, r.of)) {
      ctx.error(env.file, e.range, 'type-mismatch', `cannot look for ${describe(l)} in a list of ${describe(r.of)}`);
      return;
    }
    if (l.t === 'enum') checkEnumValue(ctx, l, e.right, env);
    return;
  }
  if (!comparable(l, r)) {
    ctx.error(env.file, e.range, 'type-mismatch', `cannot compare ${describe(l)} with ${describe(r)}`);
    return;
  }
  if (e.op !== '==' && e.op !== '!=') {
    const ordered = (x: ExprType) => x.t === 'number' || x.t === 'date' || x.t === 'duration' || x.t === 'unknown';
    if (!ordered(l) || !ordered(r)) {
      ctx.error(env.file, e.range, 'type-mismatch', `'${e.op}' compares numbers, dates or durations, not ${describe(ordered(l) ? r : l)}`);
      return;
    }
  }
  if (l.t === 'enum') checkEnumValue(ctx, l, e.right, env);
  if (r.t === 'enum') checkEnumValue(ctx, r, e.left, env);
}

function refType(ctx: BuildContext, q: A.QName, env: ConditionEnv, inHas: boolean): ExprType {
  const m = ctx.model;
  const [head, ...rest] = q.parts;
  const scope = head.text;
  if ((scope === 'subject' || scope === 'context') && rest.length) {
    const schema = scope === 'subject' ? m.subjectSchema : m.contextSchema;
    const attr = rest[0];
    const sym = schema.get(attr.text);
    if (!sym) {
      ctx.unknown(env.file, attr, schema.keys(), `${scope} attribute`, 'unknown-attribute');
      return UNKNOWN;
    }
    ctx.ref(env.file, attr.range, sym);
    if (rest.length > 1) ctx.error(env.file, q.range, 'unknown-attribute', `${scope}.${attr.text} has no parts: write ${scope}.${attr.text}`);
    return attrType(sym);
  }
  if (scope === 'resource' && inHas) {
    ctx.error(env.file, q.range, 'unknown-attribute', `has() takes subject.X or context.X; resource attributes are always present`);
    return UNKNOWN;
  }
  if (scope === 'resource' && rest.length) {
    const attr = rest[0].text;
    if (!(RESOURCE_ATTRIBUTES as readonly string[]).includes(attr)) {
      ctx.unknown(env.file, rest[0], RESOURCE_ATTRIBUTES, 'resource attribute', 'unknown-attribute');
      return UNKNOWN;
    }
    return attr === 'tags' ? { t: 'list', of: { t: 'string' } } : { t: 'string' };
  }
  if (inHas) {
    ctx.error(env.file, q.range, 'unknown-attribute', `has() takes subject.X or context.X, not '${q.text}'`);
    return UNKNOWN;
  }
  // A bare name: a column of the target contract, only in row filters.
  if (!env.columns) {
    ctx.error(env.file, q.range, 'unknown-attribute', `'${q.text}' is not an attribute: write subject.${q.text} or context.${q.text} (bare column names are only allowed in 'rows where')`);
    return UNKNOWN;
  }
  if (q.parts.length > 1) {
    ctx.error(env.file, q.range, 'unknown-attribute', `'${q.text}' is not an attribute: use subject.X, context.X, resource.X or a column name`);
    return UNKNOWN;
  }
  if (!env.columns.length) return UNKNOWN;
  const found = env.columns.map((c) => c.fields.get(scope)).filter((f) => f !== undefined);
  if (!found.length) {
    const all = new Set<string>();
    for (const c of env.columns) for (const k of c.fields.keys()) all.add(k);
    ctx.unknown(env.file, head, all, `column`, 'unknown-field');
    return UNKNOWN;
  }
  for (const f of found) ctx.ref(env.file, head.range, f!);
  return fieldTypeToExprType(found[0]!.type);
}
