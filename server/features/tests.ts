// charter/tests (discovery for the Test Explorer) and charter/runTest.

import { runTest as run } from '../../grammar/evaluator/tests';
import type { TestSym } from '../../grammar/index';
import { CharterMethods, type ListTestsResult, type RunTestParams, type RunTestResult } from '../protocol';
import { toRange } from '../convert';
import { requestFailed, type Feature } from './context';

export const listTests: Feature<unknown, ListTestsResult> = {
  method: CharterMethods.listTests,
  model: true,
  run(ctx) {
    const model = ctx.analysis().model;
    return {
      tests: [...model.tests.values()].map((t) => ({ name: t.name, uri: t.loc.file, range: toRange(ctx.lines(t.loc.file), t.decl.range) })),
    };
  },
};

export const runTest: Feature<RunTestParams, RunTestResult> = {
  method: CharterMethods.runTest,
  model: true,
  run(ctx, params) {
    const model = ctx.analysis().model;
    let tests: TestSym[];
    if (typeof params?.name === 'string') {
      const t = model.tests.get(params.name);
      if (!t) throw requestFailed(`unknown test '${params.name}'`);
      tests = [t];
    } else if (typeof params?.uri === 'string') {
      const key = ctx.key(params.uri);
      tests = [...model.tests.values()].filter((t) => t.loc.file === key);
    } else tests = [...model.tests.values()];
    return {
      tests: tests.map((t) => {
        const r = run(model, t);
        const li = ctx.lines(t.loc.file);
        return {
          name: t.name,
          uri: t.loc.file,
          range: toRange(li, t.decl.range),
          passed: r.passed,
          expectations: r.expectations.map((e) => ({
            range: toRange(li, e.expectation.range),
            passed: e.passed,
            message: e.message,
            context: Object.fromEntries(e.context),
            decision: e.decision && e.expectation.principal
              ? {
                  principal: e.expectation.principal.text,
                  field: e.expectation.field.text,
                  decision: e.decision.decision,
                  mask: e.decision.mask,
                  rows: e.decision.rows,
                  summary: e.decision.summary,
                  reasons: e.decision.reasons.map((x) => ({ policy: x.policy.name, effect: x.effect, text: x.text, failedClosed: !!x.failedClosed, location: { uri: x.file, range: toRange(ctx.lines(x.file), x.range) } })),
                }
              : undefined,
          })),
        };
      }),
    };
  },
};
