// `charter export odcs [DIR] [--out FOLDER]`: one ODCS v3.1.0 YAML file per
// contract (grammar/interop/odcs-export.ts), in FOLDER (default
// DIR/odcs-export). docs/interop.md has the mapping.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportOdcs } from '../grammar/interop/odcs-export';
import { UsageError } from './errors';
import { relativePath } from './output';
import type { Exporter } from './export';

export const odcsExporter: Exporter = {
  usage: 'odcs [DIR] [--out FOLDER]',
  run({ ws, analysis }, values) {
    const files = exportOdcs(analysis.model, { fileName: (uri) => relativePath(ws.root, uri) });
    const out = path.resolve(values.out !== undefined ? (values.out as string) : path.join(ws.root, 'odcs-export'));
    try {
      mkdirSync(out, { recursive: true });
      for (const f of files) writeFileSync(path.join(out, f.name), f.text);
    } catch (e) {
      throw new UsageError(`cannot write to ${out}: ${(e as Error).message}`);
    }
    const shown = path.relative(process.cwd(), out) || '.';
    for (const f of files) process.stdout.write(`wrote ${path.join(shown, f.name)}\n`);
    process.stdout.write(`${files.length} ODCS data contract${files.length === 1 ? '' : 's'} (v3.1.0) in ${shown}\n`);
    return 0;
  },
};
