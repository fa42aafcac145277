// Regenerates the previewer screenshots in docs/images from the test graph:
//   node --import tsx test/browser/screenshots.ts [outDir]
// graph-lineage.png (light theme), graph-access.png (dark theme), and the other theme of each as
// graph-lineage-dark.png / graph-access-light.png; and one image per toolbar control for
// docs/editor.md (graph-toolbar.png, graph-focus.png, graph-upstream.png, graph-domain-boxes.png,
// graph-sensitive-paths.png, graph-legend.png).

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
    type Shot = {
      view: 'lineage' | 'access';
      theme: 'light' | 'dark';
      file: string;
      focus?: string;
      depth?: number;
      options?: Record<string, unknown>;
      size?: { width: number; height: number };
      /** Clicked before the screenshot (a toolbar control). */
      click?: string;
      /** Only this element. */
      element?: string;
    };
    const shots: Shot[] = [
      { view: 'lineage', theme: 'light', file: 'graph-lineage.png', focus, depth: 2 },
      { view: 'access', theme: 'dark', file: 'graph-access.png', focus, depth: 2 },
      { view: 'lineage', theme: 'dark', file: 'graph-lineage-dark.png', focus, depth: 2 },
      { view: 'access', theme: 'light', file: 'graph-access-light.png', focus, depth: 2 },
      { view: 'lineage', theme: 'light', file: 'graph-lineage-full.png' },
      // One per toolbar control (docs/editor.md, "Graph preview").
      { view: 'lineage', theme: 'light', file: 'graph-toolbar.png', focus, element: '.toolbar', size: { width: 1500, height: 400 } },
      { view: 'lineage', theme: 'light', file: 'graph-focus.png', focus, depth: 1, size: { width: 1200, height: 700 } },
      { view: 'lineage', theme: 'light', file: 'graph-upstream.png', focus: 'field:marketing.audience_segments.email_hash', depth: 3, options: { direction: 'upstream' }, size: { width: 1200, height: 700 } },
      { view: 'lineage', theme: 'light', file: 'graph-domain-boxes.png', focus, depth: 1, options: { domainBoxes: true }, size: { width: 1200, height: 700 } },
      { view: 'lineage', theme: 'light', file: 'graph-sensitive-paths.png', focus, depth: 2, options: { sensitiveTag: 'pii.email' }, size: { width: 1400, height: 800 } },
      { view: 'lineage', theme: 'light', file: 'graph-legend.png', focus, depth: 1, click: '#toggle-legend', size: { width: 1200, height: 800 } },
    ];
    for (const s of shots) {
      const gp = await openGraphPage(browser, server, s.size ?? { width: 1600, height: s.view === 'access' ? 1100 : 900 });
      await gp.setTheme(s.theme);
      await gp.post({ type: 'graph', graph, focus: s.focus ?? null, options: { view: s.view, ...(s.depth ? { depth: s.depth } : {}), ...s.options } });
      if (s.click) {
        await gp.page.click(s.click);
        await gp.page.waitForTimeout(50);
      }
      const file = join(outDir, s.file);
      if (s.element) await gp.page.locator(s.element).screenshot({ path: file });
      else await gp.page.screenshot({ path: file });
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
