// A small layered layout used only when the ELK worker cannot start (so the previewer never stays
// blank): longest-path layering, barycentre ordering, stacked columns. Edges are left to the
// renderer, which draws them as curves between ports.

import type { LayoutBox, LayoutRequest, LayoutResult } from './layout-types';

const LAYER_GAP = 140;
const NODE_GAP = 28;
const MARGIN = 24;

export function fallbackLayout(req: LayoutRequest): LayoutResult {
  const t0 = performance.now();
  const ids = req.nodes.map((n) => n.id);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const succ: number[][] = ids.map(() => []);
  const pred: number[][] = ids.map(() => []);
  for (const e of req.edges) {
    const s = indexOf.get(e.s);
    const t = indexOf.get(e.t);
    if (s === undefined || t === undefined || s === t) continue;
    succ[s].push(t);
  }
  // Break cycles: drop edges to nodes on the DFS stack.
  const state = new Uint8Array(ids.length); // 0 new, 1 on stack, 2 done
  const dag: number[][] = ids.map(() => []);
  for (let root = 0; root < ids.length; root++) {
    if (state[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < succ[v].length) {
        top[1]++;
        const w = succ[v][i];
        if (state[w] === 1) continue;
        dag[v].push(w);
        pred[w].push(v);
        if (state[w] === 0) {
          state[w] = 1;
          stack.push([w, 0]);
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  // Longest-path layering in topological order.
  const indeg = pred.map((p) => p.length);
  const layer = new Array<number>(ids.length).fill(0);
  const queue: number[] = [];
  indeg.forEach((d, i) => d === 0 && queue.push(i));
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of dag[v]) {
      layer[w] = Math.max(layer[w], layer[v] + 1);
      if (--indeg[w] === 0) queue.push(w);
    }
  }
  let maxLayer = Math.max(0, ...layer);
  req.nodes.forEach((n, i) => {
    if (n.layer === 'first') layer[i] = 0;
  });
  if (req.nodes.some((n) => n.layer === 'last')) {
    maxLayer = Math.max(maxLayer, 1);
    req.nodes.forEach((n, i) => {
      if (n.layer === 'last') layer[i] = maxLayer;
      else if (layer[i] >= maxLayer) layer[i] = maxLayer - 1;
    });
  }
  const layers: number[][] = Array.from({ length: maxLayer + 1 }, () => []);
  layer.forEach((l, i) => layers[l].push(i));
  // Barycentre ordering sweeps.
  const pos = new Float64Array(ids.length);
  const renumber = () => layers.forEach((l) => l.forEach((v, i) => (pos[v] = i)));
  renumber();
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const l of order) {
      const bary = new Map<number, number>();
      for (const v of l) {
        const nb = down ? pred[v] : dag[v];
        bary.set(v, nb.length ? nb.reduce((a, w) => a + pos[w], 0) / nb.length : pos[v]);
      }
      l.sort((a, b) => bary.get(a)! - bary.get(b)!);
      l.forEach((v, i) => (pos[v] = i));
    }
  }
  // Coordinates.
  const nodes: Record<string, LayoutBox> = {};
  const heights = layers.map((l) => l.reduce((a, v) => a + req.nodes[v].h, 0) + NODE_GAP * Math.max(0, l.length - 1));
  const tallest = Math.max(0, ...heights);
  let x = MARGIN;
  let width = 0;
  layers.forEach((l, li) => {
    const colW = Math.max(0, ...l.map((v) => req.nodes[v].w));
    let y = MARGIN + (tallest - heights[li]) / 2;
    for (const v of l) {
      const n = req.nodes[v];
      nodes[n.id] = { x, y, w: n.w, h: n.h };
      y += n.h + NODE_GAP;
    }
    x += colW + LAYER_GAP;
    width = x - LAYER_GAP + MARGIN;
  });
  return { nodes, edges: {}, width, height: tallest + 2 * MARGIN, ms: performance.now() - t0, engine: 'fallback' };
}
