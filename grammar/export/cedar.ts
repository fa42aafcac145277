// Translation of a Charter model to Cedar (https://www.cedarpolicy.com):
// policies, a schema and the entities (groups, principals, domains,
// contracts, classifications, fields). Pure: model in, text and JSON out.
//
// Charter and Cedar agree on "deny overrides allow" and "default deny", but
// not on errors: in Cedar a policy whose condition errors is skipped, while
// Charter's conditions are three-valued (true, false, error = a missing
// attribute) and fail closed (an erroring `deny` or `mask` matches, an
// erroring `allow` does not). So every condition C is compiled into two
// Cedar expressions that never error (each attribute access is guarded by
// `has`):
//   T(C)  "C is true"      and      F(C)  "C is false"
// and `allow ... when C` becomes `permit ... when { T(C) }`, `deny ... when C`
// becomes `forbid ... unless { F(C) }` (it matches when C is true or error).
// docs/cedar-export.md describes the mapping.

import type * as A from '../ast';
import { compareScalars, evaluate, ERROR } from '../evaluator/condition';
import { LineIndex } from '../text';
import { ACTIONS, MASK_METHODS, type AttrValue, type AttributeSym, type FieldSym, type Model, type PolicySym } from '../model/types';

export const CEDAR_NAMESPACE = 'Charter';
/** The actions of the exported schema: Charter's three access actions and two for masks and row filters. */
export const CEDAR_ACTIONS = [...ACTIONS, 'mask', 'rows'] as const;

export interface CedarEntityUid {
  type: string;
  id: string;
}

export type CedarValue = string | number | boolean | CedarValue[] | { __entity: CedarEntityUid } | { __extn: { fn: string; arg: string } } | { [k: string]: CedarValue };

export interface CedarEntity {
  uid: CedarEntityUid;
  attrs: Record<string, CedarValue>;
  parents: CedarEntityUid[];
}

/** One exported Cedar policy, for tools that want them apart (ids, the rule they come from). */
export interface CedarPolicy {
  /** Also the policy's `@id` annotation: `<policy>.<n>`, n the 1-based rule number. */
  id: string;
  policy: string;
  /** 0-based index of the rule in its Charter policy. */
  ruleIndex: number;
  kind: A.PolicyRule['kind'];
  effect: 'permit' | 'forbid';
  action: string;
  mask?: string;
  /** The row filter's Charter source text. */
  rows?: string;
  /** `file:line` of the rule. */
  source: string;
  /** The Cedar text of this policy (annotations included). */
  text: string;
}

export interface CedarExport {
  /** The whole policy set (policies.cedar). */
  policies: string;
  policyList: CedarPolicy[];
  /** Human-readable Cedar schema (schema.cedarschema). */
  schema: string;
  /** Entities JSON (entities.json). */
  entities: CedarEntity[];
  /** How Charter numbers are represented (CedarExportOptions.numbers). */
  numberType: 'Long' | 'decimal';
  /** Constructs that could not be translated exactly (never produced for a model without errors). */
  warnings: string[];
}

export interface CedarExportOptions {
  /** How a model file is shown in `@charter_source` (default: its URI as in the model). */
  fileName?: (uri: string) => string;
  /**
   * How Charter numbers become Cedar values. `decimal` (default) takes any
   * number with at most 4 decimal places, in the model and in request
   * contexts alike; `Long` reads better but only takes integers (a model
   * number that is not one is a warning; a request context must give integers).
   */
  numbers?: 'decimal' | 'Long';
}

const ENTITY = {
  group: `${CEDAR_NAMESPACE}::Group`,
  principal: `${CEDAR_NAMESPACE}::Principal`,
  domain: `${CEDAR_NAMESPACE}::Domain`,
  contract: `${CEDAR_NAMESPACE}::Contract`,
  tag: `${CEDAR_NAMESPACE}::Tag`,
  field: `${CEDAR_NAMESPACE}::Field`,
  action: `${CEDAR_NAMESPACE}::Action`,
};

export function principalUid(name: string): CedarEntityUid {
  return { type: ENTITY.principal, id: name };
}
export function fieldUid(qname: string): CedarEntityUid {
  return { type: ENTITY.field, id: qname };
}
export function actionUid(action: (typeof CEDAR_ACTIONS)[number]): CedarEntityUid {
  return { type: ENTITY.action, id: action };
}

// ------------------------------------------------------------ Cedar syntax

const CEDAR_RESERVED = new Set(['true', 'false', 'if', 'then', 'else', 'in', 'is', 'like', 'has', '__cedar', 'principal', 'action', 'resource', 'context']);

/** A Cedar string literal. */
export function cedarString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

function isIdent(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !CEDAR_RESERVED.has(name);
}

/** An attribute name in a schema record. */
function schemaAttr(name: string): string {
  return isIdent(name) ? name : cedarString(name);
}

function uidText(u: CedarEntityUid): string {
  return `${u.type}::${cedarString(u.id)}`;
}

/** Cedar expressions, folded as they are built so the output stays readable. */
type CE =
  | { k: 'bool'; v: boolean }
  | { k: 'and' | 'or'; xs: CE[] }
  | { k: 'not'; x: CE }
  | { k: 'rel'; op: string; l: CE; r: CE }
  | { k: 'has'; obj: string; attr: string }
  /** A primary: literal, attribute access, method call, entity, set or record. */
  | { k: 'prim'; s: string };

const TRUE: CE = { k: 'bool', v: true };
const FALSE: CE = { k: 'bool', v: false };
const bool = (v: boolean): CE => (v ? TRUE : FALSE);
const prim = (s: string): CE => ({ k: 'prim', s });

function prec(e: CE): number {
  switch (e.k) {
    case 'or':
      return 1;
    case 'and':
      return 2;
    case 'rel':
    case 'has':
      return 3;
    case 'not':
      return 4;
    default:
      return 5;
  }
}

function print(e: CE, min = 0): string {
  let s: string;
  switch (e.k) {
    case 'bool':
      s = String(e.v);
      break;
    case 'prim':
      s = e.s;
      break;
    case 'has':
      s = `${e.obj} has ${isIdent(e.attr) ? e.attr : cedarString(e.attr)}`;
      break;
    case 'rel':
      s = `${print(e.l, 4)} ${e.op} ${print(e.r, 4)}`;
      break;
    case 'not':
      s = `!${print(e.x, 4)}`;
      break;
    case 'and':
      s = e.xs.map((x) => print(x, 3)).join(' && ');
      break;
    case 'or':
      s = e.xs.map((x) => print(x, 3)).join(' || '); // `a && b || c` is valid, `(a && b) || c` reads better
      break;
  }
  return prec(e) < min ? `(${s})` : s;
}

function junction(k: 'and' | 'or', xs: CE[]): CE {
  const unit = k === 'and'; // and: true is the unit, false absorbs (or: the other way round)
  const out: CE[] = [];
  const seen = new Set<string>();
  const flat: CE[] = [];
  const stack = [...xs].reverse();
  while (stack.length) {
    const x = stack.pop()!;
    if (x.k === k) for (let i = x.xs.length - 1; i >= 0; i--) stack.push(x.xs[i]);
    else flat.push(x);
  }
  for (const x of flat) {
    if (x.k === 'bool') {
      if (x.v === unit) continue;
      return x;
    }
    const key = print(x);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(x);
  }
  if (!out.length) return bool(unit);
  return out.length === 1 ? out[0] : { k, xs: out };
}
const and = (...xs: CE[]): CE => junction('and', xs);
const or = (...xs: CE[]): CE => junction('or', xs);
function not(x: CE): CE {
  if (x.k === 'bool') return bool(!x.v);
  if (x.k === 'not') return x.x;
  if (x.k === 'rel' && (x.op === '==' || x.op === '!=')) return { ...x, op: x.op === '==' ? '!=' : '==' };
  return { k: 'not', x };
}
const rel = (op: string, l: CE, r: CE): CE => ({ k: 'rel', op, l, r });

/** Attribute access `obj.attr` (or `obj["a-b"]`). */
function access(obj: string, attr: string): CE {
  return prim(isIdent(attr) ? `${obj}.${attr}` : `${obj}[${cedarString(attr)}]`);
}

function call(recv: CE, method: string, arg: CE): CE {
  return prim(`${print(recv, 5)}.${method}(${print(arg)})`);
}

// ------------------------------------------------------------ translation

/** A scalar's JavaScript class in Charter's evaluator (values of different classes never compare). */
type Cls = 'string' | 'number' | 'boolean';
/** How a scalar is represented in Cedar. */
type Rep = 'String' | 'num' | 'Bool' | 'datetime';

interface Scalar {
  k: 'scalar';
  cls: Cls;
  rep: Rep;
  /** "This value is defined" (no missing attribute); never errors in Cedar. */
  def: CE;
  /** The value; safe to evaluate where `def` holds. */
  v: CE;
  /** Known at export time. */
  constant?: AttrValue;
}
/** A list; `nested` items (lists in lists) never equal anything. */
interface ListVal {
  k: 'list';
  def: CE;
  items: (Scalar | 'nested')[];
}
type Val = { k: 'err' } | Scalar | ListVal | { k: 'tags' };
const ERR: Val = { k: 'err' };

interface Tf {
  t: CE;
  f: CE;
}
const ERROR_TF: Tf = { t: FALSE, f: FALSE };

class Translator {
  readonly warnings: string[] = [];
  readonly numberType: 'Long' | 'decimal';

  constructor(readonly model: Model, numbers: 'decimal' | 'Long' = 'decimal') {
    this.numberType = numbers;
  }

  warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
  }

  /** A Charter value as a Cedar literal of its attribute's representation. */
  literal(v: AttrValue, rep: Rep): CE {
    switch (rep) {
      case 'String':
        return prim(cedarString(String(v)));
      case 'Bool':
        return bool(v === true);
      case 'datetime':
        if (!isCalendarDate(String(v))) this.warn(`${v} is not a calendar date: Cedar's datetime() refuses it`);
        return prim(`datetime(${cedarString(String(v))})`);
      case 'num': {
        const n = v as number;
        if (this.numberType === 'Long') {
          if (!Number.isSafeInteger(n)) this.warn(`the number ${n} is not an integer: export with decimal numbers`);
          return prim(String(n));
        }
        return prim(`decimal(${cedarString(decimalText(n, (m) => this.warn(m)))})`);
      }
    }
  }

  scalarConst(v: AttrValue, rep: Rep): Scalar {
    const cls = typeof v as Cls;
    return { k: 'scalar', cls, rep, def: TRUE, v: this.literal(v, rep), constant: v };
  }

  attrScalar(a: AttributeSym, obj: 'principal' | 'context'): Val {
    const rep = attrRep(a);
    if (!rep) return ERR;
    const cls: Cls = rep === 'num' ? 'number' : rep === 'Bool' ? 'boolean' : 'string';
    return { k: 'scalar', cls, rep, def: { k: 'has', obj, attr: a.name }, v: access(obj, a.name) };
  }

  literalVal(l: A.Literal): Val {
    switch (l.kind) {
      case 'list':
        return { k: 'list', def: TRUE, items: l.items.map((i) => (i.kind === 'list' ? 'nested' : (this.literalVal(i) as Scalar))) };
      case 'bool':
        return this.scalarConst(l.value, 'Bool');
      case 'number':
      case 'percent':
      case 'duration':
        return this.scalarConst(l.value, 'num');
      case 'date':
        return this.scalarConst(l.value, 'datetime');
      default:
        return this.scalarConst(l.value, 'String');
    }
  }

  /** The value of an expression in a comparison. */
  value(e: A.Expr): Val {
    switch (e.kind) {
      case 'literal':
        return this.literalVal(e.value);
      case 'ref': {
        const [head, attr, extra] = e.path.parts.map((p) => p.text);
        if (attr === undefined || extra !== undefined) return ERR;
        if (head === 'subject') {
          const a = this.model.subjectSchema.get(attr);
          return a ? this.attrScalar(a, 'principal') : ERR;
        }
        if (head === 'context') {
          const a = this.model.contextSchema.get(attr);
          return a ? this.attrScalar(a, 'context') : ERR;
        }
        if (head === 'resource') {
          if (attr === 'tags') return { k: 'tags' };
          const cedarAttr = { domain: 'domain', owner: 'owner', name: 'contract' }[attr];
          if (!cedarAttr) return ERR;
          return { k: 'scalar', cls: 'string', rep: 'String', def: TRUE, v: access('resource', cedarAttr) };
        }
        return ERR; // a column outside a row filter
      }
      case 'list': {
        const items: Scalar[] = [];
        for (const i of e.items) {
          const v = this.value(i);
          if (v.k !== 'scalar') return ERR; // an error, or a list in a list: Charter's evaluator errors
          items.push(v);
        }
        return { k: 'list', def: and(...items.map((i) => i.def)), items };
      }
      default: {
        // A condition used as a value: true, false or error.
        const { t, f } = this.cond(e);
        if (t.k === 'bool' && f.k === 'bool') return t.v ? this.scalarConst(true, 'Bool') : f.v ? this.scalarConst(false, 'Bool') : ERR;
        return { k: 'scalar', cls: 'boolean', rep: 'Bool', def: or(t, f), v: t };
      }
    }
  }

  /** T(e) and F(e): "e evaluates to true" and "e evaluates to false". */
  cond(e: A.Expr): Tf {
    if (isConstant(e)) {
      const r = evaluate(e, EMPTY_ENV);
      return r === ERROR ? ERROR_TF : { t: bool(r), f: bool(!r) };
    }
    switch (e.kind) {
      case 'has': {
        const [head, attr] = e.path.parts.map((p) => p.text);
        let h: CE = FALSE; // anything else is false in Charter's evaluator (and refused by its checker)
        if (head === 'subject' && attr !== undefined && this.model.subjectSchema.has(attr)) h = { k: 'has', obj: 'principal', attr };
        if (head === 'context' && attr !== undefined && this.model.contextSchema.has(attr)) h = { k: 'has', obj: 'context', attr };
        return { t: h, f: not(h) };
      }
      case 'not': {
        const x = this.cond(e.operand);
        return { t: x.f, f: x.t };
      }
      case 'binary': {
        if (e.op === 'and' || e.op === 'or') {
          const l = this.cond(e.left);
          const r = this.cond(e.right);
          return e.op === 'and' ? { t: and(l.t, r.t), f: or(l.f, r.f) } : { t: or(l.t, r.t), f: and(l.f, r.f) };
        }
        return this.compare(e.op, this.value(e.left), this.value(e.right));
      }
      case 'ref': {
        const v = this.value(e);
        if (v.k !== 'scalar' || v.cls !== 'boolean') return ERROR_TF;
        return { t: and(v.def, v.v), f: and(v.def, not(v.v)) };
      }
      case 'literal':
      case 'list':
        return ERROR_TF; // not constant only when a list has attributes: a list is not a condition
    }
  }

  compare(op: A.CompareOp, l: Val, r: Val): Tf {
    if (l.k === 'err' || r.k === 'err') return ERROR_TF;
    const def = and(l.k === 'tags' ? TRUE : l.def, r.k === 'tags' ? TRUE : r.def);
    const result = (cmp: CE | undefined): Tf => (cmp ? { t: and(def, cmp), f: and(def, not(cmp)) } : ERROR_TF);
    if (op === 'in') {
      if (l.k !== 'scalar') return ERROR_TF;
      if (r.k === 'list') return result(or(...r.items.map((i) => this.eq(l, i))));
      if (r.k === 'tags') return result(l.rep === 'String' ? call(access('resource', 'tags'), 'contains', l.v) : FALSE);
      return ERROR_TF;
    }
    if (l.k !== 'scalar' || r.k !== 'scalar') {
      if (op !== '==' && op !== '!=') return ERROR_TF;
      const eq = l.k !== 'scalar' && r.k !== 'scalar' ? this.listEq(l, r) : FALSE;
      return result(op === '==' ? eq : not(eq));
    }
    if (l.cls !== r.cls) return ERROR_TF; // CEL: no implicit conversions
    if (l.constant !== undefined && r.constant !== undefined) return result(bool(compareScalars(op, l.constant, r.constant)));
    if (op === '==' || op === '!=') {
      const eq = this.eq(l, r);
      return result(op === '==' ? eq : not(eq));
    }
    if (l.rep !== r.rep || (l.rep !== 'num' && l.rep !== 'datetime')) {
      this.warn(`'${op}' between ${l.rep} and ${r.rep} values has no Cedar equivalent; translated as false`);
      return result(FALSE);
    }
    if (l.rep === 'num' && this.numberType === 'decimal') {
      const method = { '<': 'lessThan', '<=': 'lessThanOrEqual', '>': 'greaterThan', '>=': 'greaterThanOrEqual' }[op];
      return result(call(l.v, method, r.v));
    }
    return result(rel(op, l.v, r.v));
  }

  /** Charter's `===` on two list items or scalars (never an error). */
  eq(a: Scalar, b: Scalar | 'nested'): CE {
    if (b === 'nested' || a.cls !== b.cls) return FALSE;
    if (a.constant !== undefined && b.constant !== undefined) return bool(a.constant === b.constant);
    if (a.rep !== b.rep) {
      // A date and a string (both strings in Charter; only in lists, the checker
      // refuses the rest): a constant side is rewritten in the other's representation.
      const [c, x] = a.constant !== undefined ? [a, b] : b.constant !== undefined ? [b, a] : [undefined, a];
      if (!c) {
        this.warn(`comparing ${a.rep} with ${b.rep} has no Cedar equivalent; translated as false`);
        return FALSE;
      }
      const text = String(c.constant);
      if (x.rep === 'String') return rel('==', x.v, this.literal(text, 'String'));
      if (x.rep === 'datetime' && isCalendarDate(text)) return rel('==', x.v, this.literal(text, 'datetime'));
      return FALSE; // not a date: never equal to one
    }
    return rel('==', a.v, b.v);
  }

  /** Order-sensitive list equality (CEL), `resource.tags` included. */
  listEq(a: ListVal | { k: 'tags' }, b: ListVal | { k: 'tags' }): CE {
    if (a.k === 'tags' && b.k === 'tags') return TRUE;
    if (a.k === 'list' && b.k === 'list') {
      if (a.items.length !== b.items.length) return FALSE;
      return and(...a.items.map((x, i) => (x === 'nested' ? FALSE : this.eq(x, b.items[i]))));
    }
    const list = (a.k === 'list' ? a : b) as ListVal;
    return and(
      rel('==', access('resource', 'tagCount'), prim(String(list.items.length))),
      ...list.items.map((x, i) =>
        x === 'nested' || x.rep !== 'String' ? FALSE : call(access('resource', 'tagList'), 'contains', prim(`{index: ${i}, tag: ${print(x.v)}}`)),
      ),
    );
  }

  audienceItem(item: A.AudienceItem): CE {
    switch (item.kind) {
      case 'everyone':
        return TRUE;
      case 'owner':
        return and({ k: 'has', obj: 'resource', attr: 'ownerGroup' }, rel('in', prim('principal'), access('resource', 'ownerGroup')));
      case 'group':
        return rel('in', prim('principal'), prim(uidText({ type: ENTITY.group, id: item.name.text })));
      case 'principal':
        return rel('==', prim('principal'), prim(uidText(principalUid(item.name.text))));
    }
  }

  audience(a: A.Audience): CE {
    return and(or(...a.include.map((i) => this.audienceItem(i))), not(or(...a.except.map((i) => this.audienceItem(i)))));
  }

  /** The scope's resource constraint and, for several tags, a condition. */
  target(t: A.PolicyTarget): { scope: string; cond: CE } {
    switch (t.kind) {
      case 'contract':
        return { scope: `resource in ${uidText({ type: ENTITY.contract, id: t.name.text })}`, cond: TRUE };
      case 'wildcard':
        return { scope: `resource in ${uidText({ type: ENTITY.domain, id: t.prefix.text })}`, cond: TRUE };
      case 'domain':
        return { scope: `resource in ${uidText({ type: ENTITY.domain, id: t.name.text })}`, cond: TRUE };
      case 'tagged': {
        const tags = [...new Set(t.tags.map((q) => q.text))];
        if (tags.length === 1) return { scope: `resource in ${uidText({ type: ENTITY.tag, id: tags[0] })}`, cond: TRUE };
        return { scope: `resource is ${ENTITY.field}`, cond: or(...tags.map((tag) => rel('in', prim('resource'), prim(uidText({ type: ENTITY.tag, id: tag }))))) };
      }
    }
  }
}

const EMPTY_ENV = { subject: new Map(), context: new Map(), resource: { domain: '', owner: '', tags: [], name: '' } };

/** No attribute, column or has(): the evaluator's answer is the same for every request. */
function isConstant(e: A.Expr): boolean {
  switch (e.kind) {
    case 'literal':
      return true;
    case 'ref':
    case 'has':
      return false;
    case 'not':
      return isConstant(e.operand);
    case 'binary':
      return isConstant(e.left) && isConstant(e.right);
    case 'list':
      return e.items.every(isConstant);
  }
}

function attrRep(a: AttributeSym): Rep | undefined {
  switch (a.type.kind) {
    case 'enum':
    case 'string':
      return 'String';
    case 'number':
      return 'num';
    case 'bool':
      return 'Bool';
    case 'date':
      return 'datetime';
    default:
      return undefined;
  }
}

function decimalText(n: number, warn: (m: string) => void): string {
  let s = String(n);
  if (/e/i.test(s) || Math.abs(n) >= 922337203685477) {
    warn(`the number ${n} is out of the range of a Cedar decimal`);
    s = n.toFixed(4);
  }
  if (!s.includes('.')) s += '.0';
  const frac = s.split('.')[1];
  if (frac.length > 4) warn(`the number ${n} has more than the 4 decimal places of a Cedar decimal`);
  return s;
}

/** YYYY-MM-DD naming a real day (Charter's date literals are only checked for their shape). */
function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const fail = (m: string): never => {
  throw new Error(m);
};

/** A principal's or the context's attribute value as Cedar JSON; a number Cedar cannot take is reported through `warn` (default: thrown). */
export function cedarAttrValue(a: AttributeSym, v: AttrValue, numberType: 'Long' | 'decimal', warn: (m: string) => void = fail): CedarValue {
  switch (attrRep(a)) {
    case 'num':
      if (numberType === 'Long') {
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) warn(`${a.scope}.${a.name} is ${v}, not an integer: export with decimal numbers`);
        return v as number;
      }
      return { __extn: { fn: 'decimal', arg: decimalText(v as number, (m) => warn(`${a.scope}.${a.name}: ${m}`)) } };
    case 'datetime':
      if (!isCalendarDate(String(v))) warn(`${a.scope}.${a.name} is ${v}, not a calendar date: Cedar's datetime() refuses it`);
      return { __extn: { fn: 'datetime', arg: String(v) } };
    case 'Bool':
      return v === true;
    default:
      return String(v);
  }
}

/** A request context as Cedar JSON (attributes the context lacks are left out: the schema makes them optional). */
export function cedarContext(model: Model, context: ReadonlyMap<string, AttrValue>, numberType: 'Long' | 'decimal'): Record<string, CedarValue> {
  const out: Record<string, CedarValue> = {};
  for (const [k, v] of context) {
    const a = model.contextSchema.get(k);
    if (a) out[k] = cedarAttrValue(a, v, numberType);
  }
  return out;
}

// ------------------------------------------------------------ policies

const lineIndexes = new WeakMap<object, LineIndex>();

function ruleLine(model: Model, policy: PolicySym, rule: A.PolicyRule, fileName: (uri: string) => string): string {
  const info = model.files.get(policy.loc.file);
  let li = info && lineIndexes.get(info);
  if (!li) {
    li = new LineIndex(info?.text ?? '');
    if (info) lineIndexes.set(info, li);
  }
  return `${fileName(policy.loc.file)}:${li.position(rule.range.start).line + 1}`;
}

function sourceText(model: Model, file: string, r: A.Range): string {
  return (model.files.get(file)?.text.slice(r.start, r.end) ?? '').replace(/\s+/g, ' ').trim();
}

function translatePolicies(tr: Translator, opts: CedarExportOptions): CedarPolicy[] {
  const model = tr.model;
  const fileName = opts.fileName ?? ((u: string) => u);
  const out: CedarPolicy[] = [];
  for (const policy of model.policies.values()) {
    const target = policy.decl.target;
    if (!target) continue;
    const { scope, cond: targetCond } = tr.target(target);
    policy.decl.rules.forEach((rule, i) => {
      let action = 'read';
      let effect: 'permit' | 'forbid' = 'permit';
      const annotations: [string, string][] = [];
      const id = `${policy.name}.${i + 1}`;
      annotations.push(['id', id]);
      if (rule.doc) annotations.push(['doc', rule.doc.trim()]);
      annotations.push(['charter_policy', policy.name]);
      const source = ruleLine(model, policy, rule, fileName);
      annotations.push(['charter_source', source]);
      const text = sourceText(model, policy.loc.file, rule.range);
      annotations.push(['charter_rule', text]);
      const clauses: string[] = [];
      const fields = rule.fields.length
        ? or(...[...new Set(rule.fields.map((f) => f.text))].map((f) => rel('==', access('resource', 'field'), prim(cedarString(f)))))
        : TRUE;
      const when = and(targetCond, fields, tr.audience(rule.audience));
      let mask: string | undefined;
      let rows: string | undefined;
      let condT: CE = TRUE;
      let condUnless: CE | undefined;
      switch (rule.kind) {
        case 'allow':
        case 'deny':
          action = rule.action.text;
          if (!(ACTIONS as readonly string[]).includes(action)) return tr.warn(`${id}: unknown action '${action}' (rule left out)`);
          if (rule.kind === 'deny') {
            effect = 'forbid';
            if (rule.condition) condUnless = tr.cond(rule.condition).f;
          } else if (rule.condition) condT = tr.cond(rule.condition).t;
          break;
        case 'mask':
          action = 'mask';
          mask = rule.method.text;
          if (!(MASK_METHODS as readonly string[]).includes(mask)) return tr.warn(`${id}: unknown mask method '${mask}' (rule left out)`);
          annotations.push(['charter_mask', mask]);
          if (rule.condition) condUnless = tr.cond(rule.condition).f;
          break;
        case 'rows':
          action = 'rows';
          rows = sourceText(model, policy.loc.file, rule.filter.range);
          annotations.push(['charter_rows', rows]);
          break;
      }
      const whenAll = and(when, condT);
      if (whenAll.k !== 'bool' || !whenAll.v) clauses.push(`when { ${print(whenAll)} }`);
      if (condUnless && (condUnless.k !== 'bool' || condUnless.v)) clauses.push(`unless { ${print(condUnless)} }`);
      const lines = annotations.map(([k, v]) => `@${k}(${cedarString(v)})`);
      lines.push(`${effect} (`, `  principal,`, `  action == ${uidText(actionUid(action as (typeof CEDAR_ACTIONS)[number]))},`, `  ${scope}`, `)`);
      const body = lines.join('\n') + (clauses.length ? '\n' + clauses.join('\n') : '') + ';';
      out.push({ id, policy: policy.name, ruleIndex: i, kind: rule.kind, effect, action, mask, rows, source, text: body });
    });
  }
  return out;
}

// ------------------------------------------------------------ schema

function schemaType(a: AttributeSym, numberType: 'Long' | 'decimal'): string {
  switch (attrRep(a)) {
    case 'num':
      return numberType;
    case 'Bool':
      return 'Bool';
    case 'datetime':
      return 'datetime';
    default:
      return 'String';
  }
}

function attrDoc(a: AttributeSym): string {
  const parts: string[] = [];
  if (a.decl.doc) parts.push(a.decl.doc.trim());
  if (a.type.kind === 'enum') parts.push(`one of ${a.type.values.map((v) => JSON.stringify(v.value)).join(' | ')}`);
  return parts.length ? `@doc(${cedarString(parts.join('; '))}) ` : '';
}

function record(attrs: string[], indent: string): string {
  if (!attrs.length) return '{}';
  return `{\n${attrs.map((a) => `${indent}  ${a}`).join(',\n')}\n${indent}}`;
}

function translateSchema(model: Model, numberType: 'Long' | 'decimal'): string {
  const subject = [...model.subjectSchema.values()].map((a) => `${attrDoc(a)}${schemaAttr(a.name)}?: ${schemaType(a, numberType)}`);
  const context = [...model.contextSchema.values()].map((a) => `${attrDoc(a)}${schemaAttr(a.name)}?: ${schemaType(a, numberType)}`);
  const ctxType = 'RequestContext';
  return `// Generated by \`charter export cedar\` from a Charter model; regenerate rather than edit.
// Numbers are ${numberType === 'Long' ? 'Long: integers only' : 'decimal: at most 4 decimal places'}.
namespace ${CEDAR_NAMESPACE} {
  @doc("A Charter group: principals are its members.")
  entity Group;
  @doc("A Charter domain.")
  entity Domain;
  @doc("A data contract; owner is the owning group's name, \\"\\" when none.")
  entity Contract in [Domain] {
    domain: String,
    owner: String
  };
  @doc("A classification; a child (pii.email) is in its parent (pii).")
  entity Tag in [Tag];
  @doc("A field of a contract, in its contract and in the tags it carries (effective tags, through lineage).")
  entity Field in [Contract, Tag] {
    @doc("The field's own name.")
    field: String,
    @doc("The contract's name (Charter's resource.name).")
    contract: String,
    domain: String,
    @doc("The owning group's name, \\"\\" when none (Charter's resource.owner).")
    owner: String,
    @doc("The owning group (the audience owner).")
    ownerGroup?: Group,
    @doc("Effective tags (Charter's resource.tags).")
    tags: Set<String>,
    @doc("The effective tags in order, for list equality on resource.tags.")
    tagList: Set<{ index: Long, tag: String }>,
    tagCount: Long
  };
  @doc("A Charter principal (person or service); attributes are the subject attributes.")
  entity Principal in [Group] ${record(subject, '  ')};
  @doc("Context attributes; each may be absent.")
  type ${ctxType} = ${record(context, '  ')};
  @doc("Read a field (allow/deny read).")
  action read appliesTo { principal: [Principal], resource: [Field], context: ${ctxType} };
  @doc("Write a field (allow/deny write).")
  action write appliesTo { principal: [Principal], resource: [Field], context: ${ctxType} };
  @doc("Discover a field (allow/deny discover).")
  action discover appliesTo { principal: [Principal], resource: [Field], context: ${ctxType} };
  @doc("Masks: the permits satisfied for this action are the mask rules that apply (@charter_mask).")
  action mask appliesTo { principal: [Principal], resource: [Field], context: ${ctxType} };
  @doc("Row filters: the permits satisfied for this action are the row filters that apply (@charter_rows).")
  action rows appliesTo { principal: [Principal], resource: [Field], context: ${ctxType} };
}
`;
}

// ------------------------------------------------------------ entities

function translateEntities(model: Model, numberType: 'Long' | 'decimal', warn: (m: string) => void): CedarEntity[] {
  const out: CedarEntity[] = [];
  for (const g of model.groups.values()) out.push({ uid: { type: ENTITY.group, id: g.name }, attrs: {}, parents: [] });
  for (const p of model.principals.values()) {
    const attrs: Record<string, CedarValue> = {};
    for (const [k, v] of p.attributes) {
      const a = model.subjectSchema.get(k);
      if (a) attrs[k] = cedarAttrValue(a, v, numberType, (m) => warn(`principal ${p.name}: ${m}`));
    }
    out.push({ uid: principalUid(p.name), attrs, parents: [...p.groups].filter((g) => model.groups.has(g)).map((g) => ({ type: ENTITY.group, id: g })) });
  }
  const domains = new Set<string>(model.domains.keys());
  for (const c of model.contracts.values()) if (c.domain) domains.add(c.domain);
  for (const d of domains) out.push({ uid: { type: ENTITY.domain, id: d }, attrs: {}, parents: [] });
  const tags = new Set<string>(model.classifications.keys());
  for (const f of model.fields.values()) for (const t of f.tags.keys()) tags.add(t);
  for (const t of [...tags]) {
    const parts = t.split('.');
    for (let i = 1; i < parts.length; i++) tags.add(parts.slice(0, i).join('.'));
  }
  for (const t of [...tags].sort()) {
    const dot = t.lastIndexOf('.');
    out.push({ uid: { type: ENTITY.tag, id: t }, attrs: {}, parents: dot > 0 ? [{ type: ENTITY.tag, id: t.slice(0, dot) }] : [] });
  }
  for (const c of model.contracts.values()) {
    out.push({ uid: { type: ENTITY.contract, id: c.name }, attrs: { domain: c.domain, owner: c.owner ?? '' }, parents: c.domain ? [{ type: ENTITY.domain, id: c.domain }] : [] });
    for (const f of c.fields.values()) out.push(fieldEntity(model, f));
  }
  return out;
}

function fieldEntity(model: Model, f: FieldSym): CedarEntity {
  const c = f.contract;
  const tags = [...f.tags.keys()];
  const attrs: Record<string, CedarValue> = {
    field: f.name,
    contract: c.name,
    domain: c.domain,
    owner: c.owner ?? '',
    tags,
    tagList: tags.map((tag, index) => ({ index, tag })),
    tagCount: tags.length,
  };
  if (c.owner && model.groups.has(c.owner)) attrs.ownerGroup = { __entity: { type: ENTITY.group, id: c.owner } };
  return { uid: fieldUid(f.qname), attrs, parents: [{ type: ENTITY.contract, id: c.name }, ...tags.map((t) => ({ type: ENTITY.tag, id: t }))] };
}

// ------------------------------------------------------------ entry point

export function exportCedar(model: Model, opts: CedarExportOptions = {}): CedarExport {
  const tr = new Translator(model, opts.numbers);
  const policyList = translatePolicies(tr, opts);
  const header = `// Generated by \`charter export cedar\` from a Charter model; regenerate rather than edit.
// Charter semantics: deny overrides allow, default deny. A condition that lacks an
// attribute fails closed: an allow (permit ... when { T }) does not match, a deny
// or mask (forbid/permit ... unless { F }) does. Actions mask and rows list the
// mask rules (@charter_mask) and row filters (@charter_rows) that apply.
`;
  const blocks: string[] = [];
  for (const policy of model.policies.values()) {
    const mine = policyList.filter((p) => p.policy === policy.name);
    if (!mine.length) continue;
    const target = policy.decl.target ? sourceText(model, policy.loc.file, policy.decl.target.range) : '';
    const doc = (policy.decl.doc ?? '').trim().split(/\r?\n/).filter((l) => l.trim()).map((l) => `// ${l.trim()}`);
    blocks.push([`// ---- policy ${policy.name} on ${target}`, ...doc, ...mine.map((p) => p.text)].join('\n\n').replace(/\n\n(?=\/\/ [^-])/g, '\n'));
  }
  const policies = header + (blocks.length ? '\n' + blocks.join('\n\n') + '\n' : '');
  return {
    policies,
    policyList,
    schema: translateSchema(model, tr.numberType),
    entities: translateEntities(model, tr.numberType, (m) => tr.warn(m)),
    numberType: tr.numberType,
    warnings: tr.warnings,
  };
}
