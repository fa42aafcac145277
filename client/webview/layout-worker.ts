/// <reference lib="webworker" />
// Layout worker: runs ELK (the bundled build, which runs ELK inside this worker's thread) so the
// webview page stays responsive. Only the newest pending request is laid out; older ones queued
// behind a running layout are answered with `skipped`.

import ELK from 'elkjs/lib/elk.bundled.js';
import { fromElkGraph, toElkGraph } from './elk-graph';
import type { LayoutRequest, WorkerRequest, WorkerResponse } from './layout-types';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const elk = new ELK();

let pending: LayoutRequest | null = null;
let busy = false;

function post(msg: WorkerResponse): void {
  scope.postMessage(msg);
}

async function pump(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    while (pending) {
      const req = pending;
      pending = null;
      const t0 = performance.now();
      try {
        const graph = await elk.layout(toElkGraph(req));
        post({ type: 'result', id: req.id, result: fromElkGraph(graph, performance.now() - t0) });
      } catch (err) {
        post({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    busy = false;
  }
}

/** Small layouts of each kind, run while idle so ELK's code is loaded and optimised. */
function warmupRequests(): LayoutRequest[] {
  const node = (i: number, parent?: string) => ({
    id: `n${i}`,
    w: 160,
    h: 120,
    parent,
    ports: [0, 1, 2, 3].flatMap((r) => [
      { id: `n${i}w${r}`, side: 'W' as const, y: 50 + r * 20 },
      { id: `n${i}e${r}`, side: 'E' as const, y: 50 + r * 20 },
    ]),
  });
  const nodes = Array.from({ length: 14 }, (_, i) => node(i, `d${i % 3}`));
  const pairs = Array.from({ length: 24 }, (_, i) => [i % 13, Math.min(13, (i % 13) + 1 + (i % 3)), i] as const);
  const edge = ([s, t, i]: readonly [number, number, number]) => ({
    id: `e${i}`,
    s: `n${s}`,
    t: `n${t}`,
    sp: `n${s}e${i % 4}`,
    tp: `n${t}w${(i + 1) % 4}`,
    label: i % 2 ? { w: 40, h: 15 } : undefined,
  });
  const edges = pairs.map(edge);
  const small = pairs.filter(([s, t]) => s < 6 && t < 6).map(edge);
  const compounds = [0, 1, 2].map((d) => ({ id: `d${d}`, padTop: 34, minW: 60 }));
  const plain = nodes.map((n) => ({ ...n, parent: undefined }));
  return [
    { id: -1, mode: 'ports', nodes: plain.slice(0, 6), compounds: [], edges: small, thoroughness: 7 },
    { id: -1, mode: 'ports', nodes, compounds, edges, thoroughness: 7 },
    { id: -1, mode: 'ports', nodes: plain, compounds: [], edges, thoroughness: 4 },
    { id: -1, mode: 'bundled', nodes: plain.map((n) => ({ ...n, ports: undefined })), compounds: [], edges: edges.map((e) => ({ id: e.id, s: e.s, t: e.t })), thoroughness: 1 },
  ];
}

/** Warm-up layouts; abandoned as soon as a real request is waiting. */
async function warmup(rounds: number): Promise<void> {
  if (busy) return;
  const t0 = performance.now();
  busy = true;
  try {
    for (let r = 0; r < rounds; r++) {
      for (const req of warmupRequests()) {
        if (pending) return;
        try {
          await elk.layout(toElkGraph(req));
        } catch {
          // Warm-up is best effort.
        }
      }
    }
  } finally {
    busy = false;
    post({ type: 'warm', ms: performance.now() - t0 });
    void pump();
  }
}

// The ELK bundle registers its own `onmessage` dispatcher when it finds itself in a worker;
// replace it with ours.
scope.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const msg = ev.data;
  if (!msg || typeof msg !== 'object') return;
  if (msg.type === 'warmup') {
    void warmup(msg.rounds ?? 2);
    return;
  }
  if (msg.type === 'layout') {
    if (pending) post({ type: 'skipped', id: pending.id });
    pending = msg.req;
    void pump();
  }
};
