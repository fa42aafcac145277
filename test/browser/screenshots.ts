// Regenerates the previewer screenshots in docs/images from the test graph:
//   node --import tsx test/browser/screenshots.ts [outDir]
// graph-lineage.png (light theme), graph-access.png (dark theme), and the other theme of each as
// graph-lineage-dark.png / graph-access-light.png.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebviewBuilt, launchBrowser, loadExampleGraph, openGraphPage, ROOT, startServer } from './harness';

export async function takeScreenshots(outDir = join(ROOT, 'docs/images')): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  await ensureWebviewBuilt();
  const server = await startServer();
  const browser = await launchBrowser();
  const written: string[] = [];
  try {
    const graph = loadExampleGraph();
    // Focused on sales.orders (two levels both ways): the picture a user gets from
    // "Open Graph Preview" on that contract; the -full images show the whole mesh.
    const focus = 'contract:sales.orders';
    const shots: { view: 'lineage' | 'access'; theme: 'light' | 'dark'; file: string; focus?: string; depth?: number }[] = [
      { view: 'lineage', theme: 'light', file: 'graph-lineage.png', focus, depth: 2 },
      { view: 'access', theme: 'dark', file: 'graph-access.png', focus, depth: 2 },
      { view: 'lineage', theme: 'dark', file: 'graph-lineage-dark.png', focus, depth: 2 },
      { view: 'access', theme: 'light', file: 'graph-access-light.png', focus, depth: 2 },
      { view: 'lineage', theme: 'light', file: 'graph-lineage-full.png' },
    ];
    for (const s of shots) {
      const gp = await openGraphPage(browser, server, { width: 1600, height: s.view === 'access' ? 1100 : 900 });
      await gp.setTheme(s.theme);
      await gp.post({ type: 'graph', graph, focus: s.focus ?? null, options: { view: s.view, ...(s.depth ? { depth: s.depth } : {}) } });
      const file = join(outDir, s.file);
      await gp.page.screenshot({ path: file });
      written.push(file);
      const problems = [...gp.problems.csp, ...gp.problems.pageErrors, ...gp.problems.consoleErrors];
      if (problems.length) throw new Error(`problems while taking ${s.file}: ${problems.join('; ')}`);
      await gp.page.context().close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await takeScreenshots(process.argv[2])) console.log(f);
}
