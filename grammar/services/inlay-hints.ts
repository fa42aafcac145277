// Inlay hints: the tags a field inherits through lineage but does not
// declare, shown after the field (`inherits pii.email`).

import type * as A from '../ast';
import type { Model } from '../model/types';
import { tagOriginText } from './describe';

export interface InlayHint {
  /** Where the hint is shown (after the field declaration). */
  offset: number;
  label: string;
  tooltip: string;
}

export function inheritedTagHints(model: Model, file: string, range?: A.Range): InlayHint[] {
  const out: InlayHint[] = [];
  for (const c of model.contracts.values()) {
    if (c.loc.file !== file) continue;
    for (const f of c.fields.values()) {
      const at = f.decl.range.end;
      if (range && (at < range.start || at > range.end)) continue;
      const inherited = [...f.tags.values()].filter((t) => !t.declared).sort((a, b) => a.tag.localeCompare(b.tag));
      if (!inherited.length) continue;
      const label = 'inherits ' + inherited.map((t) => t.tag + (t.protected ? ' (protected)' : '')).join(', ');
      const tooltip = inherited.map((t) => `${t.tag}: ${tagOriginText(t)}`).join('\n');
      out.push({ offset: at, label, tooltip });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
