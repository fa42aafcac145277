// Governance: central and local rules checked over the whole model, with waivers.
import { registerPass } from '../analysis';
import { todayUtc } from '../model/build';
import { checkGovernance } from './check';
import { applyWaivers } from './waivers';

export { checkGovernance, type Violation } from './check';
export { applyWaivers } from './waivers';

registerPass((model, out, opts) => {
  const { kept, waived, unused } = applyWaivers(model, checkGovernance(model), opts.today ?? todayUtc());
  out.diagnostics.push(...kept.map(({ rule: _r, target: _t, ...d }) => d), ...unused);
  out.waived.push(...waived.map(({ rule: _r, target: _t, ...d }) => d));
});
