// Entry point of the graph previewer webview (bundled as an IIFE: dist/webview/main.js).

import { App } from './app';
import { connectHost } from './host';

function workerUri(): string | null {
  const script = document.currentScript as HTMLScriptElement | null;
  return script?.dataset.workerUri || document.body?.dataset.workerUri || null;
}

function start(): void {
  const uri = workerUri();
  const root = document.getElementById('charter-graph') ?? document.body.appendChild(document.createElement('div'));
  new App(root, connectHost(), uri);
}

// document.currentScript is only set while the script first runs: read it now.
const uri = workerUri();
if (uri && document.body) document.body.dataset.workerUri = uri;
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
