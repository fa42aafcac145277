// Selection ranges ("expand selection"): from the name under the cursor out
// through every enclosing node of the syntax tree to the whole file.

import type * as A from '../ast';
import { nodesAt } from './locate';

/** Nested ranges around `offset`, innermost first; each contains the previous one. */
export function selectionRanges(ast: A.FileAst, text: string, offset: number): A.Range[] {
  const chain: A.Range[] = [];
  const push = (r: A.Range) => {
    const last = chain[chain.length - 1];
    if (last && last.start === r.start && last.end === r.end) return;
    if (last && (r.start > last.start || r.end < last.end)) return; // keep it strictly nested
    chain.push(r);
  };
  // The word under the cursor, then nodes from the innermost out.
  const word = wordAt(text, offset);
  if (word) push(word);
  const nodes = nodesAt(ast, offset).reverse();
  for (const n of nodes) push(n.range);
  // A declaration with its doc comment.
  const decl = ast.declarations.find((d) => d.range.start <= offset && offset <= d.range.end);
  if (decl?.doc) {
    const docs = ast.comments.filter((c) => c.doc && c.range.end <= decl.range.start);
    let start = decl.range.start;
    for (let i = docs.length - 1; i >= 0; i--) {
      if (/^[ \t]*\r?\n[ \t]*$/.test(text.slice(docs[i].range.end, start))) start = docs[i].range.start;
      else break;
    }
    push({ start, end: decl.range.end });
  }
  push({ start: 0, end: text.length });
  return chain;
}

function wordAt(text: string, offset: number): A.Range | undefined {
  const isWord = (c: string | undefined) => !!c && /[A-Za-z0-9_-]/.test(c);
  let s = offset;
  let e = offset;
  while (s > 0 && isWord(text[s - 1])) s--;
  while (e < text.length && isWord(text[e])) e++;
  return e > s ? { start: s, end: e } : undefined;
}
