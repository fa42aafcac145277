// Running `test` blocks: each expectation is decided and compared. A failing
// expectation says what was decided and why; it becomes an error diagnostic
// on its line (editor, `charter check`) and a failure in `charter test`.

import type * as A from '../ast';
import type { AttrValue, FieldSym, FileDiagnostic, Model, PrincipalSym, TestSym } from '../model/types';
import { attributeValue } from '../model/check-decls';
import { parseCondition } from '../parser';
import { residualFilter } from './condition';
import { decide, decideKind, envFor, type Decision } from './decide';

export interface ExpectationResult {
  test: TestSym;
  expectation: A.Expectation;
  /** The principal's decision (single-principal expectations). */
  decision?: Decision;
  /** False when the expectation names something unknown (already a diagnostic of the model). */
  checked: boolean;
  /** `expect only ...`: expected readers who cannot read, and readers who were not expected (principal names, sorted). */
  missing?: string[];
  extra?: string[];
  context: Map<string, AttrValue>;
  passed: boolean;
  /** "expected alice sees sales.orders.customer_email masked with redact, but it is in clear: ...". */
  message: string;
}

export interface TestResult {
  test: TestSym;
  passed: boolean;
  expectations: ExpectationResult[];
}

function audienceText(items: A.AudienceItem[]): string {
  return items.map((i) => (i.kind === 'everyone' || i.kind === 'owner' ? i.kind : i.kind === 'principal' ? `principal ${i.name.text}` : i.name.text)).join(', ');
}

function expectedText(e: A.Expectation, rows?: string): string {
  const p = e.principal?.text ?? '?';
  switch (e.what) {
    case 'can-read':
      return `${p} can read ${e.field.text}`;
    case 'cannot-read':
      return `${p} cannot read ${e.field.text}`;
    case 'sees-clear':
      return `${p} sees ${e.field.text} in clear`;
    case 'sees-masked':
      return `${p} sees ${e.field.text} masked${e.method ? ' with ' + e.method.text : ''}`;
    case 'sees-rows':
      return `${p} sees ${e.field.text} rows where ${rows ?? '?'}`;
    case 'only':
      return `${e.nobody ? 'nobody' : `only ${audienceText(e.only ?? [])}`} can read ${e.field.text}${e.inClear ? ' in clear' : ''}`;
  }
}

export function describeDecision(d: Decision): string {
  if (d.decision === 'masked') return `masked with ${d.mask}`;
  return d.decision === 'clear' ? 'in clear' : 'denied';
}

function holds(e: A.Expectation, d: Decision): boolean {
  switch (e.what) {
    case 'can-read':
      return d.decision !== 'denied';
    case 'cannot-read':
      return d.decision === 'denied';
    case 'sees-clear':
      return d.decision === 'clear';
    case 'sees-masked':
      return d.decision === 'masked' && (!e.method || e.method.text === d.mask);
    default:
      return false;
  }
}

/** A row filter in normal form: parsed and printed again by the evaluator's printer (`true`: no filter). */
export function rowsNormalForm(filter: string | undefined): string {
  if (filter === undefined) return 'true';
  const e = parseCondition(filter);
  return e ? residualFilter(e, { subject: new Map(), context: new Map(), resource: { domain: '', owner: '', tags: [], name: '' } }) : filter;
}

/** The principals an `expect only` audience names, for field F. Bare names are groups, or else principals. */
export function expandAudience(model: Model, items: A.AudienceItem[], field: FieldSym): Set<PrincipalSym> {
  const out = new Set<PrincipalSym>();
  const owner = field.contract.owner;
  for (const p of model.principals.values()) {
    for (const i of items) {
      const hit =
        i.kind === 'everyone' ||
        (i.kind === 'owner' && owner !== undefined && p.groups.has(owner)) ||
        (i.kind === 'principal' && p.name === i.name.text) ||
        (i.kind === 'group' && (model.groups.has(i.name.text) ? p.groups.has(i.name.text) : p.name === i.name.text));
      if (hit) {
        out.add(p);
        break;
      }
    }
  }
  return out;
}

function names(ps: Iterable<PrincipalSym>): string[] {
  return [...ps].map((p) => p.name).sort();
}

function list(ns: string[], max = 8): string {
  return ns.length > max ? `${ns.slice(0, max).join(', ')} and ${ns.length - max} more` : ns.join(', ');
}

function runOnly(model: Model, test: TestSym, step: A.Expectation, field: FieldSym, context: Map<string, AttrValue>): ExpectationResult {
  const expected = expandAudience(model, step.only ?? [], field);
  const readers = new Set<PrincipalSym>();
  for (const p of model.principals.values()) {
    const d = decideKind(model, p, context, field).decision;
    if (step.inClear ? d === 'clear' : d !== 'denied') readers.add(p);
  }
  const missing = names([...expected].filter((p) => !readers.has(p)));
  const extra = names([...readers].filter((p) => !expected.has(p)));
  const passed = !missing.length && !extra.length;
  const what = step.inClear ? 'in clear' : 'at all';
  const why = (n: string) => {
    const d = decide(model, model.principals.get(n)!, context, field);
    return `${n} (${describeDecision(d)}: ${d.summary})`;
  };
  const parts: string[] = [];
  if (missing.length) parts.push(`missing ${list(missing.map(why), 3)}`);
  if (extra.length) parts.push(`extra ${list(extra.map(why), 3)}`);
  const message = passed
    ? `${expectedText(step)}: ${readers.size} principal${readers.size === 1 ? '' : 's'} read it ${what}`
    : `expected ${expectedText(step)}, but ${parts.join('; ')}`;
  return { test, expectation: step, context, passed, message, checked: true, missing, extra };
}

export function runTest(model: Model, test: TestSym): TestResult {
  let context = new Map<string, AttrValue>();
  const expectations: ExpectationResult[] = [];
  for (const step of test.decl.steps) {
    if (step.kind === 'given') {
      context = new Map();
      for (const e of step.entries) {
        const a = model.contextSchema.get(e.name.text);
        const v = a ? attributeValue(a, e.value) : undefined;
        if (v?.value !== undefined) context.set(e.name.text, v.value);
      }
      continue;
    }
    const field = model.fields.get(step.field.text);
    const unknownOnly = step.only?.find((i) => (i.kind === 'group' && !model.groups.has(i.name.text) && !model.principals.has(i.name.text)) || (i.kind === 'principal' && !model.principals.has(i.name.text)));
    if (step.what === 'only' && field && !unknownOnly) {
      expectations.push(runOnly(model, test, step, field, context));
      continue;
    }
    const principal = step.principal ? model.principals.get(step.principal.text) : undefined;
    if (!principal || !field) {
      const missing = !field ? `unknown field '${step.field.text}'` : unknownOnly && 'name' in unknownOnly ? `unknown group or principal '${unknownOnly.name.text}'` : `unknown principal '${step.principal?.text ?? ''}'`;
      expectations.push({ test, expectation: step, context, passed: false, checked: false, message: `cannot check: ${missing}` });
      continue;
    }
    const decision = decide(model, principal, context, field);
    if (step.what === 'sees-rows') {
      const expected = residualFilter(step.rows!, envFor(principal, context, field));
      const actual = rowsNormalForm(decision.rows);
      const passed = decision.decision !== 'denied' && rowsNormalForm(expected) === actual;
      const message = passed
        ? `${expectedText(step, expected)}: ${describeDecision(decision)}`
        : decision.decision === 'denied'
          ? `expected ${expectedText(step, expected)}, but it is denied: ${decision.summary}`
          : `expected ${expectedText(step, expected)}, but the rows are ${actual === 'true' ? 'all rows (no filter)' : `where ${actual}`}`;
      expectations.push({ test, expectation: step, decision, context, passed, message, checked: true });
      continue;
    }
    const passed = holds(step, decision);
    const message = passed
      ? `${expectedText(step)}: ${describeDecision(decision)}`
      : `expected ${expectedText(step)}, but it is ${describeDecision(decision)}: ${decision.summary}`;
    expectations.push({ test, expectation: step, decision, context, passed, message, checked: true });
  }
  return { test, passed: expectations.every((e) => e.passed), expectations };
}

export function runTests(model: Model): TestResult[] {
  return [...model.tests.values()].map((t) => runTest(model, t));
}

/** Failing expectations as error diagnostics on their lines (unknown names are reported by the model already). */
export function testDiagnostics(results: TestResult[]): FileDiagnostic[] {
  const out: FileDiagnostic[] = [];
  for (const r of results) {
    for (const e of r.expectations) {
      if (e.passed || !e.checked) continue;
      out.push({
        file: r.test.loc.file,
        range: e.expectation.range,
        severity: 'error',
        code: 'test-failed',
        message: `test ${r.test.name}: ${e.message}`,
        related: e.decision?.reasons.map((x) => ({ file: x.file, range: x.range, message: `${x.effect}: ${x.text}` })),
      });
    }
  }
  return out;
}
