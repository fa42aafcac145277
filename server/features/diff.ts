// charter/diff: what the current text of the workspace (open documents
// included, saved or not) changes against a git revision — access, schema,
// governance — shaped for the Compare with Base view, its decorations and the
// status bar. The base is read with git (host/git.ts) once per commit and
// analysed once; files unchanged since the base share their syntax trees
// with the current analysis, so comparing again after an edit is cheap.

import path from 'node:path';
import { analyze, diffAnalyses, lineParts, LineIndex, ParseCache, renderMarkdown, summarize, type Analysis, type FieldSym, type FileAst, type Reason, type SummaryLine } from '../../grammar/index';
import { GitError, loadGitWorkspace, resolveRevision } from '../../host/git';
import { canonicalUri, pathToUri, uriToPath } from '../project';
import { toRange } from '../convert';
import { CharterMethods, type DiffAccessLine, type DiffDecoration, type DiffDiagnosticItem, type DiffParams, type DiffResult, type LspLocation } from '../protocol';
import { requestFailed, type Feature, type FeatureContext } from './context';

/** Base files whose text is the current one reuse the current syntax tree. */
class SharedParseCache extends ParseCache {
  constructor(private readonly shared: (uri: string, text: string) => FileAst | undefined) {
    super();
  }
  override get(uri: string, text: string): FileAst {
    return this.shared(uri, text) ?? super.get(uri, text);
  }
}

interface Base {
  key: string;
  commit: string;
  analysis: Analysis;
  lines: Map<string, LineIndex>;
  notes: string[];
}

/** The last base analysed (one revision is compared at a time). */
let cached: Base | undefined;

function gitFailed(e: unknown): never {
  if (e instanceof GitError) throw requestFailed(e.message);
  throw e;
}

function loadBase(ctx: FeatureContext, revision: string): Base {
  const roots = ctx.roots();
  if (!roots.length) throw requestFailed('Compare with Base needs a workspace folder inside a git repository.');
  const governance = ctx.settings().governance?.paths ?? [];
  let commits: string[];
  try {
    commits = roots.map((r) => resolveRevision(r, revision).commit);
  } catch (e) {
    gitFailed(e);
  }
  const key = JSON.stringify([revision, roots, commits, governance, ctx.today()]);
  if (cached?.key === key) return cached;
  const files = new Map<string, { uri: string; text: string; central: boolean }>();
  const notes: string[] = [];
  for (const root of roots) {
    let g: ReturnType<typeof loadGitWorkspace>;
    try {
      g = loadGitWorkspace(root, revision, governance);
    } catch (e) {
      gitFailed(e);
    }
    for (const f of g.files) {
      const uri = canonicalUri(pathToUri(f.path));
      const had = files.get(uri);
      files.set(uri, { uri, text: f.text, central: f.central || !!had?.central });
    }
    for (const p of g.problems) notes.push(`${path.relative(root, p.file) || p.file}: ${p.message}`);
    if (g.outside.length) notes.push(`${g.outside.length} file(s) outside the repository (${g.outside[0]}${g.outside.length > 1 ? ', ...' : ''}) are not versioned with it: both sides use them as they are now`);
  }
  const cache = new SharedParseCache((uri, text) => (ctx.text(uri) === text ? ctx.ast(uri) : undefined));
  const analysis = analyze([...files.values()], { today: ctx.today(), parseCache: cache });
  cached = { key, commit: commits[0], analysis, lines: new Map(), notes };
  return cached;
}

function baseLines(base: Base, uri: string): LineIndex {
  let li = base.lines.get(uri);
  if (!li) base.lines.set(uri, (li = new LineIndex(base.analysis.model.files.get(uri)?.text ?? '')));
  return li;
}

/** Rules that decide at one side and not at the other (the reason for a line). */
function ruleChanges(l: SummaryLine): { added: Reason[]; removed: Reason[] } {
  const key = (r: Reason) => `${r.policy.name}\u0000${r.text}`;
  const b = new Set(l.change.reasons.before.map(key));
  const a = new Set(l.change.reasons.after.map(key));
  return { added: l.change.reasons.after.filter((r) => !b.has(key(r))), removed: l.change.reasons.before.filter((r) => !a.has(key(r))) };
}

export const diff: Feature<DiffParams, DiffResult> = {
  method: CharterMethods.diff,
  model: true,
  run(ctx, params) {
    const revision = typeof params?.base === 'string' && params.base.trim() ? params.base.trim() : 'HEAD';
    const current = ctx.analysis();
    const base = loadBase(ctx, revision);
    const d = diffAnalyses(base.analysis, current);
    const s = summarize(d);
    const here = (file: string, range: { start: number; end: number }): LspLocation => ({ uri: file, range: toRange(ctx.lines(file), range) });
    const there = (file: string, range: { start: number; end: number }): LspLocation => ({ uri: file, range: toRange(baseLines(base, file), range) });
    const fieldAt = (f: FieldSym | undefined) => (f ? here(f.loc.file, f.loc.range) : undefined);
    const roots = ctx.roots();
    const relative = (uri: string) => {
      const p = uriToPath(uri);
      const root = p && roots.find((r) => p.startsWith(r + path.sep));
      return p && root ? path.relative(root, p).split(path.sep).join('/') : uri;
    };
    const line = (l: SummaryLine): DiffAccessLine => {
      const [before, after] = lineParts(l);
      const r = l.gone ? { added: [], removed: [] } : ruleChanges(l);
      return {
        kind: l.kind,
        who: l.who,
        principals: l.principals,
        before,
        after,
        when: l.when,
        added: r.added.map((x) => ({ text: x.text, location: here(x.file, x.range) })),
        removed: r.removed.map((x) => ({ text: x.text, file: relative(x.file), line: baseLines(base, x.file).position(x.range.start).line + 1 })),
      };
    };
    const decorations: DiffDecoration[] = [];
    for (const f of s.fields) {
      const sym = f.changes[0].sides.after;
      if (!sym) continue;
      const short = f.lines.map((l) => {
        const noRows = { ...l, before: l.before && { decision: l.before.decision, mask: l.before.mask }, after: l.after && { decision: l.after.decision, mask: l.after.mask } };
        const [b, a] = lineParts(noRows);
        return `${l.who}: ${b === a ? `${b} (rows changed)` : `${b} → ${a}`}`;
      });
      const kind = f.lines.some((l) => l.kind === 'exposure') ? 'exposure' : f.lines.some((l) => l.kind === 'restriction') ? 'restriction' : 'rows';
      decorations.push({
        uri: sym.loc.file,
        range: toRange(ctx.lines(sym.loc.file), sym.loc.range),
        kind,
        text: short.length > 3 ? `${short.slice(0, 2).join('; ')}; +${short.length - 2} more` : short.join('; '),
        hover: [`**Against ${revision}**: ${f.field}`, '', ...f.lines.map((l) => `- ${l.kind}: ${l.who}: ${lineParts(l).join(' → ')}${l.when ? ` when ${l.when}` : ''}`)].join('\n'),
      });
    }
    const diag = (loc: (file: string, r: { start: number; end: number }) => LspLocation) => (x: (typeof d.governance.introduced)[number]): DiffDiagnosticItem => ({ code: x.code, severity: x.severity, message: x.message, location: loc(x.file, x.range) });
    const markdown = renderMarkdown(
      s,
      { at: (side, file, offset) => `${relative(file)}:${(side === 'after' ? ctx.lines(file) : baseLines(base, file)).position(offset).line + 1}` },
      { base: `${revision} (${base.commit.slice(0, 7)})`, head: 'the working tree' },
    );
    return {
      base: revision,
      commit: base.commit,
      headline: s.headline,
      markdown,
      counts: { exposures: s.counts.exposures, restrictions: s.counts.restrictions, rows: s.counts.rows, breaking: s.counts.breaking, schema: s.counts.schema, introduced: s.counts.introduced, resolved: s.counts.resolved },
      fields: s.blocks.map((b) => ({ label: b.label, fields: b.fields.map((f) => ({ field: f.field, location: fieldAt(f.changes[0].sides.after) })), lines: b.fields[0].lines.map(line) })),
      schema: s.schema.map((x) => ({ contract: x.contract, field: x.field, change: x.change, breaking: x.breaking, message: x.message, location: x.at.side === 'after' ? here(x.at.sym.loc.file, x.at.sym.loc.range) : undefined })),
      governance: { introduced: s.governance.introduced.map(diag(here)), resolved: s.governance.resolved.map(diag(there)) },
      decorations,
      notes: base.notes,
    };
  },
};
