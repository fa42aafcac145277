// Evaluating conditions with CEL's three-valued logic: true, false or
// error (an attribute the principal or the context lacks). Row filters are
// evaluated partially: subject/context/resource are substituted, columns stay.

import type * as A from '../ast';
import type { AttrValue } from '../model/types';

export const ERROR = Symbol('error');
export type Tri = boolean | typeof ERROR;

type Value = AttrValue | AttrValue[] | typeof ERROR;

export interface EvalEnv {
  subject: ReadonlyMap<string, AttrValue>;
  context: ReadonlyMap<string, AttrValue>;
  resource: { domain: string; owner: string; tags: string[]; name: string };
}

function literalValue(l: A.Literal): AttrValue | AttrValue[] {
  switch (l.kind) {
    case 'list':
      return l.items.map((i) => literalValue(i) as AttrValue);
    case 'duration':
    case 'percent':
    case 'number':
      return l.value;
    case 'bool':
      return l.value;
    default:
      return l.value;
  }
}

function refValue(path: A.QName, env: EvalEnv): Value {
  const [head, attr] = path.parts.map((p) => p.text);
  if (head === 'subject' && attr !== undefined) return env.subject.has(attr) ? env.subject.get(attr)! : ERROR;
  if (head === 'context' && attr !== undefined) return env.context.has(attr) ? env.context.get(attr)! : ERROR;
  if (head === 'resource' && attr !== undefined) {
    const r = env.resource as unknown as Record<string, AttrValue | AttrValue[]>;
    return attr in r ? r[attr] : ERROR;
  }
  return ERROR; // a column outside a row filter, or an unknown name
}

function value(e: A.Expr, env: EvalEnv): Value {
  switch (e.kind) {
    case 'literal':
      return literalValue(e.value);
    case 'list': {
      const out: AttrValue[] = [];
      for (const i of e.items) {
        const v = value(i, env);
        if (v === ERROR || Array.isArray(v)) return ERROR;
        out.push(v);
      }
      return out;
    }
    case 'ref':
      return refValue(e.path, env);
    default: {
      const t = evaluate(e, env);
      return t;
    }
  }
}

function compare(op: A.CompareOp, l: Value, r: Value): Tri {
  if (l === ERROR || r === ERROR) return ERROR;
  if (op === 'in') {
    if (!Array.isArray(r) || Array.isArray(l)) return ERROR;
    return r.includes(l);
  }
  if (Array.isArray(l) || Array.isArray(r)) {
    if (op === '==' || op === '!=') {
      const eq = Array.isArray(l) && Array.isArray(r) && l.length === r.length && l.every((x, i) => x === r[i]);
      return op === '==' ? eq : !eq;
    }
    return ERROR;
  }
  if (typeof l !== typeof r) return ERROR; // CEL: no implicit conversions
  return compareScalars(op, l, r);
}

/** An ordering or equality between two values of the same type (the Cedar export folds constants with it too). */
export function compareScalars(op: Exclude<A.CompareOp, 'in'>, l: AttrValue, r: AttrValue): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
}

/** Evaluates a condition to true, false or ERROR. */
export function evaluate(e: A.Expr, env: EvalEnv): Tri {
  switch (e.kind) {
    case 'has': {
      const [head, attr] = e.path.parts.map((p) => p.text);
      if (head === 'subject') return env.subject.has(attr);
      if (head === 'context') return env.context.has(attr);
      return false;
    }
    case 'not': {
      const v = evaluate(e.operand, env);
      return v === ERROR ? ERROR : !v;
    }
    case 'binary': {
      if (e.op === 'and') {
        const l = evaluate(e.left, env);
        if (l === false) return false;
        const r = evaluate(e.right, env);
        if (r === false) return false;
        return l === ERROR || r === ERROR ? ERROR : true;
      }
      if (e.op === 'or') {
        const l = evaluate(e.left, env);
        if (l === true) return true;
        const r = evaluate(e.right, env);
        if (r === true) return true;
        return l === ERROR || r === ERROR ? ERROR : false;
      }
      return compare(e.op, value(e.left, env), value(e.right, env));
    }
    case 'literal':
    case 'ref': {
      const v = value(e, env);
      return typeof v === 'boolean' ? v : ERROR;
    }
    case 'list':
      return ERROR;
  }
}

// ------------------------------------------------------------ row filters

function show(v: AttrValue | AttrValue[]): string {
  if (Array.isArray(v)) return '[' + v.map(show).join(', ') + ']';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function mentionsColumn(e: A.Expr): boolean {
  switch (e.kind) {
    case 'ref':
      return !['subject', 'context', 'resource'].includes(e.path.parts[0].text) || e.path.parts.length === 1;
    case 'binary':
      return mentionsColumn(e.left) || mentionsColumn(e.right);
    case 'not':
      return mentionsColumn(e.operand);
    case 'list':
      return e.items.some(mentionsColumn);
    default:
      return false;
  }
}

/**
 * A row filter with subject, context and resource substituted: `country ==
 * "EU"`; `true` when it keeps every row, `false` when it keeps none (also
 * when an attribute is missing: fail closed).
 */
export function residualFilter(e: A.Expr, env: EvalEnv): string {
  const r = residual(e, env);
  if (r === ERROR) return 'false';
  return typeof r === 'boolean' ? String(r) : r;
}

function residual(e: A.Expr, env: EvalEnv): Tri | string {
  if (!mentionsColumn(e)) return evaluate(e, env);
  switch (e.kind) {
    case 'ref':
      return e.path.text;
    case 'not': {
      const v = residual(e.operand, env);
      if (v === ERROR) return ERROR;
      return typeof v === 'boolean' ? !v : `not ${wrap(v)}`;
    }
    case 'binary': {
      if (e.op === 'and' || e.op === 'or') {
        const l = residual(e.left, env);
        const r = residual(e.right, env);
        if (e.op === 'and') {
          if (l === false || r === false) return false;
          if (l === ERROR || r === ERROR) return ERROR;
          if (l === true) return r;
          if (r === true) return l;
          return `${wrap(l as string)} and ${wrap(r as string)}`;
        }
        if (l === true || r === true) return true;
        if (l === ERROR || r === ERROR) return ERROR;
        if (l === false) return r;
        if (r === false) return l;
        return `(${l} or ${r})`;
      }
      const side = (x: A.Expr): string | typeof ERROR => {
        if (mentionsColumn(x)) return x.kind === 'ref' ? x.path.text : (residual(x, env) as string);
        const v = value(x, env);
        return v === ERROR ? ERROR : show(v);
      };
      const l = side(e.left);
      const r = side(e.right);
      if (l === ERROR || r === ERROR) return ERROR;
      return `${l} ${e.op} ${r}`;
    }
    case 'list': {
      const parts: string[] = [];
      for (const i of e.items) {
        const v = residual(i, env);
        if (v === ERROR) return ERROR;
        parts.push(typeof v === 'string' ? v : String(v));
      }
      return `[${parts.join(', ')}]`;
    }
    default:
      return evaluate(e, env);
  }
}

function wrap(s: string): string {
  return / or /.test(s) && !s.startsWith('(') ? `(${s})` : s;
}

/** The attributes of one scope (`subject`, `context`) a condition mentions; with `hasOnly`, only inside has(). */
function attributesOf(e: A.Expr | undefined, scope: string, hasOnly: boolean, out: Set<string>): Set<string> {
  if (!e) return out;
  switch (e.kind) {
    case 'ref':
    case 'has':
      if ((e.kind === 'has' || !hasOnly) && e.path.parts[0].text === scope && e.path.parts[1]) out.add(e.path.parts[1].text);
      break;
    case 'binary':
      attributesOf(e.left, scope, hasOnly, out);
      attributesOf(e.right, scope, hasOnly, out);
      break;
    case 'not':
      attributesOf(e.operand, scope, hasOnly, out);
      break;
    case 'list':
      for (const i of e.items) attributesOf(i, scope, hasOnly, out);
      break;
  }
  return out;
}

/** Every `context.X` a condition reads. */
export function contextAttributes(e: A.Expr | undefined, out = new Set<string>()): Set<string> {
  return attributesOf(e, 'context', false, out);
}

/** Every `context.X` a condition tests with `has()` (where unset can grant more than set). */
export function contextHasAttributes(e: A.Expr | undefined, out = new Set<string>()): Set<string> {
  return attributesOf(e, 'context', true, out);
}

/** Every `subject.X` a condition reads. */
export function subjectAttributes(e: A.Expr | undefined, out = new Set<string>()): Set<string> {
  return attributesOf(e, 'subject', false, out);
}
