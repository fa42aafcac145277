import { parse } from '../grammar/parser';
import { readFileSync } from 'node:fs';
const text = readFileSync(process.argv[2], 'utf8');
const r = parse(text);
console.log(JSON.stringify(r.errors, null, 1));
console.log(JSON.stringify(r.declarations.map(d => [d.kind, (d as any).name?.text, d.doc]), null, 0));
if (process.argv[3]) console.log(JSON.stringify(r.declarations, null, 1));
