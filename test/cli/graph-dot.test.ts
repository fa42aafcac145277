// `charter graph --format dot` read back by Graphviz itself (`dot -Tjson`):
// every node Graphviz draws is one the graph declares, with its label (an
// edge to a contract or domain cluster must not create a bare node of its
// own), clusters are exactly the domains and contracts that contain
// something, and every edge of the graph is drawn once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { charter } from './run';

const hasDot = spawnSync('dot', ['-V']).status === 0;
const skip = hasDot ? false : 'Graphviz (dot) is not installed: bash .ci/install-deps.sh';

interface GvObject {
  name: string;
  label?: string;
  nodes?: number[];
  lhead?: string;
}

function check(args: string[]) {
  const json = charter(['graph', 'examples', '--format', 'json', ...args]);
  assert.equal(json.status, 0, json.stderr);
  const g = JSON.parse(json.stdout) as { nodes: { id: string; kind: string; parent?: string }[]; edges: { source: string; target: string; kind: string }[] };
  const dotText = charter(['graph', 'examples', '--format', 'dot', ...args]);
  assert.equal(dotText.status, 0, dotText.stderr);
  const r = spawnSync('dot', ['-Tjson'], { input: dotText.stdout, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /Warning|Error/, r.stderr);
  const gv = JSON.parse(r.stdout) as { objects?: GvObject[]; edges?: { tail: number; head: number; lhead?: string; ltail?: string }[] };
  const objects = gv.objects ?? [];
  const ids = new Set(g.nodes.map((n) => n.id));
  const hasChild = new Set(g.nodes.filter((n) => n.parent && ids.has(n.parent)).map((n) => n.parent!));
  const clusters = objects.filter((o) => o.name.startsWith('cluster_'));
  const drawn = objects.filter((o) => !o.name.startsWith('cluster_'));
  const expected = g.nodes.filter((n) => !hasChild.has(n.id)).map((n) => n.id).sort();
  assert.deepEqual(drawn.map((o) => o.name).sort(), expected, 'Graphviz draws exactly the declared nodes (no stray ones)');
  for (const o of drawn) assert.ok(o.label && o.label !== '\\N', `${o.name} has its label`);
  assert.equal(clusters.length, hasChild.size, 'one cluster per domain or contract with contents');
  const edges = g.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  assert.equal(gv.edges?.length ?? 0, edges.length, 'every edge is drawn once');
  // Edges to a cluster are clipped at its border.
  const toCluster = edges.filter((e) => hasChild.has(e.target)).length;
  assert.equal((gv.edges ?? []).filter((e) => e.lhead).length, toCluster);
  return { g, toCluster };
}

test('the whole example mesh', { skip }, () => {
  const { toCluster } = check([]);
  assert.ok(toCluster > 0, 'the mesh has ownership edges to contracts, drawn with lhead');
});

for (const args of [
  ['--focus', 'sales.orders', '--depth', '2'],
  ['--focus', 'crm', '--direction', 'down'],
  ['--focus', 'sales-data'],
  ['--focus', 'alice', '--context', 'mfa=true'],
  ['--focus', 'sales.orders.customer_email', '--direction', 'up', '--depth', '3'],
]) {
  test(`focused: ${args.join(' ')}`, { skip }, () => {
    check(args);
  });
}
