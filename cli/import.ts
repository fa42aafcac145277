// `charter import odcs FILE|DIR... [--out DIR] [--format text|json]`:
// writes .charter files from Open Data Contract Standard v3 YAML. The mapping
// is grammar/interop/odcs-import.ts; this module reads the inputs, writes the
// files (never over a file the import did not write), checks the result and
// prints the summary. docs/interop.md has the mapping tables.
//
// Exit codes: 0 imported; 1 imported with problems (a value that could not
// be kept as written, a name clash, a file not overwritten, errors in the
// imported files); 2 unreadable input (a missing file, invalid YAML, a
// document that is not an ODCS v3 data contract) — the readable inputs are
// imported all the same.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../grammar/index';
import { importOdcs, IMPORT_MARK, type ImportNote, type ImportResult, type OdcsInput } from '../grammar/interop/odcs-import';
import { knownNames } from '../grammar/interop/known-names';
import { notOdcs } from '../grammar/interop/odcs-read';
import { parseYaml } from '../grammar/interop/yaml';
import { expandGlobs, loadWorkspace, readSource, type LoadProblem } from '../host/workspace';
import { UsageError } from './errors';
import { governanceOnly } from './export';
import { parse, registerCommand } from './main';
import { toCliDiagnostics } from './output';

const USAGE = 'charter import odcs FILE|DIR... [--out DIR] [--format text|json]';

interface Inputs {
  inputs: OdcsInput[];
  errors: ImportNote[];
  /** Lenient readings worth saying (PyYAML-style quoted strings). */
  notes: ImportNote[];
  skipped: { file: string; reason: string }[];
}

function shown(abs: string): string {
  return (path.relative(process.cwd(), abs) || '.').split(path.sep).join('/');
}

/** The YAML files named on the command line; in a folder, *.odcs.yaml, and other YAML files that are ODCS data contracts. */
function readInputs(args: string[]): Inputs {
  const out: Inputs = { inputs: [], errors: [], notes: [], skipped: [] };
  const files: { abs: string; explicit: boolean }[] = [];
  for (const a of args) {
    const abs = path.resolve(a);
    if (!existsSync(abs)) {
      out.errors.push({ file: a, line: 0, path: '(file)', message: 'no such file or folder' });
      continue;
    }
    if (statSync(abs).isDirectory()) {
      const problems: LoadProblem[] = [];
      const found = expandGlobs(abs, ['**/*.yaml', '**/*.yml'], problems);
      for (const p of problems) out.errors.push({ file: shown(p.file), line: 0, path: '(file)', message: p.message });
      if (!found.length) out.errors.push({ file: a, line: 0, path: '(folder)', message: 'no .yaml or .yml files in this folder' });
      for (const f of found) files.push({ abs: f, explicit: /\.odcs\.ya?ml$/i.test(f) });
    } else files.push({ abs, explicit: true });
  }
  const seen = new Set<string>();
  for (const { abs, explicit } of files) {
    if (seen.has(abs)) continue;
    seen.add(abs);
    const file = shown(abs);
    const r = readSource(abs);
    if (r.problem) {
      out.errors.push({ file, line: 0, path: '(file)', message: r.problem.message });
      continue;
    }
    // readSource keeps offsets by turning a BOM into a space, which YAML would read as indentation.
    const y = parseYaml(readFileSync(abs)[0] === 0xef ? r.text!.slice(1) : r.text!);
    if (!explicit) {
      // A YAML file found in a folder is an input only if it is a data contract.
      const isContract = !y.errors.length && y.docs.length > 0 && y.docs.every((d) => !notOdcs(d));
      if (!isContract) {
        out.skipped.push({ file, reason: y.errors.length ? 'not valid YAML' : 'not an ODCS data contract' });
        continue;
      }
    }
    if (y.errors.length) {
      for (const e of y.errors) out.errors.push({ file, line: e.line, path: `column ${e.column}`, message: `invalid YAML: ${e.message}` });
      continue;
    }
    if (!y.docs.length) {
      out.errors.push({ file, line: 1, path: '(document)', message: 'the file holds no YAML document, not an ODCS data contract' });
      continue;
    }
    if (y.reindented.length) out.notes.push({ file, line: y.reindented[0], path: '(YAML)', message: `quoted strings continue at their key's indentation on ${y.reindented.length} line${y.reindented.length === 1 ? '' : 's'} (as PyYAML writes them; YAML 1.2 asks for more): read as if indented` });
    out.inputs.push({ file, docs: y.docs });
  }
  return out;
}

/** What the target folder's .charter files declare, except `skip` (files this import will overwrite). */
function knownIn(outDir: string, skip: Set<string>) {
  if (!existsSync(outDir)) return knownNames([]);
  let files: { uri: string; text: string }[] = [];
  try {
    files = loadWorkspace(outDir).files.filter((f) => !skip.has(path.resolve(f.path))).map((f) => ({ uri: shown(f.path), text: f.text }));
  } catch {
    /* not a folder we can read: nothing known */
  }
  return knownNames(files);
}

function isImportOutput(abs: string): boolean {
  try {
    return readFileSync(abs, 'utf8').replace(/^\uFEFF/, '').startsWith(`# ${IMPORT_MARK}`);
  } catch {
    return false;
  }
}

/** Files of earlier imports in the target folder, by relative path: the ODCS ids (or file names) they came from. */
function earlierImports(outDir: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (!existsSync(outDir)) return out;
  for (const abs of expandGlobs(outDir, ['**/*.charter'], [])) {
    if (!isImportOutput(abs)) continue;
    const from = new Set<string>();
    for (const l of readFileSync(abs, 'utf8').split(/\r?\n/)) {
      const m = /^# Source: (.+?)(?: \(document \d+\))?, ODCS [^,]*(?:, id (.+))?$/.exec(l);
      if (m) from.add(m[2] !== undefined ? `id:${m[2]}` : `file:${path.basename(m[1])}`);
      else if (!l.startsWith('#')) break;
    }
    out.set(path.relative(outDir, abs).split(path.sep).join('/'), from);
  }
  return out;
}

/** What identifies an input document in the header of the file it becomes. */
function sourcesOf(inputs: OdcsInput[]): Set<string> {
  const out = new Set<string>();
  for (const i of inputs) {
    for (const d of i.docs) {
      const id = (d.value as { id?: unknown } | null)?.id;
      out.add(typeof id === 'string' || typeof id === 'number' ? `id:${id}` : `file:${path.basename(i.file)}`);
    }
  }
  return out;
}

export async function runImport(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' }, format: { type: 'string', default: 'text' } });
  const [what, ...paths] = positionals;
  if (what !== 'odcs') throw new UsageError(what ? `unknown import format '${what}' (expected odcs): ${USAGE}` : `import what? ${USAGE}`);
  if (!paths.length) throw new UsageError(`name the ODCS files or folders to import: ${USAGE}`);
  if (values.out === '') throw new UsageError('--out needs a folder');
  const format = String(values.format);
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format is text or json, not '${format}'`);
  const outDir = path.resolve(values.out ?? '.');
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`--out ${values.out} is a file, not a folder`);

  const read = readInputs(paths);
  // Earlier imports of these documents are overwritten (and what they declare is declared again);
  // the files of other imports are left alone, and their paths are not used.
  const earlier = earlierImports(outDir);
  const now = sourcesOf(read.inputs);
  const reserved = new Set<string>();
  const overwritten = new Set<string>();
  for (const [rel, from] of earlier) {
    if ([...from].some((s) => now.has(s))) overwritten.add(path.join(outDir, rel));
    else reserved.add(rel);
  }
  const result = importOdcs(read.inputs, { known: knownIn(outDir, overwritten), reserved });
  result.errors.unshift(...read.errors);
  result.renamed.unshift(...read.notes);

  const written: ImportResult['files'] = [];
  for (const f of result.files) {
    const abs = path.join(outDir, f.path);
    if (existsSync(abs) && !isImportOutput(abs)) {
      result.problems.push({ file: f.sources[0] ?? f.path, line: 1, path: '(document)', message: `${shown(abs)} exists and was not written by charter import: it was not overwritten (move it, or import with another --out)` });
      continue;
    }
    try {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, f.text);
      written.push(f);
    } catch (e) {
      throw new UsageError(`cannot write ${shown(abs)}: ${(e as Error).message}`);
    }
  }
  const rewritten = new Set(written.map((f) => path.join(outDir, f.path)));
  for (const stale of overwritten) {
    if (!rewritten.has(stale)) result.problems.push({ file: shown(stale), line: 1, path: '(document)', message: 'holds an earlier import of these documents under another name, and was left as it is: delete it if it is stale' });
  }
  if (written.length) checkWritten(outDir, written, result);

  if (format === 'json') {
    process.stdout.write(JSON.stringify({
      files: written.map((f) => ({ path: shown(path.join(outDir, f.path)), contracts: f.contracts, sources: f.sources })),
      contracts: written.reduce((n, f) => n + f.contracts.length, 0),
      fields: written.reduce((n, f) => n + f.fields, 0),
      renamed: result.renamed,
      notImported: result.notImported,
      problems: result.problems,
      errors: result.errors,
      skipped: read.skipped,
    }, null, 2) + '\n');
  } else printSummary(outDir, written, result, read.skipped);
  for (const e of result.errors) process.stderr.write(`charter import: ${where(e)}: ${e.message}\n`);
  return result.errors.length ? 2 : result.problems.length ? 1 : 0;
}

function where(n: ImportNote): string {
  const col = /^column (\d+)$/.exec(n.path);
  return n.line ? `${n.file}:${n.line}${col ? `:${col[1]}` : ''}` : n.file;
}

/** The written files must check without errors (governance findings are reported, not counted as problems of the import). */
function checkWritten(outDir: string, written: ImportResult['files'], result: ImportResult): void {
  const ws = loadWorkspace(outDir);
  const analysis = analyze(ws.files);
  const mine = new Map(written.map((f) => [path.join(outDir, f.path), f]));
  const diags = toCliDiagnostics(ws.root, analysis.model, analysis.diagnostics, ws.problems);
  for (const d of diags) {
    const f = mine.get(path.resolve(ws.root, d.file));
    if (!f || d.severity !== 'error' || governanceOnly(d.code)) continue;
    result.problems.push({ file: shown(path.join(outDir, f.path)), line: d.line, path: `column ${d.column}`, message: `charter check: ${d.code}: ${d.message}` });
  }
}

function printSummary(outDir: string, written: ImportResult['files'], r: ImportResult, skipped: Inputs['skipped']): void {
  const w = (s: string) => process.stdout.write(s + '\n');
  for (const f of written) w(`wrote ${shown(path.join(outDir, f.path))}: ${f.contracts.length ? f.contracts.join(', ') : 'no contract'} (from ${f.sources.join(', ')})`);
  for (const s of skipped) w(`skipped ${s.file}: ${s.reason}`);
  const section = (title: string, notes: ImportNote[]) => {
    if (!notes.length) return;
    w(`\n${title} (${notes.length}):`);
    for (const n of notes) w(`  ${where(n)}  ${n.path}: ${n.message}`);
  };
  section('renamed or converted', r.renamed);
  section('not imported: no Charter equivalent', r.notImported);
  section('problems', r.problems);
  const contracts = written.reduce((n, f) => n + f.contracts.length, 0);
  const fields = written.reduce((n, f) => n + f.fields, 0);
  const plural = (n: number, s: string) => `${n} ${s}${n === 1 ? '' : 's'}`;
  w(`\nimported ${plural(contracts, 'contract')} with ${plural(fields, 'field')} into ${plural(written.length, 'file')}; ${r.renamed.length} renamed or converted, ${r.notImported.length} not imported, ${plural(r.problems.length, 'problem')}${r.errors.length ? `, ${plural(r.errors.length, 'unreadable input')}` : ''}`);
}

registerCommand('import', runImport);
