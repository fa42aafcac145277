// The LSP thread's handle on the analysis worker: starts it, forwards
// requests (with cancellation), restarts it when it crashes or hangs, and
// replays the editor's state into the new one.

import { Worker } from 'node:worker_threads';
import { ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import type { FromWorker, ToWorker } from './messages';

export interface WorkerHostOptions {
  /** The script to run in the worker (the same bundle), and its argv. */
  script: string;
  argv?: string[];
  onMessage(m: FromWorker): void;
  /** Messages that rebuild the worker's state after a restart (init, open documents). */
  replay(): ToWorker[];
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** An analysis running longer than this is considered hung (ms). */
  watchdogMs?: number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  method: string;
}

export class WorkerHost {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly restarts: number[] = [];
  private stopping = false;
  private watchdog?: NodeJS.Timeout;
  private failed = false;

  constructor(private readonly opts: WorkerHostOptions) {}

  start(): void {
    if (this.stopping) return;
    const w = new Worker(this.opts.script, {
      argv: this.opts.argv,
      workerData: { charterAnalysisWorker: true },
      stdout: true, // never share the LSP channel
      stderr: false,
    });
    w.stdout.on('data', (d: Buffer) => this.opts.log('info', d.toString().trimEnd()));
    this.worker = w;
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('error', (e) => this.opts.log('error', `analysis worker crashed: ${e?.stack ?? e}`));
    w.on('exit', (code) => this.onExit(w, code));
    for (const m of this.opts.replay()) w.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    if (m.t === 'res') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new ResponseError(m.error.code, m.error.message));
      else p.resolve(m.result);
      return;
    }
    if (m.t === 'busy') {
      if (this.watchdog) clearTimeout(this.watchdog);
      this.watchdog = undefined;
      if (m.busy) this.watchdog = setTimeout(() => this.hung(), this.opts.watchdogMs ?? 120_000);
    }
    this.opts.onMessage(m);
  }

  private hung(): void {
    this.opts.log('error', `the analysis has run for more than ${Math.round((this.opts.watchdogMs ?? 120_000) / 1000)} s: restarting the analysis worker`);
    void this.worker?.terminate();
  }

  private onExit(w: Worker, code: number): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
    if (w !== this.worker) return;
    this.worker = undefined;
    for (const [id, p] of this.pending) {
      p.reject(new ResponseError(-32801, `the analysis worker stopped while answering ${p.method}; try again`));
      this.pending.delete(id);
    }
    if (this.stopping) return;
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length && now - this.restarts[0] > 60_000) this.restarts.shift();
    if (this.restarts.length > 5) {
      this.failed = true;
      this.opts.log('error', `the analysis worker exited ${this.restarts.length} times in a minute (last exit code ${code}); not restarting. Use "Charter: Restart Server".`);
      this.opts.onMessage({ t: 'status', status: { state: 'error', files: 0, contracts: 0, errors: 0, warnings: 0, infos: 0, generation: -1, message: 'analysis worker keeps crashing' } });
      return;
    }
    this.opts.log('warn', `analysis worker exited (code ${code}); restarting it`);
    this.start();
  }

  send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  request<R>(method: string, params: unknown, token?: CancellationToken): Promise<R> {
    if (!this.worker) return Promise.reject(new ResponseError(-32803, this.failed ? 'the analysis worker is not running (it kept crashing); restart the server' : 'the analysis worker is restarting; try again'));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.worker!.postMessage({ t: 'req', id, method, params } satisfies ToWorker);
      token?.onCancellationRequested(() => this.worker?.postMessage({ t: 'cancel', id } satisfies ToWorker));
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.watchdog) clearTimeout(this.watchdog);
    await this.worker?.terminate();
  }
}
