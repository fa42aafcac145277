// The graph previewer's HTML page. Pure (no vscode import): the extension calls it with
// webview.cspSource, a fresh nonce and the webview URIs of dist/webview/main.js,
// dist/webview/layout-worker.js and client/media/graph.css; the browser tests call it too.

export interface RenderHtmlOptions {
  /** `webview.cspSource` (in tests: the http origin serving the files). */
  cspSource: string;
  /** A fresh random nonce (base64/alphanumeric) for the script tag. */
  nonce: string;
  /** URI of dist/webview/main.js. */
  scriptUri: string;
  /** URI of dist/webview/layout-worker.js (fetched and started from a Blob URL). */
  workerUri: string;
  /** URI of client/media/graph.css. */
  styleUri: string;
  /** Page title (defaults to "Charter graph"). */
  title?: string;
}

/** Escapes text and double-quoted attribute values. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Characters that must never reach the CSP header value (they would start a new directive or break out). */
function cspToken(s: string): string {
  return s.replace(/[;,\r\n"'<>]/g, '');
}

/**
 * Content-Security-Policy of the page. connect-src lets the page fetch the worker script so it can
 * start it from a Blob URL (webviews cannot start a worker from a cross-origin resource URI).
 */
export function graphCsp(cspSource: string, nonce: string): string {
  const src = cspToken(cspSource);
  return [
    `default-src 'none'`,
    `img-src ${src} data: blob:`,
    `style-src ${src}`,
    `script-src 'nonce-${cspToken(nonce)}'`,
    `worker-src ${src} blob:`,
    `connect-src ${src}`,
  ].join('; ');
}

export function renderHtml(opts: RenderHtmlOptions): string {
  const csp = escapeHtml(graphCsp(opts.cspSource, opts.nonce));
  const nonce = escapeHtml(cspToken(opts.nonce));
  const script = escapeHtml(opts.scriptUri);
  const worker = escapeHtml(opts.workerUri);
  const style = escapeHtml(opts.styleUri);
  const title = escapeHtml(opts.title ?? 'Charter graph');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${title}</title>
</head>
<body data-worker-uri="${worker}">
<div id="charter-graph" class="charter-graph" aria-label="Charter graph previewer">
<div class="empty-state" id="charter-empty">Waiting for the graph…</div>
</div>
<script nonce="${nonce}" src="${script}" data-worker-uri="${worker}"></script>
</body>
</html>
`;
}
