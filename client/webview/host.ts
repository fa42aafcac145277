// The bridge to the extension: `acquireVsCodeApi()` inside VS Code, a shim elsewhere (tests,
// a plain browser) that records posted messages and keeps state in sessionStorage.

import type { WebviewToHostMessage } from './protocol';

export interface HostApi {
  postMessage(msg: WebviewToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
  readonly isShim: boolean;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside webviews; may be called only once per page.
  function acquireVsCodeApi(): VsCodeApi;
  interface Window {
    /** Shim only: every message the page posted, in order (read by tests). */
    __charterOutbox?: WebviewToHostMessage[];
  }
}

const STATE_KEY = 'charter.graph.state';

export function connectHost(): HostApi {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return {
      isShim: false,
      postMessage: (m) => api.postMessage(m),
      getState: () => api.getState(),
      setState: (s) => api.setState(s),
    };
  }
  const outbox: WebviewToHostMessage[] = (window.__charterOutbox = window.__charterOutbox ?? []);
  let memory: unknown = undefined;
  return {
    isShim: true,
    postMessage: (m) => {
      outbox.push(m);
      window.dispatchEvent(new CustomEvent('charter:post', { detail: m }));
    },
    getState: () => {
      try {
        const raw = sessionStorage.getItem(STATE_KEY);
        return raw ? JSON.parse(raw) : memory;
      } catch {
        return memory;
      }
    },
    setState: (s) => {
      memory = s;
      try {
        sessionStorage.setItem(STATE_KEY, JSON.stringify(s));
      } catch {
        // Storage may be unavailable (opaque origins); memory is enough.
      }
    },
  };
}
