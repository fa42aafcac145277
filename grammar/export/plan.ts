// The engine-neutral enforcement plan behind `charter export postgres |
// snowflake | databricks`: per contract its physical table, its columns and,
// per column, the ordered allow/deny/mask rules that apply to it (the
// evaluator's own `applicableRules`), with audiences already resolved (owner
// = the contract's owning group) and conditions kept as the condition AST;
// and the row filters, split into those that apply to every column (a filter
// on the table) and those that apply only to some (a tagged policy's filter:
// it hides those cells in the rows it does not keep). Built once from the
// model; each engine's printer (postgres.ts, snowflake.ts, databricks.ts)
// only prints it. Pure: no I/O.

import type * as A from '../ast';
import { applicableRules, inAudience, ruleText } from '../evaluator/decide';
import { LineIndex } from '../text';
import { MASK_METHODS, type AttrValue, type AttributeSym, type ContractSym, type MaskMethod, type Model, type PrincipalSym } from '../model/types';

/** An audience item with `owner` resolved; `nobody` is `owner` of a contract without one. */
export type PlanAudienceItem = { kind: 'everyone' } | { kind: 'nobody' } | { kind: 'group'; name: string } | { kind: 'principal'; name: string };

export interface PlanAudience {
  include: PlanAudienceItem[];
  except: PlanAudienceItem[];
}

export interface PlanRule {
  kind: 'allow' | 'deny' | 'mask' | 'rows';
  /** `policy.n`, n the 1-based rule number in its policy (as the Cedar export's @id). */
  id: string;
  policy: string;
  /** `file:line`. */
  source: string;
  /** The rule's Charter text on one line. */
  text: string;
  audience: PlanAudience;
  /** allow/deny/mask: the `when` condition. */
  condition?: A.Expr;
  /** mask: the method. */
  method?: MaskMethod;
  /** rows: the filter. */
  filter?: A.Expr;
}

/** What `resource.X` is for one column (constants of the export). */
export interface PlanResource {
  domain: string;
  owner: string;
  name: string;
  tags: string[];
}

export interface PlanColumn {
  name: string;
  /** The Charter field type (`string`, `decimal`, `list<string>`...). */
  type: string;
  resource: PlanResource;
  /** allow, deny and mask rules in declaration order. */
  rules: PlanRule[];
  /** Row filters that apply to this column only (not to every column of the contract). */
  rowFilters: PlanRule[];
  /** Some mask other than `null` may apply to it (its masked value is text). */
  textMasks: boolean;
}

export interface PlanContract {
  name: string;
  domain: string;
  /** The contract name without its domain (`orders` of `sales.orders`). */
  product: string;
  owner?: string;
  /** `source SYSTEM "LOCATION"`. */
  source?: { system: string; location: string };
  columns: PlanColumn[];
  /** Row filters that apply to every column: a filter on the table. */
  rowFilters: PlanRule[];
  /** Principals who may read some column in some context (in the audience of an applicable allow rule). */
  readers: string[];
}

export interface PlanPrincipal {
  name: string;
  groups: string[];
  attributes: [string, AttrValue][];
}

export interface PlanAttribute {
  name: string;
  /** `string`, `number`, `bool`, `date`, or `enum` with its values. */
  type: 'string' | 'number' | 'bool' | 'date' | 'enum';
  values?: string[];
}

export interface EnforcementPlan {
  groups: string[];
  principals: PlanPrincipal[];
  subject: PlanAttribute[];
  context: PlanAttribute[];
  contracts: PlanContract[];
}

export interface PlanOptions {
  /** How a model file is shown in rule sources (default: its URI). */
  fileName?: (uri: string) => string;
}

function planAttribute(a: AttributeSym): PlanAttribute {
  const t = a.type;
  if (t.kind === 'enum') return { name: a.name, type: 'enum', values: t.values.map((v) => v.value) };
  return { name: a.name, type: t.kind };
}

function audience(a: A.Audience, owner: string | undefined): PlanAudience {
  const item = (i: A.AudienceItem): PlanAudienceItem => {
    switch (i.kind) {
      case 'everyone':
        return { kind: 'everyone' };
      case 'owner':
        return owner ? { kind: 'group', name: owner } : { kind: 'nobody' };
      case 'group':
        return { kind: 'group', name: i.name.text };
      case 'principal':
        return { kind: 'principal', name: i.name.text };
    }
  };
  return { include: a.include.map(item), except: a.except.map(item) };
}

/** Does an expression read `resource.tags` (which differs from column to column)? */
function readsTags(e: A.Expr | undefined): boolean {
  if (!e) return false;
  switch (e.kind) {
    case 'ref':
      return e.path.parts[0].text === 'resource' && e.path.parts[1]?.text === 'tags';
    case 'binary':
      return readsTags(e.left) || readsTags(e.right);
    case 'not':
      return readsTags(e.operand);
    case 'list':
      return e.items.some(readsTags);
    default:
      return false;
  }
}

export function buildPlan(model: Model, opts: PlanOptions = {}): EnforcementPlan {
  const fileName = opts.fileName ?? ((u: string) => u);
  const lines = new Map<string, LineIndex>();
  const sourceOf = (file: string, offset: number) => {
    let li = lines.get(file);
    if (!li) lines.set(file, (li = new LineIndex(model.files.get(file)?.text ?? '')));
    return `${fileName(file)}:${li.position(offset).line + 1}`;
  };
  const ruleCache = new Map<A.PolicyRule, PlanRule>();
  const principals = [...model.principals.values()];

  const contracts: PlanContract[] = [];
  for (const c of model.contracts.values()) contracts.push(planContract(c));

  function planRule(policyName: string, rule: A.PolicyRule, index: number, file: string, owner: string | undefined): PlanRule {
    const pr: PlanRule = {
      kind: rule.kind,
      id: `${policyName}.${index + 1}`,
      policy: policyName,
      source: sourceOf(file, rule.range.start),
      text: ruleText(model, model.policies.get(policyName)!, rule),
      audience: audience(rule.audience, owner),
    };
    if (rule.kind === 'rows') pr.filter = rule.filter;
    else if (rule.condition) pr.condition = rule.condition;
    if (rule.kind === 'mask') pr.method = rule.method.text as MaskMethod;
    return pr;
  }

  function planContract(c: ContractSym): PlanContract {
    ruleCache.clear(); // audiences resolve `owner` per contract
    const fields = [...c.fields.values()];
    const perField = fields.map((f) => applicableRules(model, f));
    const get = (r: { policy: { name: string; loc: { file: string }; decl: A.PolicyDecl }; rule: A.PolicyRule }) => {
      let pr = ruleCache.get(r.rule);
      if (!pr) ruleCache.set(r.rule, (pr = planRule(r.policy.name, r.rule, r.policy.decl.rules.indexOf(r.rule), r.policy.loc.file, c.owner)));
      return pr;
    };
    // A row filter is the table's when it applies to every column and reads nothing column-specific.
    const rowsCount = new Map<A.PolicyRule, number>();
    for (const rules of perField) for (const r of rules) if (r.rule.kind === 'rows') rowsCount.set(r.rule, (rowsCount.get(r.rule) ?? 0) + 1);
    const sameTags = fields.every((f) => [...f.tags.keys()].join('\n') === [...(fields[0]?.tags.keys() ?? [])].join('\n'));
    const tableLevel = (rule: A.PolicyRule) => rowsCount.get(rule) === fields.length && (sameTags || !readsTags((rule as A.RowsRule).filter));
    const tableFilters: PlanRule[] = [];
    const seenTable = new Set<A.PolicyRule>();
    const columns: PlanColumn[] = fields.map((f, i) => {
      const rules: PlanRule[] = [];
      const rowFilters: PlanRule[] = [];
      for (const r of perField[i]) {
        if (r.rule.kind === 'rows') {
          if (tableLevel(r.rule)) {
            if (!seenTable.has(r.rule)) {
              seenTable.add(r.rule);
              tableFilters.push(get(r));
            }
          } else rowFilters.push(get(r));
        } else if (r.rule.kind !== 'mask' || (MASK_METHODS as readonly string[]).includes(r.rule.method.text)) rules.push(get(r));
      }
      return {
        name: f.name,
        type: f.type,
        resource: { domain: c.domain, owner: c.owner ?? '', name: c.name, tags: [...f.tags.keys()] },
        rules,
        rowFilters,
        textMasks: rules.some((r) => r.kind === 'mask' && r.method !== 'null'),
      };
    });
    const readers = principals
      .filter((p: PrincipalSym) => perField.some((rules) => rules.some((r) => r.rule.kind === 'allow' && inAudience(r.rule.audience, p, c.owner))))
      .map((p) => p.name);
    const src = c.decl.source;
    const location = src?.location && 'value' in src.location ? String(src.location.value) : '';
    return {
      name: c.name,
      domain: c.domain,
      product: c.name.startsWith(c.domain + '.') ? c.name.slice(c.domain.length + 1) : c.name,
      owner: c.owner,
      source: src ? { system: src.system.text, location } : undefined,
      columns,
      rowFilters: tableFilters,
      readers,
    };
  }

  return {
    groups: [...model.groups.keys()],
    principals: principals.map((p) => ({ name: p.name, groups: [...p.groups].filter((g) => model.groups.has(g)), attributes: [...p.attributes].filter(([k]) => model.subjectSchema.has(k)) })),
    subject: [...model.subjectSchema.values()].map(planAttribute),
    context: [...model.contextSchema.values()].map(planAttribute),
    contracts,
  };
}

/** The audience as a Charter-like phrase, for comments. */
export function audienceText(a: PlanAudience): string {
  const item = (i: PlanAudienceItem) => (i.kind === 'group' ? i.name : i.kind === 'principal' ? `principal ${i.name}` : i.kind);
  return a.include.map(item).join(', ') + (a.except.length ? ` except ${a.except.map(item).join(', ')}` : '');
}
