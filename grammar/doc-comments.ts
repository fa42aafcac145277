// Attaches `##` doc comments to the declaration (or nested declaration:
// field, attribute, rule) that directly follows them.

import type * as A from './ast';

type Comment = A.FileAst['comments'][number];

interface Documentable {
  range: A.Range;
  doc?: string;
}

function children(d: A.Declaration): Documentable[] {
  switch (d.kind) {
    case 'contract':
      return d.fields;
    case 'attributes':
      return d.attributes;
    case 'governance':
      return d.rules;
    case 'policy':
      return d.rules;
    default:
      return [];
  }
}

/** Only blanks between `end` and `start`, and at most one line break. */
function directlyBefore(text: string, end: number, start: number): boolean {
  const between = text.slice(end, start);
  return /^[ \t]*\r?\n[ \t]*$/.test(between);
}

export function attachDocComments(decls: A.Declaration[], comments: Comment[], text: string): void {
  const docs = comments.filter((c) => c.doc);
  if (!docs.length) return;
  const targets: Documentable[] = [];
  for (const d of decls) {
    targets.push(d);
    targets.push(...children(d));
  }
  targets.sort((a, b) => a.range.start - b.range.start);
  // For each target, walk back over the doc lines that end right before it.
  let di = 0;
  for (const t of targets) {
    while (di < docs.length && docs[di].range.end <= t.range.start) di++;
    let k = di - 1;
    const lines: string[] = [];
    let start = t.range.start;
    while (k >= 0 && directlyBefore(text, docs[k].range.end, start)) {
      lines.unshift(docs[k].text.replace(/^##\s?/, ''));
      start = docs[k].range.start;
      k--;
    }
    if (lines.length) t.doc = lines.join('\n');
  }
}
