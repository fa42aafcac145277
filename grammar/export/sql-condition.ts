// Charter conditions as SQL boolean expressions, for every SQL engine the
// enforcement export prints (postgres.ts, snowflake.ts, databricks.ts).
//
// Charter's conditions are three-valued — true, false or error (an attribute
// the principal or the context lacks) — with CEL's `and`/`or`: `false and
// error` is false, `true or error` is true, otherwise error propagates, and
// `not error` is error. That is exactly SQL's logic with NULL for error, so a
// condition becomes one SQL expression that is TRUE, FALSE or NULL: a missing
// attribute is NULL, and comparisons, AND, OR and NOT propagate it as CEL
// does. The callers then say what matches: an allow when its condition IS
// TRUE, a deny or a mask when it IS NOT FALSE, a row filter keeps a row when
// it IS TRUE. `has(...)` never yields NULL.
//
// What SQL does not do by itself is typed here, as Charter's evaluator does
// it: values of different classes (string, number, bool) never compare
// (error), an item of another class in an `in` list is never equal, a list
// holding an error is an error, list equality is ordered and element-wise.
// `resource.X` are constants per column, and whatever reads only constants is
// folded at export time with the evaluator itself.

import type * as A from '../ast';
import { ERROR, evaluate, type EvalEnv } from '../evaluator/condition';
import type { AttrValue } from '../model/types';
import type { PlanAttribute, PlanAudience, PlanAudienceItem, PlanResource } from './plan';

/** How a value is represented in SQL. */
export type Rep = 'text' | 'float' | 'bool' | 'date' | 'timestamp';
/** Its class in Charter's evaluator: values of different classes never compare. */
type Cls = 'string' | 'number' | 'boolean';

/** A construct the engine cannot express: the export refuses it (the message names the rule and the engine). */
export class Unsupported extends Error {}

/** What each engine prints differently. */
export interface SqlDialect {
  /** `PostgreSQL`, `Snowflake`, `Databricks`: named in refusals. */
  engine: string;
  string(s: string): string;
  number(n: number): string;
  date(d: string): string;
  /** A NULL of type boolean (an error). */
  nullBool: string;
  /** `subject.X` (NULL when the principal has no value). */
  subject(a: PlanAttribute): string;
  /** `context.X` (NULL when unset, empty or not a value of its type). */
  context(a: PlanAttribute): string;
  /** A column of the row, in the representation of its type. */
  column(name: string, type: string): { sql: string; rep: Rep };
  /** A value as text (comparing a date with a string, as the evaluator's strings do). */
  toText(sql: string, rep: Rep): string;
  /** Text for an ordering comparison in code-point order. */
  textOrder(sql: string): string;
  /** Is the session's principal a member of the group? */
  inGroup(group: string): string;
  /** Is the session's principal this one? */
  isPrincipal(principal: string): string;
}

export interface ConditionScope {
  subject: Map<string, PlanAttribute>;
  context: Map<string, PlanAttribute>;
  resource: PlanResource;
  /** Row filters only: the contract's columns (name → Charter field type). */
  columns?: Map<string, string>;
}

/** A condition: known at export time, or SQL that is TRUE, FALSE or NULL (error). */
export type Cond = boolean | typeof ERROR | { sql: string };

type Val =
  | { k: 'err' }
  | { k: 'const'; v: AttrValue; cls: Cls; rep: Rep }
  | { k: 'sql'; sql: string; cls: Cls; rep: Rep; nullable: boolean }
  | { k: 'list'; items: (Scalar | 'nested')[] };
type Scalar = Extract<Val, { k: 'const' | 'sql' }>;
const ERR: Val = { k: 'err' };

function repOfAttr(a: PlanAttribute): Rep {
  return a.type === 'number' ? 'float' : a.type === 'bool' ? 'bool' : a.type === 'date' ? 'date' : 'text';
}
function clsOfRep(r: Rep): Cls {
  return r === 'float' ? 'number' : r === 'bool' ? 'boolean' : 'string';
}

export class SqlConditions {
  constructor(readonly d: SqlDialect, readonly scope: ConditionScope, readonly rule: { id: string; source: string }) {}

  private unsupported(what: string): never {
    throw new Unsupported(`rule ${this.rule.id} (${this.rule.source}): ${what}: the ${this.d.engine} export cannot express it`);
  }

  private literal(v: AttrValue, rep: Rep): string {
    if (rep === 'bool') return v ? 'TRUE' : 'FALSE';
    if (rep === 'float') return this.d.number(v as number);
    if (rep === 'date') return this.d.date(String(v));
    return this.d.string(String(v));
  }

  private sqlOf(v: Scalar): string {
    return v.k === 'const' ? this.literal(v.v, v.rep) : v.sql;
  }

  /** The condition's SQL value (TRUE/FALSE/NULL). */
  sql(c: Cond): string {
    if (c === true) return 'TRUE';
    if (c === false) return 'FALSE';
    if (c === ERROR) return this.d.nullBool;
    return c.sql;
  }

  /** Folds what reads no subject, context, has() or column: the evaluator answers it. */
  private constant(e: A.Expr): boolean {
    switch (e.kind) {
      case 'literal':
        return true;
      case 'has':
        return false;
      case 'ref': {
        const parts = e.path.parts;
        return parts.length === 2 && parts[0].text === 'resource';
      }
      case 'not':
        return this.constant(e.operand);
      case 'binary':
        return this.constant(e.left) && this.constant(e.right);
      case 'list':
        return e.items.every((i) => this.constant(i));
    }
  }

  private env(): EvalEnv {
    const r = this.scope.resource;
    return { subject: new Map(), context: new Map(), resource: { domain: r.domain, owner: r.owner, name: r.name, tags: r.tags } };
  }

  cond(e: A.Expr): Cond {
    if (this.constant(e)) return evaluate(e, this.env());
    switch (e.kind) {
      case 'has': {
        const [head, attr, extra] = e.path.parts.map((p) => p.text);
        if (extra !== undefined || attr === undefined) return false;
        const a = head === 'subject' ? this.scope.subject.get(attr) : head === 'context' ? this.scope.context.get(attr) : undefined;
        if (!a) return false;
        return { sql: `(${head === 'subject' ? this.d.subject(a) : this.d.context(a)} IS NOT NULL)` };
      }
      case 'not': {
        const x = this.cond(e.operand);
        if (x === ERROR) return ERROR;
        if (typeof x === 'boolean') return !x;
        return { sql: `(NOT ${x.sql})` };
      }
      case 'binary':
        if (e.op === 'and' || e.op === 'or') return this.junction(e.op, this.cond(e.left), this.cond(e.right));
        return this.compare(e.op, this.value(e.left), this.value(e.right));
      case 'ref': {
        const v = this.value(e);
        if (v.k === 'const') return v.cls === 'boolean' ? (v.v as boolean) : ERROR;
        if (v.k === 'sql' && v.cls === 'boolean') return { sql: v.sql };
        return ERROR;
      }
      case 'literal':
      case 'list':
        return ERROR;
    }
  }

  junction(op: 'and' | 'or', l: Cond, r: Cond): Cond {
    const absorbing = op === 'or'; // or: true absorbs; and: false absorbs
    if (l === absorbing || r === absorbing) return absorbing;
    if (l === !absorbing) return r;
    if (r === !absorbing) return l;
    if (l === ERROR && r === ERROR) return ERROR;
    return { sql: `(${this.sql(l)} ${op === 'and' ? 'AND' : 'OR'} ${this.sql(r)})` };
  }

  private value(e: A.Expr): Val {
    switch (e.kind) {
      case 'literal':
        return this.literalVal(e.value);
      case 'list': {
        const items: Scalar[] = [];
        for (const i of e.items) {
          const v = this.value(i);
          if (v.k === 'err' || v.k === 'list') return ERR; // the evaluator: an error, or a list in a list
          items.push(v);
        }
        return { k: 'list', items };
      }
      case 'ref':
        return this.ref(e.path);
      default: {
        const c = this.cond(e);
        if (c === ERROR) return ERR;
        if (typeof c === 'boolean') return { k: 'const', v: c, cls: 'boolean', rep: 'bool' };
        return { k: 'sql', sql: c.sql, cls: 'boolean', rep: 'bool', nullable: true };
      }
    }
  }

  private literalVal(l: A.Literal): Val {
    switch (l.kind) {
      case 'list':
        return { k: 'list', items: l.items.map((i) => (i.kind === 'list' ? 'nested' : (this.literalVal(i) as Scalar))) };
      case 'bool':
        return { k: 'const', v: l.value, cls: 'boolean', rep: 'bool' };
      case 'number':
      case 'percent':
      case 'duration':
        return { k: 'const', v: l.value, cls: 'number', rep: 'float' };
      case 'date':
        return { k: 'const', v: l.value, cls: 'string', rep: 'date' };
      default:
        return { k: 'const', v: l.value, cls: 'string', rep: 'text' };
    }
  }

  private ref(path: A.QName): Val {
    const parts = path.parts.map((p) => p.text);
    if (parts.length === 1) return this.column(parts[0]);
    if (parts.length !== 2) return ERR;
    const [head, attr] = parts;
    if (head === 'subject' || head === 'context') {
      const a = (head === 'subject' ? this.scope.subject : this.scope.context).get(attr);
      if (!a) return ERR;
      const rep = repOfAttr(a);
      return { k: 'sql', sql: head === 'subject' ? this.d.subject(a) : this.d.context(a), cls: clsOfRep(rep), rep, nullable: true };
    }
    if (head === 'resource') {
      const r = this.scope.resource;
      if (attr === 'tags') return { k: 'list', items: r.tags.map((t) => ({ k: 'const', v: t, cls: 'string', rep: 'text' }) as Scalar) };
      if (attr === 'domain' || attr === 'owner' || attr === 'name') return { k: 'const', v: r[attr], cls: 'string', rep: 'text' };
    }
    return ERR;
  }

  private column(name: string): Val {
    const type = this.scope.columns?.get(name);
    if (type === undefined) return ERR; // outside a row filter, or a column this contract lacks: fails closed
    if (type.startsWith('list<') || type === 'json') this.unsupported(`the row filter reads column ${name} of type ${type}`);
    const { sql, rep } = this.d.column(name, type);
    return { k: 'sql', sql, rep, cls: clsOfRep(rep), nullable: true };
  }

  /**
   * The evaluator makes a comparison an error when an operand (or a list item)
   * is; SQL does so by itself only for one comparison reading every nullable
   * part (`x = 'a'`), not for `(x = y) OR (x = z)` with z NULL and x = y.
   */
  private guard(parts: Scalar[], cmp: Cond, terms: number): Cond {
    const unique = [...new Set(parts.filter((p) => p.k === 'sql' && p.nullable).map((p) => this.sqlOf(p)))];
    if (!unique.length) return cmp;
    if (typeof cmp === 'object' && terms === 1 && unique.every((u) => cmp.sql.includes(u))) return cmp;
    if (cmp === ERROR) return ERROR;
    return { sql: `(CASE WHEN ${unique.map((u) => `${u} IS NOT NULL`).join(' AND ')} THEN ${this.sql(cmp)} END)` };
  }

  private eq(l: Scalar, r: Scalar | 'nested'): Cond {
    if (r === 'nested' || l.cls !== r.cls) return false; // never equal
    if (l.k === 'const' && r.k === 'const') return l.v === r.v;
    return { sql: `(${this.operands(l, r, false).join(' = ')})` };
  }

  /** Both sides in one representation. */
  private operands(l: Scalar, r: Scalar, ordering: boolean): [string, string] {
    const dateish = (x: Rep) => x === 'date' || x === 'timestamp';
    let a = this.sqlOf(l);
    let b = this.sqlOf(r);
    if (l.rep !== r.rep && !(dateish(l.rep) && dateish(r.rep))) {
      a = l.rep === 'text' ? a : this.d.toText(a, l.rep);
      b = r.rep === 'text' ? b : this.d.toText(b, r.rep);
      if (ordering) return [this.d.textOrder(a), this.d.textOrder(b)];
    } else if (ordering && l.rep === 'text') return [this.d.textOrder(a), this.d.textOrder(b)];
    return [a, b];
  }

  compare(op: A.CompareOp, l: Val, r: Val): Cond {
    if (l.k === 'err' || r.k === 'err') return ERROR;
    if (op === 'in') {
      if (r.k !== 'list' || l.k === 'list') return ERROR;
      const items = r.items;
      const eqs = items.map((i) => this.eq(l, i));
      const cmp = eqs.reduce<Cond>((acc, x) => this.junction('or', acc, x), false);
      return this.guard([l, ...items.filter((i): i is Scalar => i !== 'nested')], cmp, eqs.filter((x) => typeof x === 'object').length);
    }
    if (l.k === 'list' || r.k === 'list') {
      if (op !== '==' && op !== '!=') return ERROR;
      let eq: Cond;
      let terms = 0;
      const parts: Scalar[] = [];
      for (const x of [l, r]) {
        if (x.k === 'list') parts.push(...x.items.filter((i): i is Scalar => i !== 'nested'));
        else parts.push(x);
      }
      if (l.k === 'list' && r.k === 'list' && l.items.length === r.items.length) {
        eq = true;
        l.items.forEach((x, i) => {
          const one = x === 'nested' ? false : this.eq(x, r.items[i]);
          if (typeof one === 'object') terms++;
          eq = this.junction('and', eq, one);
        });
      } else eq = false;
      const res: Cond = op === '==' ? eq : this.not(eq as Cond);
      return this.guard(parts, res, terms);
    }
    if (l.cls !== r.cls) return ERROR; // CEL: no implicit conversions
    if (l.k === 'const' && r.k === 'const') {
      return constCompare(op, l.v, r.v);
    }
    const sqlOp = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }[op];
    const [a, b] = this.operands(l, r, op !== '==' && op !== '!=');
    return { sql: `(${a} ${sqlOp} ${b})` };
  }

  /** "The audience holds the session's principal", never NULL. */
  audience(a: PlanAudience): Cond {
    const item = (i: PlanAudienceItem): Cond => (i.kind === 'everyone' ? true : i.kind === 'nobody' ? false : { sql: i.kind === 'group' ? this.d.inGroup(i.name) : this.d.isPrincipal(i.name) });
    const inc = a.include.map(item).reduce<Cond>((x, y) => this.junction('or', x, y), false);
    const exc = a.except.map(item).reduce<Cond>((x, y) => this.junction('or', x, y), false);
    return this.junction('and', inc, exc === true ? false : exc === false ? true : { sql: `(NOT ${this.sql(exc)})` });
  }

  /** `c IS TRUE` (an allow matches, a row is kept). */
  isTrue(c: Cond): Cond {
    if (c === ERROR) return false;
    if (typeof c === 'boolean') return c;
    return { sql: `(${c.sql} IS TRUE)` };
  }

  /** `c IS NOT FALSE` (a deny or a mask matches, an error included). */
  isNotFalse(c: Cond): Cond {
    if (c === ERROR) return true;
    if (typeof c === 'boolean') return c;
    return { sql: `(${c.sql} IS NOT FALSE)` };
  }

  not(c: Cond): Cond {
    if (c === ERROR) return ERROR;
    if (typeof c === 'boolean') return !c;
    return { sql: `(NOT ${c.sql})` };
  }
}

function constCompare(op: A.CompareOp, l: AttrValue, r: AttrValue): boolean {
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
    default:
      return false;
  }
}

/** A column's representation in a comparison, from its Charter field type. */
export function columnRep(type: string): Rep {
  switch (type) {
    case 'int':
    case 'decimal':
      return 'float';
    case 'bool':
      return 'bool';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    default:
      return 'text';
  }
}

