// The smallest set of line replacements that turns one text into another
// (Myers' diff over lines), so a formatting edit touches only changed lines
// and the editor keeps the cursor and folds where they were.

export interface LineHunk {
  /** Lines [start, end) of the old text are replaced... */
  start: number;
  end: number;
  /** ...by these lines (each with its line break). */
  lines: string[];
}

function splitKeep(text: string): string[] {
  const out: string[] = [];
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      out.push(text.slice(s, i + 1));
      s = i + 1;
    }
  }
  if (s < text.length) out.push(text.slice(s));
  return out;
}

export function lineDiff(oldText: string, newText: string, maxEdits = 5000): LineHunk[] {
  const a = splitKeep(oldText);
  const b = splitKeep(newText);
  // Trim the common head and tail first: formatting changes little.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const A = a.slice(head, a.length - tail);
  const B = b.slice(head, b.length - tail);
  const N = A.length;
  const M = B.length;
  if (!N && !M) return [];
  const max = Math.min(N + M, maxEdits);
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  const off = max + 1;
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < N && y < M && A[x] === B[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= N && y >= M) {
        found = true;
        break;
      }
    }
  }
  if (!found) return [{ start: head, end: a.length - tail, lines: B }];
  // Walk back through the trace to list the edit script.
  const ops: ('=' | '-' | '+')[] = [];
  let x = N;
  let y = M;
  for (let d = trace.length - 1; d > 0; d--) {
    const vv = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vv[off + k - 1] < vv[off + k + 1]) ? k + 1 : k - 1;
    const prevX = vv[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('=');
      x--;
      y--;
    }
    if (x === prevX) {
      ops.push('+');
      y--;
    } else {
      ops.push('-');
      x--;
    }
  }
  while (x > 0 && y > 0) {
    ops.push('=');
    x--;
    y--;
  }
  ops.reverse();
  const hunks: LineHunk[] = [];
  let i = 0;
  let j = 0;
  let cur: LineHunk | undefined;
  for (const op of ops) {
    if (op === '=') {
      if (cur) hunks.push(cur);
      cur = undefined;
      i++;
      j++;
    } else {
      cur ??= { start: head + i, end: head + i, lines: [] };
      if (op === '-') {
        i++;
        cur.end = head + i;
      } else {
        cur.lines.push(B[j]);
        j++;
      }
    }
  }
  if (cur) hunks.push(cur);
  return hunks;
}
