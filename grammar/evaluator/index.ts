// The policy evaluator: decisions, exhaustive search, test blocks.
import { registerPass } from '../analysis';
import { runTests, testDiagnostics } from './tests';

export * from './decide';
export * from './exhaustive';
export * from './tests';
export { evaluate, residualFilter, ERROR, type Tri, type EvalEnv } from './condition';

registerPass((model, out) => {
  out.diagnostics.push(...testDiagnostics(runTests(model)));
});
