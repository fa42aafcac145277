/**
 * Smoke test of the e2e harness against plain code-server (no Charter extension needed):
 * open a folder, open hello.txt via Quick Open, check the editor shows its text, screenshot.
 *
 *   node --import tsx --test test/e2e/smoke.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { getEditorText, openBrowser, openFile, openWorkbench, screenshot, startCodeServer, type BrowserSession, type CodeServer } from './harness';

const HELLO = 'Hello from the Charter e2e smoke test!';

let folder: string;
let server: CodeServer | undefined;
let browser: BrowserSession | undefined;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'charter-e2e-ws-'));
  writeFileSync(join(folder, 'hello.txt'), `${HELLO}\nsecond line\n`);
  server = await startCodeServer({ folder, name: 'smoke' });
  console.log(`code-server up in ${server.startupMs} ms at ${server.baseUrl} (log ${server.logFile})`);
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('code-server workbench opens hello.txt via Quick Open', { timeout: 120_000 }, async () => {
  const { page } = browser!;
  const t0 = Date.now();
  await openWorkbench(page, server!);
  console.log(`workbench ready in ${Date.now() - t0} ms`);
  await openFile(page, 'hello.txt');
  const text = await getEditorText(page);
  assert.match(text, new RegExp(HELLO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.match(text, /second line/);
  const png = await screenshot(page, 'smoke-hello');
  console.log(`screenshot: ${png}`);
});
