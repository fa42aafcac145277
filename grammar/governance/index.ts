// Governance: central and local rules checked over the whole model, with waivers.
import { registerPass } from '../analysis';
import { todayUtc } from '../model/build';
import { checkGovernance, type Violation } from './check';
import { applyWaivers } from './waivers';
import { inheritPolicyIndex } from '../evaluator/decide';
import type { Model } from '../model/types';

export { checkGovernance, type Violation, type GovernanceScope } from './check';
export { applyWaivers } from './waivers';

registerPass((model, out, opts, run) => {
  const previous = run.memo.get('violations') as Violation[] | undefined;
  const before = run.memo.get('model') as Model | undefined;
  if (run.changed && !run.changed.policies && before) inheritPolicyIndex(before, model);
  run.memo.set('model', model);
  const violations = checkGovernance(model, run.changed && previous ? { previous, ...run.changed } : undefined);
  run.memo.set('violations', violations);
  const { kept, waived, unused } = applyWaivers(model, violations, opts.today ?? todayUtc());
  const plain = ({ rule: _r, target: _t, item: _i, cites: _c, ...d }: Violation) => d;
  out.diagnostics.push(...kept.map(plain), ...unused);
  out.waived.push(...waived.map((w) => ({ ...plain(w), waiver: w.waiver })));
});
