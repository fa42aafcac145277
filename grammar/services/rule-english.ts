// Policy rules, conditions and governance rules as plain English, for hover:
//   allow read to analysts when subject.clearance >= 2 and context.mfa
//   -> "Allows members of analysts to read every field of sales.orders, when
//       their clearance is at least 2 and the request's mfa is true."

import type * as A from '../ast';
import { MASK_METHOD_DOCS } from './describe';

const OPS: Record<A.CompareOp, string> = {
  '==': 'is',
  '!=': 'is not',
  '<': 'is less than',
  '<=': 'is at most',
  '>': 'is more than',
  '>=': 'is at least',
  in: 'is one of',
};

function literalText(l: A.Literal): string {
  switch (l.kind) {
    case 'string':
      return JSON.stringify(l.value);
    case 'list':
      return l.items.map(literalText).join(', ');
    case 'duration':
    case 'percent':
      return l.text;
    default:
      return String(l.value);
  }
}

/** `subject.region` -> "their region"; `context.mfa` -> "the request's mfa"; a column -> "the row's country". */
function operand(e: A.Expr): string {
  switch (e.kind) {
    case 'literal':
      return literalText(e.value);
    case 'list':
      return e.items.map(operand).join(', ');
    case 'ref': {
      const [head, ...rest] = e.path.parts.map((p) => p.text);
      if (head === 'subject' && rest.length) return `their ${rest.join('.')}`;
      if (head === 'context' && rest.length) return `the request's ${rest.join('.')}`;
      if (head === 'resource' && rest.length) return `the data's ${rest.join('.')}`;
      return `the row's ${e.path.text}`;
    }
    default:
      return `(${conditionEnglish(e)})`;
  }
}

/** A condition in words. */
export function conditionEnglish(e: A.Expr): string {
  switch (e.kind) {
    case 'binary':
      if (e.op === 'and' || e.op === 'or') {
        const side = (x: A.Expr) => (x.kind === 'binary' && (x.op === 'and' || x.op === 'or') && x.op !== e.op ? `(${conditionEnglish(x)})` : conditionEnglish(x));
        return `${side(e.left)} ${e.op} ${side(e.right)}`;
      }
      if (e.op === 'in') return `${operand(e.left)} is one of ${operand(e.right)}`;
      return `${operand(e.left)} ${OPS[e.op]} ${operand(e.right)}`;
    case 'not':
      if (e.operand.kind === 'ref') return `${operand(e.operand)} is false`;
      if (e.operand.kind === 'has') return hasText(e.operand, true);
      return `not (${conditionEnglish(e.operand)})`;
    case 'has':
      return hasText(e, false);
    case 'ref':
      return `${operand(e)} is true`;
    case 'literal':
      return e.value.kind === 'bool' ? (e.value.value ? 'always' : 'never') : literalText(e.value);
    case 'list':
      return operand(e);
  }
}

function hasText(e: Extract<A.Expr, { kind: 'has' }>, negated: boolean): string {
  const [head, ...rest] = e.path.parts.map((p) => p.text);
  const attr = rest.join('.');
  if (head === 'subject') return negated ? `they have no ${attr} attribute` : `they have a ${attr} attribute`;
  return negated ? `the request sets no ${attr}` : `the request sets ${attr}`;
}

function item(i: A.AudienceItem, owner: string): string {
  switch (i.kind) {
    case 'everyone':
      return 'everyone';
    case 'owner':
      return owner;
    case 'group':
      return `members of ${i.name.text}`;
    case 'principal':
      return i.name.text;
  }
}

function list(words: string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return words.slice(0, -1).join(', ') + ' and ' + words[words.length - 1];
}

/** "members of analysts", "everyone except the owning team and members of privacy-office". */
export function audienceEnglish(a: A.Audience, owner = 'the owning team'): string {
  const inc = list(a.include.map((i) => item(i, owner)));
  if (!a.except.length) return inc;
  return `${inc} except ${list(a.except.map((i) => item(i, owner)))}`;
}

export function targetEnglish(t: A.PolicyTarget): string {
  switch (t.kind) {
    case 'contract':
      return t.name.text;
    case 'wildcard':
      return `every contract of domain ${t.prefix.text}`;
    case 'domain':
      return `every contract of domain ${t.name.text}`;
    case 'tagged':
      return `fields tagged ${list(t.tags.map((x) => x.text))} (or a child classification)`;
  }
}

function fieldsPhrase(rule: A.PolicyRule, target: A.PolicyTarget | undefined): string {
  const t = target ? targetEnglish(target) : 'the target';
  if (target?.kind === 'tagged') return t;
  if (rule.fields.length) return `${list(rule.fields.map((f) => f.text))} of ${t}`;
  return `every field of ${t}`;
}

/** A policy rule as one or two sentences. `owner` names the owning group when the target has one. */
export function ruleEnglish(rule: A.PolicyRule, target: A.PolicyTarget | undefined, owner?: string): string {
  const ownerWord = owner ? `the owning team (${owner})` : 'the owning team';
  const who = audienceEnglish(rule.audience, ownerWord);
  const when = rule.condition ? `, when ${conditionEnglish(rule.condition)}` : '';
  const fields = fieldsPhrase(rule, target);
  switch (rule.kind) {
    case 'allow': {
      const action = rule.action.text;
      const s = `Allows ${who} to ${action} ${fields}${when}.`;
      const extra = action !== 'read' ? ' (Only read rules decide who can see data.)' : '';
      return s + extra + (rule.condition ? ' If the condition cannot be evaluated (a missing attribute), it does not allow (fails closed).' : '');
    }
    case 'deny': {
      const s = `Denies ${who} ${rule.action.text} access to ${fields}${when}; a deny overrides every allow.`;
      return s + (rule.condition ? ' If the condition cannot be evaluated (a missing attribute), it denies (fails closed).' : '');
    }
    case 'mask': {
      const doc = MASK_METHOD_DOCS[rule.method.text];
      const s = `Masks ${fields} with ${rule.method.text}${doc ? ` (${doc})` : ''} for ${who}${when}, if they may read it at all; the strongest matching mask wins.`;
      return s + (rule.condition ? ' If the condition cannot be evaluated, it masks (fails closed).' : '');
    }
    case 'rows':
      return `Limits ${who} to the rows of ${target ? targetEnglish(target) : 'the target'} where ${conditionEnglish(rule.filter)}. If the filter cannot be evaluated, no rows are kept (fails closed).`;
  }
}

function selectorEnglish(s: A.Selector): string {
  let out = s.quantifier === 'every' ? `every ${s.what}` : `no ${s.what}`;
  if (s.tagged.length) out += ` tagged ${list(s.tagged.map((t) => t.text))}${s.unprotected ? ' (unprotected)' : ''}`;
  if (s.withFieldsTagged.length) out += ` with fields tagged ${list(s.withFieldsTagged.map((t) => t.text))}${s.unprotected ? ' (unprotected)' : ''}`;
  return out;
}

/** A governance rule's body in words. */
export function govRuleEnglish(r: A.GovRule): string {
  const b = r.body;
  if (!b) return '';
  const sel = selectorEnglish(b.selector);
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  switch (b.form) {
    case 'must-have':
      return `${cap(sel)} must have ${b.path.text}${b.op && b.value ? ` ${OPS[b.op]} ${literalText(b.value as A.Literal)}` : ''}.`;
    case 'must-match':
      return `${cap(sel)} must be named to match /${b.regex.value}/.`;
    case 'must-be-masked':
      return `${cap(sel)} must be masked (or denied) for ${audienceEnglish(b.audience)} — checked by simulating every principal in every combination of the finite context attributes.`;
    case 'not-readable':
      return `${cap(sel)} may be readable (clear or masked) by ${audienceEnglish(b.audience)} — checked by simulating every principal in every combination of the finite context attributes.`;
    case 'not-flow':
      return `${cap(sel)} may flow through lineage into ${b.target.kind} ${b.target.name.text} from outside it.`;
  }
}
