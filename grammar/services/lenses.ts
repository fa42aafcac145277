// Code lenses: over every field its access summary ("3 clear · 2 masked ·
// 4 denied", opening the who-can-see view), over every test "Run test".

import type * as A from '../ast';
import type { AttrValue, Model } from '../model/types';
import { accessCounts, countsText, type AccessCounts } from './access';

export type Lens =
  | { kind: 'field'; range: A.Range; qname: string; counts: AccessCounts; title: string }
  | { kind: 'test'; range: A.Range; test: string; title: string };

export function codeLenses(model: Model, file: string, context: ReadonlyMap<string, AttrValue>): Lens[] {
  const out: Lens[] = [];
  for (const c of model.contracts.values()) {
    if (c.loc.file !== file) continue;
    for (const f of c.fields.values()) {
      const counts = accessCounts(model, f, context);
      out.push({ kind: 'field', range: f.loc.range, qname: f.qname, counts, title: countsText(counts) });
    }
  }
  for (const t of model.tests.values()) {
    if (t.loc.file !== file) continue;
    out.push({ kind: 'test', range: t.loc.range, test: t.name, title: '▶ Run test' });
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}
