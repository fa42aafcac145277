// Page side of the layout worker. Webviews cannot start a worker from a (cross-origin) resource
// URI, so the worker script is fetched and started from a Blob URL; a direct `new Worker(uri)` is
// the second try, and the page's own simple layout the last resort.

import { fallbackLayout } from './fallback-layout';
import type { LayoutRequest, LayoutResult, WorkerResponse } from './layout-types';

type Waiter = { resolve: (r: LayoutResult | null) => void; reject: (e: Error) => void };

export class LayoutClient {
  private worker: Worker | null = null;
  private readonly ready: Promise<void>;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private warmedAfterFirst = false;
  /** Why the worker is not used, when it is not. */
  failure: string | null = null;

  constructor(workerUri: string | null) {
    this.ready = this.start(workerUri);
  }

  private async start(uri: string | null): Promise<void> {
    if (!uri) {
      this.failure = 'no worker URI';
      return;
    }
    if (typeof Worker === 'undefined') {
      this.failure = 'Web Workers are not available';
      return;
    }
    let worker: Worker | null = null;
    try {
      const res = await fetch(uri);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      let code = await res.text();
      // Keep source maps working from the blob: point them at the original location.
      code = code.replace(/\/\/# sourceMappingURL=(\S+)\s*$/, (_m, file: string) => `//# sourceMappingURL=${new URL(file, new URL(uri, location.href)).href}\n`);
      const blobUrl = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
      worker = new Worker(blobUrl, { name: 'charter-layout' });
    } catch {
      try {
        worker = new Worker(uri, { name: 'charter-layout' });
      } catch (err) {
        this.failure = `cannot start the layout worker: ${err instanceof Error ? err.message : String(err)}`;
        return;
      }
    }
    worker.onmessage = (ev: MessageEvent<WorkerResponse>) => this.onMessage(ev.data);
    worker.onerror = (ev) => {
      ev.preventDefault();
      this.fail(`layout worker error: ${ev.message || 'failed to load'}`);
    };
    worker.postMessage({ type: 'warmup' });
    this.worker = worker;
  }

  private fail(reason: string): void {
    this.failure = reason;
    this.worker?.terminate();
    this.worker = null;
    for (const [, w] of this.waiting) w.reject(new Error(reason));
    this.waiting.clear();
  }

  private onMessage(msg: WorkerResponse): void {
    if (!msg || typeof msg !== 'object' || msg.type === 'warm') return;
    const w = this.waiting.get(msg.id);
    if (!w) return;
    this.waiting.delete(msg.id);
    if (msg.type === 'result') {
      w.resolve(msg.result);
      // Idle warm-up a little after the first real layout, so later focus changes are quick too
      // (the worker abandons it as soon as a real request comes in).
      if (!this.warmedAfterFirst) {
        this.warmedAfterFirst = true;
        setTimeout(() => this.worker?.postMessage({ type: 'warmup', rounds: 2 }), 1500);
      }
    }
    else if (msg.type === 'skipped') w.resolve(null);
    else w.reject(new Error(msg.message));
  }

  /**
   * Lays out `req` (its id is assigned here). Resolves to null when a newer request superseded
   * it. Falls back to the simple layout when the worker is unavailable or fails.
   */
  async layout(req: Omit<LayoutRequest, 'id'>): Promise<LayoutResult | null> {
    const full: LayoutRequest = { ...req, id: this.nextId++ };
    await this.ready;
    if (!this.worker) return fallbackLayout(full);
    try {
      return await new Promise<LayoutResult | null>((resolve, reject) => {
        this.waiting.set(full.id, { resolve, reject });
        this.worker!.postMessage({ type: 'layout', req: full });
      });
    } catch (err) {
      // ELK failed on this graph (or the worker died): still show something.
      const r = fallbackLayout(full);
      r.warning = err instanceof Error ? err.message : String(err);
      return r;
    }
  }
}
