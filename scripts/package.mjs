// `npm run package`: a small VSIX with the bundled code only (see .vscodeignore).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs', '--production']);
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${name}-${version}.vsix`;
// --no-dependencies: the bundles contain everything; node_modules is not shipped.
run(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--skip-license', '--out', out]);
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KB`);
