import { buildModel, LineIndex } from '../grammar/index';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
function walk(d: string, out: string[] = []) { for (const e of readdirSync(d)) { const p = path.join(d, e); if (statSync(p).isDirectory()) walk(p, out); else if (p.endsWith('.charter')) out.push(p); } return out; }
const files = walk(process.argv[2]).map((f) => ({ uri: f, text: readFileSync(f, 'utf8'), central: f.includes('governance') }));
const t0 = performance.now();
const m = buildModel(files);
console.error('built in', (performance.now() - t0).toFixed(1), 'ms');
for (const d of m.diagnostics) { const li = new LineIndex(m.files.get(d.file)!.text); const p = li.position(d.range.start); console.log(`${d.file}:${p.line + 1}:${p.character + 1}: ${d.severity}: ${d.message} [${d.code}]`); }
