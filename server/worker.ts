// The analysis worker: owns the workspace's files, the parse cache and the
// current analysis; analyses after edits (a newer edit cancels older work at
// every checkpoint: between files while parsing, before publishing), publishes
// the diagnostics of every file whose diagnostics changed, and answers the
// LSP requests that need the model. Runs in a worker thread so the LSP thread
// stays responsive (completion never waits for an analysis).

import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ResponseError } from 'vscode-languageserver/node';
import { analyze, Analyzer, ParseCache, todayUtc, type Analysis, type FileDiagnostic } from '../grammar/index';
import { completionIndex } from '../grammar/services/completion-index';
import { Lines, toLspDiagnostic } from './convert';
import { PublishedDiagnostics, shiftThroughEdit, type FileDiagnostics } from './diagnostics';
import { configContextDiagnostics } from './config-diagnostics';
import { ErrorCodes, workspaceContext, type FeatureContext, type SimulationContextInfo } from './features/context';
import { featuresByMethod } from './features/index';
import type { FromWorker, ToWorker } from './messages';
import { canonicalUri, Project } from './project';
import type { CharterSettings, ContextValues } from './protocol';

interface Current {
  analysis: Analysis;
  /** The texts it was computed from. */
  texts: Map<string, string>;
  generation: number;
  ms: number;
}

export class AnalysisWorker {
  private readonly project = new Project([]);
  private readonly cache = new ParseCache();
  private readonly analyzer = new Analyzer();
  private readonly outsideCache = new ParseCache();
  private readonly docs = new Map<string, TextDocument>();
  private readonly published = new PublishedDiagnostics();
  private readonly lines = new Lines((u) => this.project.text(u) ?? this.docs.get(u)?.getText());
  private settings: CharterSettings = {};
  /** The context the user chose in the editor (charter/setContext); undefined: the workspace default. */
  private chosenContext?: ContextValues;
  private today?: string;
  private vscode = false;
  private current?: Current;
  private analysedGeneration = -1;
  private requests: { id: number; method: string; params: unknown }[] = [];
  private cancelled = new Set<number>();
  private scheduled = false;
  private initialised = false;
  private statusGeneration = 0;
  private lastIndex = '';
  private indexTimer: NodeJS.Timeout | undefined;
  private indexPostedAt = -Infinity;
  private lastWatch = '';

  constructor(private readonly port: MessagePort, private readonly post: (m: FromWorker) => void) {}

  onMessage(m: ToWorker): void {
    if (m.t === 'req') this.requests.push(m);
    else if (m.t === 'cancel') this.cancelled.add(m.id);
    else this.apply(m);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }

  /** Takes every message already waiting, without yielding (cancellation checkpoints). */
  private drain(): void {
    for (;;) {
      const r = receiveMessageOnPort(this.port);
      if (!r) return;
      this.schedule();
      const m = r.message as ToWorker;
      if (m.t === 'req') this.requests.push(m);
      else if (m.t === 'cancel') this.cancelled.add(m.id);
      else this.apply(m);
    }
  }

  private apply(m: Exclude<ToWorker, { t: 'req' } | { t: 'cancel' }>): void {
    try {
      switch (m.t) {
        case 'init':
          this.settings = m.settings ?? {};
          this.today = m.today;
          this.vscode = m.vscode;
          this.project.setGovernancePaths(this.settings.governance?.paths ?? []);
          this.project.setRoots(m.roots);
          this.initialised = true;
          this.announceWatch();
          break;
        case 'roots':
          this.project.setRoots(m.roots);
          this.announceWatch();
          break;
        case 'settings':
          this.settings = m.settings ?? {};
          this.project.setGovernancePaths(this.settings.governance?.paths ?? []);
          this.announceWatch();
          this.project.generation++; // a new analysis announces itself: clients refresh lenses for the new context
          break;
        case 'context':
          this.chosenContext = m.context ?? undefined;
          this.project.generation++; // as for settings: the new analysis makes clients refresh lenses
          break;
        case 'open': {
          const uri = canonicalUri(m.uri);
          const doc = TextDocument.create(uri, 'charter', m.version, m.text);
          this.docs.set(uri, doc);
          this.project.open(uri, m.text, m.version);
          break;
        }
        case 'change': {
          const uri = canonicalUri(m.uri);
          const doc = this.docs.get(uri);
          if (!doc) return;
          const next = TextDocument.update(doc, m.changes, m.version);
          this.docs.set(uri, next);
          this.project.change(uri, next.getText(), m.version);
          break;
        }
        case 'close': {
          const uri = canonicalUri(m.uri);
          this.docs.delete(uri);
          this.project.close(uri);
          this.lines.forget(uri);
          break;
        }
        case 'files':
          for (const e of m.events) this.project.fileEvent(e.uri, e.type);
          this.announceWatch();
          break;
      }
    } catch (e) {
      this.log('error', `applying ${m.t}: ${(e as Error).stack ?? e}`);
    }
  }

  private announceWatch(): void {
    const dirs = this.project.externalWatchDirs();
    const key = dirs.join('\n');
    if (key === this.lastWatch) return;
    this.lastWatch = key;
    this.post({ t: 'watch', dirs });
  }

  private get dirty(): boolean {
    return this.initialised && this.analysedGeneration !== this.project.generation;
  }

  private pump(): void {
    this.scheduled = false;
    this.drain();
    while (this.requests.length) {
      const r = this.requests.shift()!;
      this.serve(r);
      this.drain();
    }
    if (this.dirty) this.runAnalysis();
    if (this.requests.length || this.dirty) this.schedule();
  }

  private serve(r: { id: number; method: string; params: unknown }): void {
    if (this.cancelled.delete(r.id)) {
      this.post({ t: 'res', id: r.id, error: { code: ErrorCodes.RequestCancelled, message: 'cancelled' } });
      return;
    }
    const feature = featuresByMethod.get(r.method);
    if (!feature) {
      this.post({ t: 'res', id: r.id, error: { code: -32601, message: `unhandled method ${r.method}` } });
      return;
    }
    const ctx = this.context(r.id);
    try {
      const result = feature.run(ctx, r.params);
      this.post({ t: 'res', id: r.id, result: result ?? null });
    } catch (e) {
      if (e instanceof ResponseError) {
        this.post({ t: 'res', id: r.id, error: { code: e.code, message: e.message } });
      } else {
        const err = e as Error;
        this.log('error', `${r.method} failed: ${err?.stack ?? err}`);
        this.post({ t: 'res', id: r.id, error: { code: ErrorCodes.InternalError, message: `${r.method} failed: ${err?.message ?? err}` } });
      }
    } finally {
      this.cancelled.delete(r.id);
    }
  }

  private context(id: number): FeatureContext {
    return {
      analysis: () => this.ensure(),
      ast: (uri) => {
        const text = this.project.text(uri) ?? this.docs.get(uri)?.getText();
        if (text === undefined) return undefined;
        return (this.project.inModel(uri) ? this.cache : this.outsideCache).get(uri, text);
      },
      text: (uri) => this.project.text(uri) ?? this.docs.get(uri)?.getText(),
      lines: (uri) => this.lines.get(uri),
      key: canonicalUri,
      settings: () => this.settings,
      simulationContext: () => this.simulationContext(),
      inModel: (uri) => this.project.inModel(uri),
      cancelled: () => {
        this.drain();
        return this.cancelled.has(id);
      },
      notify: (level, message) => this.post({ t: 'show', level, message }),
      vscode: this.vscode,
      roots: () => this.project.rootsDirs(),
      today: () => this.today ?? todayUtc(),
    };
  }

  private simulationContext(): SimulationContextInfo {
    const ws = workspaceContext(this.settings, this.project.configContexts()[0]?.context);
    return this.chosenContext
      ? { current: this.chosenContext, source: 'chosen', workspace: ws.values, workspaceSource: ws.source }
      : { current: ws.values, source: ws.source, workspace: ws.values, workspaceSource: ws.source };
  }

  /** The analysis of the current texts. */
  private ensure(): Analysis {
    this.drain();
    if (this.dirty || !this.current) this.runAnalysis();
    return this.current!.analysis;
  }

  private runAnalysis(): void {
    const started = performance.now();
    this.post({ t: 'busy', busy: true });
    this.status('analyzing');
    try {
      // Parse what changed, file by file; a newer edit restarts the round
      // (files already parsed stay cached).
      let sources = this.project.sources();
      let generation = this.project.generation;
      for (let round = 0; round < 50; round++) {
        let restart = false;
        for (const s of sources) {
          const t = performance.now();
          this.cache.get(s.uri, s.text);
          if (performance.now() - t > 2) {
            this.drain();
            if (this.project.generation !== generation) {
              restart = true;
              break;
            }
          }
        }
        if (!restart) break;
        sources = this.project.sources();
        generation = this.project.generation;
      }
      const tA = performance.now();
      const analysis = this.analyzer.analyze(sources, { parseCache: this.cache, today: this.today ?? todayUtc() });
      if (this.analyzer.last.error) this.log('error', `incremental analysis failed, rebuilt from scratch: ${this.analyzer.last.error}`);
      const ms = performance.now() - started;
      const tB = performance.now();
      this.current = { analysis, texts: new Map(sources.map((s) => [s.uri, s.text])), generation, ms };
      this.analysedGeneration = generation;
      // Edits that arrived meanwhile: publish now (moved onto the new text), analyse again next.
      this.drain();
      this.publish();
      this.scheduleIndex();
      this.status('ready');
      if (process.env.CHARTER_TIMING) {
        const how = this.analyzer.last.incremental ? `incremental, ${this.analyzer.last.files} file(s)` : 'from scratch';
        this.log('info', `timing: parse ${(tA - started).toFixed(1)} ms, analyze ${(tB - tA).toFixed(1)} ms (${how}), publish ${(performance.now() - tB).toFixed(1)} ms`);
      }
    } catch (e) {
      this.analysedGeneration = this.project.generation;
      this.log('error', `analysis failed: ${(e as Error)?.stack ?? e}`);
      this.status('error', `analysis failed: ${(e as Error)?.message ?? e}`);
      if (!this.current) {
        this.current = { analysis: analyze([]), texts: new Map(), generation: this.analysedGeneration, ms: 0 };
      }
    } finally {
      this.post({ t: 'busy', busy: false });
    }
  }

  private publish(): void {
    const cur = this.current!;
    const byFile = new Map<string, FileDiagnostic[]>();
    for (const d of cur.analysis.diagnostics) {
      // A name the parser invented while recovering (empty, no position) repeats a syntax error.
      if (!Number.isFinite(d.range.start) && (d.data as { unknown?: string } | undefined)?.unknown === '') continue;
      let l = byFile.get(d.file);
      if (!l) byFile.set(d.file, (l = []));
      l.push(d);
    }
    const items: FileDiagnostics[] = [];
    const uris = new Set<string>([...byFile.keys(), ...cur.texts.keys()]);
    for (const uri of uris) {
      let diags = byFile.get(uri) ?? [];
      const then = cur.texts.get(uri);
      const now = this.project.text(uri);
      if (now === undefined) continue;
      if (then !== undefined && then !== now) {
        // Edited during the analysis: move the semantic diagnostics, take fresh syntax errors.
        diags = shiftThroughEdit(diags.filter((d) => d.code !== 'syntax'), then, now);
        diags.push(...this.cache.get(uri, now).errors.map((e) => ({ ...e, file: uri })));
      }
      items.push({ uri, version: this.project.version(uri), diagnostics: diags.map((d) => toLspDiagnostic(d, this.lines)) });
    }
    // Open documents outside charter.json's include: syntax only.
    for (const uri of this.project.outsideDocuments()) {
      const text = this.project.text(uri) ?? '';
      const ast = this.outsideCache.get(uri, text);
      const diags: FileDiagnostic[] = ast.errors.map((e) => ({ ...e, file: uri }));
      diags.push({
        file: uri,
        range: { start: 0, end: 0 },
        severity: 'info',
        code: 'outside-workspace',
        message: 'This file is not part of the Charter workspace (charter.json "include" does not match it): only its syntax is checked.',
      });
      items.push({ uri, version: this.project.version(uri), diagnostics: diags.map((d) => toLspDiagnostic(d, this.lines)) });
    }
    // Files that could not be read, charter.json problems.
    const extra = new Map<string, FileDiagnostics>();
    for (const p of this.project.problems()) {
      const it = items.find((x) => x.uri === p.uri) ?? extra.get(p.uri) ?? { uri: p.uri, diagnostics: [] };
      if (!items.includes(it)) extra.set(p.uri, it);
      it.diagnostics.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: p.severity === 'error' ? 1 : 2, code: p.code, source: 'charter', message: p.message });
    }
    items.push(...extra.values());
    // charter.json's simulation.context, checked against the context schema.
    for (const c of configContextDiagnostics(cur.analysis.model, this.project.configContexts())) {
      const it = items.find((x) => x.uri === c.uri);
      if (it) it.diagnostics.push(...c.diagnostics);
      else items.push(c);
    }
    const changed = this.published.changed(items);
    if (changed.length) this.post({ t: 'diags', items: changed });
    this.lines.retain(new Set([...uris, ...this.project.outsideDocuments()]));
  }

  /**
   * Sends the names to the LSP thread once edits pause (completion can use
   * names a moment old), and at least once a second while they do not.
   */
  private scheduleIndex(): void {
    if (this.indexTimer) clearTimeout(this.indexTimer);
    this.indexTimer = setTimeout(() => {
      this.indexTimer = undefined;
      this.drain();
      const stale = performance.now() - this.indexPostedAt > 1000;
      if (this.current && (!this.dirty || stale)) this.postIndex(this.current.analysis);
    }, this.lastIndex ? 40 : 0);
  }

  private postIndex(analysis: Analysis): void {
    // As JSON: copying one string between threads is much cheaper than a structured clone.
    const errorFiles = new Set(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
    const json = JSON.stringify(completionIndex(analysis.model, { errorFiles }));
    this.indexPostedAt = performance.now();
    if (json === this.lastIndex) return;
    this.lastIndex = json;
    this.post({ t: 'index', json });
  }

  private status(state: 'loading' | 'analyzing' | 'ready' | 'error', message?: string): void {
    const a = this.current?.analysis;
    const count = (s: string) => a?.diagnostics.filter((d) => d.severity === s).length ?? 0;
    if (state === 'ready') this.statusGeneration++;
    this.post({
      t: 'status',
      status: {
        state: !this.current && state === 'analyzing' ? 'loading' : state,
        files: a?.model.files.size ?? 0,
        contracts: a?.model.contracts.size ?? 0,
        errors: count('error'),
        warnings: count('warning'),
        infos: count('info'),
        analysisMs: this.current ? Math.round(this.current.ms) : undefined,
        generation: this.statusGeneration,
        message,
      },
    });
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.post({ t: 'log', level, message });
  }
}

/** Entry point inside the worker thread. */
export function runWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runWorker() must run in a worker thread');
  const post = (m: FromWorker) => port.postMessage(m);
  // Nothing may write to stdout: with --stdio it is the LSP channel.
  const toLog = (level: 'info' | 'warn' | 'error') => (...args: unknown[]) => post({ t: 'log', level, message: args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ') });
  console.log = toLog('info');
  console.info = toLog('info');
  console.warn = toLog('warn');
  console.error = toLog('error');
  console.debug = toLog('info');
  const w = new AnalysisWorker(port, post);
  port.on('message', (m: ToWorker) => w.onMessage(m));
}
