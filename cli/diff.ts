// `charter diff [BASE] [DIR] [--format text|json|markdown|sarif] [--fail-on KINDS]`
// BASE: a git revision of the repository holding DIR (default HEAD), read
// with git itself, or a folder. DIR: the working tree, as `check` loads it.

import path from 'node:path';
import { analyze, diffAnalyses, ParseCache, renderMarkdown, renderText, summarize, type Analysis } from '../grammar/index';
import { GitError, loadBase, WorkspaceError, type BaseWorkspace } from '../host/base';
import { parse, VERSION } from './main';
import { loadForCli } from './load';
import { UsageError } from './errors';
import { diffJson, diffSarif, where } from './diff-output';

const FORMATS = ['text', 'json', 'markdown', 'sarif'];
const FAIL_ON = ['exposure', 'breaking', 'violation'] as const;
type FailOn = (typeof FAIL_ON)[number];

function failOnKinds(raw: string[] | undefined): Set<FailOn> {
  const out = new Set<FailOn>();
  for (const k of (raw ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!(FAIL_ON as readonly string[]).includes(k)) throw new UsageError(`--fail-on takes ${FAIL_ON.join(', ')} (comma-separated), not '${k}'`);
    out.add(k as FailOn);
  }
  return out;
}

function errorCount(a: Analysis): number {
  return a.diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('rule:') && d.code !== 'test-failed').length;
}

export function runDiff(args: string[]): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string', multiple: true },
    today: { type: 'string' },
  });
  const format = values.format as string;
  if (!FORMATS.includes(format)) throw new UsageError(`--format is text, json, markdown or sarif, not '${format}'`);
  const failOn = failOnKinds(values['fail-on'] as string[] | undefined);
  const today = values.today as string | undefined;
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError(`--today takes a date YYYY-MM-DD, not '${today}'`);
  if (positionals.length > 2) throw new UsageError(`takes BASE and DIR, got ${positionals.length} arguments: ${positionals.join(' ')}`);
  const [baseArg = 'HEAD', dir = '.'] = positionals;

  const head = loadForCli(dir);
  let base: BaseWorkspace;
  try {
    base = loadBase(baseArg, dir);
  } catch (e) {
    if (e instanceof GitError || e instanceof WorkspaceError) throw new UsageError(e.message);
    throw e;
  }
  const config = base.problems.find((p) => p.code === 'config');
  if (config) throw new UsageError(config.message);
  if (!head.files.length && !base.files.length) throw new UsageError(`no .charter files found in ${dir}, now or at ${baseArg} (check the folder, or "include" in charter.json)`);

  const warn = (m: string) => process.stderr.write(`charter diff: ${m}\n`);
  for (const p of base.problems) warn(`warning: ${path.relative(process.cwd(), p.file) || p.file}: ${p.message}`);
  for (const p of head.problems) warn(`${p.code === 'io' ? 'error' : 'warning'}: ${path.relative(process.cwd(), p.file) || p.file}: ${p.message}`);
  if (base.outside.length) warn(`note: ${base.outside.length} file(s) outside the repository (${path.relative(process.cwd(), base.outside[0])}${base.outside.length > 1 ? ', ...' : ''}) are not versioned with it: both sides use them as they are now`);

  // Files unchanged since BASE are parsed once.
  const cache = new ParseCache();
  const before = analyze(base.files, { today, parseCache: cache });
  const after = analyze(head.files, { today, parseCache: cache });
  const [nb, na] = [errorCount(before), errorCount(after)];
  if (nb || na) warn(`warning: ${na} error${na === 1 ? '' : 's'} in the working tree, ${nb} at ${baseArg} (see charter check): where they are, the comparison may be incomplete`);
  const diff = diffAnalyses(before, after);
  const summary = summarize(diff);
  const sides = { root: head.root, before, after };
  const opts = {
    base: base.kind === 'git' ? `${baseArg} (${base.commit!.slice(0, 7)})` : `folder ${baseArg}`,
    head: dir === '.' ? 'the working tree' : `the working tree of ${dir}`,
  };
  if (format === 'json') process.stdout.write(JSON.stringify(diffJson(sides, diff, baseArg, dir), null, 2) + '\n');
  else if (format === 'sarif') process.stdout.write(JSON.stringify(diffSarif(sides, summary, VERSION), null, 2) + '\n');
  else if (format === 'markdown') process.stdout.write(renderMarkdown(summary, where(sides), opts));
  else process.stdout.write(renderText(summary, where(sides), opts));

  if (head.problems.some((p) => p.code === 'io')) return 2;
  const present: Record<FailOn, boolean> = {
    exposure: diff.access.some((c) => c.kind === 'exposure'),
    breaking: diff.schema.some((s) => s.breaking),
    violation: summary.counts.violations > 0,
  };
  return [...failOn].some((k) => present[k]) ? 1 : 0;
}
