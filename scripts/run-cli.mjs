// `npm run charter -- <args>`: runs the CLI from the checkout, building it first if needed.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(2);
}
const r = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', cwd: process.env.INIT_CWD || process.cwd() });
process.exit(r.status ?? 2);
