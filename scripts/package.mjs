// `npm run package`: a small VSIX with the bundled code only (see .vscodeignore).
// Its README (the extension's page) is media/marketplace/README.md, written for
// someone installing the extension, not for contributors.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
// A clean production build: no stale source maps or bundles in the VSIX.
rmSync('dist', { recursive: true, force: true });
run(process.execPath, ['scripts/build.mjs', '--production']);
const { name, version, repository } = JSON.parse(readFileSync('package.json', 'utf8'));
// README links and images are relative to the repository; the Marketplace needs them absolute.
const base = String(repository?.url ?? '').replace(/\.git$/, '');
const out = `${name}-${version}.vsix`;
// --no-dependencies: the bundles contain everything; node_modules is not shipped.
run(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--readme-path', 'media/marketplace/README.md', '--out', out, '--baseContentUrl', `${base}/blob/main/`, '--baseImagesUrl', `${base}/raw/main/`]);
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KB`);
