// The diff as text (a terminal) and as Markdown (a ready pull-request
// comment): headline first, then access by field, schema, governance. Pure:
// where things are ("sales/orders.charter:16") comes from the caller.

import type { Reason } from '../evaluator/decide';
import type { FileDiagnostic } from '../model/types';
import { lineParts, type DiffSummary, type SummaryLine } from './summary';
import type { AccessChange } from './types';

export interface Where {
  /** "sales/orders.charter:16" for an offset in a file of one side. */
  at(side: 'before' | 'after', file: string, offset: number): string;
}

export interface RenderOptions {
  /** "HEAD (1a2b3c4)". */
  base: string;
  /** "the working tree of examples". */
  head: string;
}

/** The rules that explain a line: those that decide at one side and not at the other. */
function ruleChanges(c: AccessChange): { added: Reason[]; removed: Reason[]; kept: Reason[] } {
  const texts = (rs: Reason[]) => new Set(rs.map((r) => `${r.policy.name}\u0000${r.text}`));
  const b = texts(c.reasons.before);
  const a = texts(c.reasons.after);
  return {
    added: c.reasons.after.filter((r) => !b.has(`${r.policy.name}\u0000${r.text}`)),
    removed: c.reasons.before.filter((r) => !a.has(`${r.policy.name}\u0000${r.text}`)),
    kept: c.reasons.after.filter((r) => b.has(`${r.policy.name}\u0000${r.text}`)),
  };
}

function arrow(l: SummaryLine): string {
  return lineParts(l).join(' → ');
}

function fieldPlace(where: Where, l: SummaryLine): string {
  const f = l.change.sides.after ?? l.change.sides.before!;
  return l.change.sides.after ? where.at('after', f.loc.file, f.loc.range.start) : `at base: ${where.at('before', f.loc.file, f.loc.range.start)}`;
}

const KIND_LABEL = { exposure: 'exposure', restriction: 'restriction', rows: 'rows' } as const;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

// ------------------------------------------------------------------ text

export function renderText(s: DiffSummary, where: Where, opts: RenderOptions): string {
  const out: string[] = [s.headline, `(${opts.base} → ${opts.head})`];
  if (s.fields.length) {
    out.push('', `Access: ${plural(s.counts.exposures, 'exposure')} · ${plural(s.counts.restrictions, 'restriction')} · ${plural(s.counts.rows, 'row filter change')}, on ${plural(s.fields.length, 'field')}`);
    for (const b of s.blocks) {
      const f = b.fields[0];
      out.push(`  ${b.label}  ${fieldPlace(where, f.lines[0])}`);
      for (const l of f.lines) {
        out.push(`    ${KIND_LABEL[l.kind].padEnd(11)}  ${l.who}: ${arrow(l)}${l.when ? ` when ${l.when}` : ''}`);
        const r = l.gone ? { added: [], removed: [], kept: [] } : ruleChanges(l.change);
        for (const x of r.added) out.push(`                 + ${x.text}  (${where.at('after', x.file, x.range.start)})`);
        for (const x of r.removed) out.push(`                 - ${x.text}  (at base: ${where.at('before', x.file, x.range.start)})`);
        if (!r.added.length && !r.removed.length && r.kept[0]) out.push(`                 = ${r.kept[0].text}  (${where.at('after', r.kept[0].file, r.kept[0].range.start)}): the principal changed`);
      }
    }
  }
  if (s.unverified.length) {
    out.push('', `Not verified: ${s.unverified.map((u) => `${u.field} (reads ${u.attributes.map((a) => `context.${a}`).join(', ')}, which has no finite set of values; compared with it unset)`).join('; ')}`);
  }
  if (s.schema.length) {
    out.push('', `Schema: ${s.schema.length} change${s.schema.length === 1 ? '' : 's'}${s.counts.breaking ? `, ${s.counts.breaking} breaking` : ''}`);
    for (const c of s.schema) {
      out.push(`  ${c.change.padEnd(16)} ${c.breaking ? 'BREAKING  ' : ''}${c.message}  (${c.at.side === 'before' ? 'at base: ' : ''}${where.at(c.at.side, c.at.sym.loc.file, c.at.sym.loc.range.start)})`);
    }
  }
  const diag = (side: 'before' | 'after', d: FileDiagnostic) => `${where.at(side, d.file, d.range.start)}: ${d.severity}: ${d.message} [${d.code}]`;
  if (s.governance.introduced.length || s.governance.resolved.length) {
    out.push('', `Governance: ${s.governance.introduced.length} introduced, ${s.governance.resolved.length} resolved`);
    for (const d of s.governance.introduced) out.push(`  introduced  ${diag('after', d)}`);
    for (const d of s.governance.resolved) out.push(`  resolved    ${diag('before', d)} (at base)`);
  }
  return out.join('\n') + '\n';
}

// -------------------------------------------------------------- Markdown

/** Text for a table cell or a list item: no line breaks, no table pipes, no HTML. */
function md(s: string): string {
  return s
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]#~|]/g, (m) => `\\${m}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Inline code that survives backticks and table pipes (a code span shows its text literally, HTML included). */
function code(s: string): string {
  const text = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

const MAX_ROWS = 100;

export const MARKDOWN_MARKER = '<!-- charter-diff -->';

export function renderMarkdown(s: DiffSummary, where: Where, opts: RenderOptions): string {
  const out: string[] = [MARKDOWN_MARKER, `### Charter: ${md(s.headline)}`, ''];
  const c = s.counts;
  out.push(`Compared ${md(opts.head)} with ${md(opts.base)}: **${c.exposures}** exposures · **${c.restrictions}** restrictions · **${c.rows}** row filter changes · **${c.breaking}** breaking · governance: **${c.introduced}** introduced, **${c.resolved}** resolved`);
  if (s.empty) return out.join('\n') + '\n';
  if (s.fields.length) {
    out.push('', '#### Access', '', '| Change | Field | Who | Before → after | When |', '|---|---|---|---|---|');
    const lines = s.blocks.flatMap((b) => b.fields[0].lines.map((l) => ({ f: b.label, l })));
    for (const { f, l } of lines.slice(0, MAX_ROWS)) {
      const [before, after] = lineParts(l);
      const emph = l.kind === 'exposure' ? `**${md(after)}**` : md(after);
      out.push(`| ${l.kind} | ${code(f)} | ${md(l.who)} | ${md(before)} → ${emph} | ${l.gone ? '' : l.when ? md(l.when) : 'always'} |`);
    }
    if (lines.length > MAX_ROWS) out.push('', `… and ${lines.length - MAX_ROWS} more (run \`charter diff\` for all of them).`);
    out.push('', '<details><summary>Why: the rules behind each change</summary>', '');
    for (const { f, l } of lines.slice(0, MAX_ROWS).filter((x) => !x.l.gone)) {
      const r = ruleChanges(l.change);
      out.push(`- ${code(f)} (${md(fieldPlace(where, l))}), ${md(l.who)}: ${md(arrow(l))}`);
      for (const x of r.added) out.push(`  - now: ${code(x.text)} (${md(where.at('after', x.file, x.range.start))})`);
      for (const x of r.removed) out.push(`  - before: ${code(x.text)} (at base: ${md(where.at('before', x.file, x.range.start))})`);
      if (!r.added.length && !r.removed.length && r.kept[0]) out.push(`  - same rules (${code(r.kept[0].text)}); the principal's groups or attributes changed`);
    }
    out.push('', '</details>');
    if (s.unverified.length) {
      out.push('', `> **Not verified** for request contexts setting ${md([...new Set(s.unverified.flatMap((u) => u.attributes))].map((a) => `context.${a}`).join(', '))} (no finite set of values): ${s.unverified.map((u) => code(u.field)).join(', ')}`);
    }
  }
  if (s.schema.length) {
    out.push('', '#### Schema', '', '| Contract | Field | Change | Breaking | What |', '|---|---|---|---|---|');
    for (const x of s.schema.slice(0, MAX_ROWS)) {
      out.push(`| ${code(x.contract)} | ${x.field ? code(x.field.slice(x.contract.length + 1)) : ''} | ${x.change} | ${x.breaking ? '**yes**' : ''} | ${md(x.message)} |`);
    }
    if (s.schema.length > MAX_ROWS) out.push('', `… and ${s.schema.length - MAX_ROWS} more.`);
  }
  if (s.governance.introduced.length || s.governance.resolved.length) {
    out.push('', '#### Governance', '');
    const item = (side: 'before' | 'after', d: FileDiagnostic) => `- **${d.severity}** ${code(d.code)} ${md(where.at(side, d.file, d.range.start))}: ${md(d.message)}`;
    const section = (title: string, side: 'before' | 'after', ds: FileDiagnostic[]) => {
      if (!ds.length) return;
      out.push(`<details${side === 'after' ? ' open' : ''}><summary>${title} (${ds.length})</summary>`, '');
      for (const d of ds.slice(0, MAX_ROWS)) out.push(item(side, d));
      if (ds.length > MAX_ROWS) out.push(`- … and ${ds.length - MAX_ROWS} more`);
      out.push('', '</details>', '');
    };
    section('Introduced', 'after', s.governance.introduced);
    section('Resolved', 'before', s.governance.resolved);
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
