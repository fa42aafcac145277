// Bundles the three entry points with esbuild. Type-checking is `tsc --noEmit` (see package.json).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
// --production (npm run package): minified, no source maps, for a small VSIX.
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'node20' };

const builds = [
  { ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/client.cjs', platform: 'node', format: 'cjs', external: ['vscode'] },
  { ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.cjs', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['cli/index.ts'], outfile: 'dist/cli.cjs', platform: 'node', format: 'cjs' },
  // The graph previewer runs in the webview (a browser) and its layout in a web worker.
  { ...common, entryPoints: ['client/webview/main.ts'], outfile: 'dist/webview/main.js', platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: ['client/webview/layout-worker.ts'], outfile: 'dist/webview/layout-worker.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

const { existsSync } = await import('node:fs');
const active = builds.filter((b) => b.entryPoints.every((e) => existsSync(e)));
if (watch) {
  for (const b of active) (await esbuild.context(b)).watch();
} else {
  await Promise.all(active.map((b) => esbuild.build(b)));
}
