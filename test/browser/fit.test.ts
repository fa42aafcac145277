// The previewer's frame: the legend starts collapsed (the drawing gets the
// room) and the toolbar button opens it; when the panel is resized (a panel
// opens or closes beside or below it) a fitted drawing is fitted again, and a
// drawing the user zoomed keeps its zoom.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, ensureWebviewBuilt, launchBrowser, loadExampleGraph, openGraphPage, startServer, type GraphPage, type TestServer } from './harness';

const skip = existsSync(CHROMIUM) || process.env.CI ? false : `Chromium not found at ${CHROMIUM}`;

/** The drawing's box on screen and the svg's box. */
async function boxes(page: Page) {
  return page.evaluate(() => {
    const svg = document.querySelector('svg.graph')!.getBoundingClientRect();
    const g = (document.querySelector('svg.graph g.viewport') as SVGGElement).getBoundingClientRect();
    const t = document.querySelector('svg.graph g.viewport')!.getAttribute('transform')!;
    return { svg: { w: svg.width, h: svg.height, x: svg.x, y: svg.y }, g: { w: g.width, h: g.height, x: g.x, y: g.y }, k: Number(/scale\(([\d.]+)\)/.exec(t)![1]) };
  });
}

function resized(page: Page, action: () => Promise<unknown>) {
  const wait = page.evaluate(() => new Promise<{ w: number; h: number; fitted: boolean }>((ok) => window.addEventListener('charter:resized', (e) => ok((e as CustomEvent).detail), { once: true })));
  return page.evaluate(() => 0).then(action).then(() => wait);
}

describe('previewer frame', { skip }, () => {
  let browser: Browser;
  let server: TestServer;
  const pages: GraphPage[] = [];

  before(async () => {
    await ensureWebviewBuilt();
    server = await startServer();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const gp of pages.splice(0)) await gp.page.context().close();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(width = 1400, height = 900): Promise<GraphPage> {
    const gp = await openGraphPage(browser, server, { width, height });
    pages.push(gp);
    await gp.post({ type: 'graph', graph: loadExampleGraph(), focus: 'contract:sales.orders', options: { depth: 2 } });
    return gp;
  }

  test('the legend starts collapsed and the Legend button opens and closes it', async () => {
    const { page } = await open();
    assert.equal(await page.locator('#legend').isVisible(), false);
    assert.equal(await page.locator('#toggle-legend').getAttribute('aria-pressed'), 'false');
    await page.click('#toggle-legend');
    await page.locator('#legend').waitFor({ state: 'visible' });
    assert.match(await page.locator('#legend').innerText(), /lineage/i);
    await page.click('#toggle-legend');
    await page.locator('#legend').waitFor({ state: 'hidden' });
  });

  test('a fitted drawing is fitted again when the panel shrinks or grows', async () => {
    const { page } = await open(1400, 900);
    const before = await boxes(page);
    assert.ok(before.g.w <= before.svg.w + 1 && before.g.h <= before.svg.h + 1, 'fitted at first');
    // A panel opens below: the preview loses half its height.
    const d = await resized(page, () => page.setViewportSize({ width: 1400, height: 450 }));
    assert.equal(d.fitted, true);
    const small = await boxes(page);
    assert.ok(small.k < before.k, `zoomed out to fit (${before.k} -> ${small.k})`);
    assert.ok(small.g.h <= small.svg.h + 1 && small.g.w <= small.svg.w + 1, 'the whole drawing is visible');
    assert.ok(small.g.y >= small.svg.y - 1 && small.g.y + small.g.h <= small.svg.y + small.svg.h + 1);
    // The panel closes again.
    await resized(page, () => page.setViewportSize({ width: 1400, height: 900 }));
    const again = await boxes(page);
    assert.ok(Math.abs(again.k - before.k) < 1e-3, 'back to the first zoom');
  });

  test('after the user zooms, a resize keeps the zoom and the centre', async () => {
    const { page } = await open(1400, 900);
    await page.click('#zoom-in');
    const zoomed = await boxes(page);
    const d = await resized(page, () => page.setViewportSize({ width: 1000, height: 700 }));
    assert.equal(d.fitted, false);
    const after = await boxes(page);
    assert.ok(Math.abs(after.k - zoomed.k) < 1e-6, 'same zoom');
    // The scene point that was at the centre is still at the centre.
    const c0 = { x: zoomed.g.x + zoomed.g.w / 2 - (zoomed.svg.x + zoomed.svg.w / 2), y: zoomed.g.y + zoomed.g.h / 2 - (zoomed.svg.y + zoomed.svg.h / 2) };
    const c1 = { x: after.g.x + after.g.w / 2 - (after.svg.x + after.svg.w / 2), y: after.g.y + after.g.h / 2 - (after.svg.y + after.svg.h / 2) };
    assert.ok(Math.abs(c0.x - c1.x) < 2 && Math.abs(c0.y - c1.y) < 2, `centre kept: ${JSON.stringify([c0, c1])}`);
  });
});
