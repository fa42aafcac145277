// Running `test` blocks: each expectation is decided and compared. A failing
// expectation says what was decided and why; it becomes an error diagnostic
// on its line (editor, `charter check`) and a failure in `charter test`.

import type * as A from '../ast';
import type { AttrValue, FileDiagnostic, Model, TestSym } from '../model/types';
import { attributeValue } from '../model/check-decls';
import { decide, type Decision } from './decide';

export interface ExpectationResult {
  test: TestSym;
  expectation: A.Expectation;
  /** undefined when the expectation names something unknown (already a diagnostic). */
  decision?: Decision;
  context: Map<string, AttrValue>;
  passed: boolean;
  /** "expected alice to see sales.orders.customer_email masked with redact, but it is clear". */
  message: string;
}

export interface TestResult {
  test: TestSym;
  passed: boolean;
  expectations: ExpectationResult[];
}

function expectedText(e: A.Expectation): string {
  switch (e.what) {
    case 'can-read':
      return `${e.principal.text} can read ${e.field.text}`;
    case 'cannot-read':
      return `${e.principal.text} cannot read ${e.field.text}`;
    case 'sees-clear':
      return `${e.principal.text} sees ${e.field.text} in clear`;
    case 'sees-masked':
      return `${e.principal.text} sees ${e.field.text} masked${e.method ? ' with ' + e.method.text : ''}`;
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
  }
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
    const principal = model.principals.get(step.principal.text);
    const field = model.fields.get(step.field.text);
    if (!principal || !field) {
      expectations.push({ test, expectation: step, context, passed: false, message: `cannot check: ${!principal ? `unknown principal '${step.principal.text}'` : `unknown field '${step.field.text}'`}` });
      continue;
    }
    const decision = decide(model, principal, context, field);
    const passed = holds(step, decision);
    const message = passed
      ? `${expectedText(step)}: ${describeDecision(decision)}`
      : `expected ${expectedText(step)}, but it is ${describeDecision(decision)}: ${decision.summary}`;
    expectations.push({ test, expectation: step, decision, context, passed, message });
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
      if (e.passed || !e.decision) continue;
      out.push({
        file: r.test.loc.file,
        range: e.expectation.range,
        severity: 'error',
        code: 'test-failed',
        message: `test ${r.test.name}: ${e.message}`,
        related: e.decision.reasons.map((x) => ({ file: x.file, range: x.range, message: `${x.effect}: ${x.text}` })),
      });
    }
  }
  return out;
}
