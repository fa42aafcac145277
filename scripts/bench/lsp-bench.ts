// Language server latency through a real LSP connection (stdio, the
// vscode-languageserver-protocol client) on the benchmark mesh:
//   - keystroke -> diagnostics: didChange to the publishDiagnostics of that
//     version, one edit at a time, each toggling an error so every version has
//     new diagnostics to publish: in a contract (an unknown type: the main
//     figure), in a policy (an unknown group: access changes), and in a
//     principal (an edit the incremental analysis does not handle: the whole
//     model is rebuilt);
//   - completion: idle, and right after a keystroke (while the analysis runs);
//   - hover after a keystroke (waits for the analysis: a model feature).
//
//   import { benchLsp } from './lsp-bench';   // -> Record<string, number>
//   node --import tsx scripts/bench/lsp-bench.ts [contracts]   (prints the numbers)
//
// Needs dist/server.cjs (node scripts/build.mjs); CHARTER_SERVER overrides it.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { generateMesh } from './gen-mesh';

interface Published {
  uri: string;
  version?: number;
  diagnostics: { code?: string | number }[];
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

function serverPath(): string {
  const candidates = [process.env.CHARTER_SERVER, path.resolve('dist/server.cjs')].filter((x): x is string => !!x);
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error('dist/server.cjs not found: run node scripts/build.mjs first (or set CHARTER_SERVER)');
}

export async function benchLsp(opts: { contracts?: number; keystrokes?: number; completions?: number } = {}): Promise<Record<string, number>> {
  const contracts = opts.contracts ?? 1000;
  const keystrokes = opts.keystrokes ?? 60;
  const completions = opts.completions ?? 200;
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-lsp-bench-'));
  const mesh = generateMesh({ contracts });
  for (const f of mesh.files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.text);
  }
  const proc = spawn(process.execPath, [serverPath(), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const published = new Map<string, Published & { at: number }>();
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  let analysisMs = 0;
  let ready = 0;
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    published.set(p.uri, { ...p, at: performance.now() });
    wake();
  });
  conn.onNotification('charter/status', (s: { state: string; analysisMs?: number }) => {
    if (s.state === 'ready') {
      ready++;
      analysisMs = s.analysisMs ?? analysisMs;
    }
    wake();
  });
  if (process.env.CHARTER_TIMING) conn.onNotification('window/logMessage', (m: { message: string }) => /timing/.test(m.message) && console.error(m.message));
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const until = (check: () => boolean, timeout = 120_000) =>
    new Promise<void>((resolve, reject) => {
      if (check()) return resolve();
      const t = setTimeout(() => {
        waiters.delete(w);
        reject(new Error('lsp bench: timed out'));
      }, timeout);
      const w = () => {
        if (!check()) return;
        clearTimeout(t);
        waiters.delete(w);
        resolve();
      };
      waiters.add(w);
    });

  try {
    const t0 = performance.now();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'mesh' }],
      capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { versionSupport: true } } },
    });
    await conn.sendNotification('initialized', {});
    await until(() => ready > 0);
    const coldMs = performance.now() - t0;

    // A contract in the middle of the mesh.
    const file = mesh.files.filter((f) => f.path.endsWith('.charter') && /^\w+\/[\w-]+\.charter$/.test(f.path) && !f.path.startsWith('org/') && !f.path.startsWith('governance/'))[Math.floor(contracts / 2)] ?? mesh.files[0];
    const uri = pathToFileURL(path.join(dir, file.path)).href;
    let text = file.text;
    let version = 1;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'charter', version, text } });
    await until(() => ready > 1);
    const lines = text.split('\n');
    const typeLine = lines.findIndex((l) => /^\s*field \w+: string/.test(l));
    if (typeLine < 0) throw new Error(`no string field in ${file.path}`);
    const typeEnd = lines[typeLine].indexOf(': string') + ': string'.length;
    const ownerLine = lines.findIndex((l) => /^\s*owner /.test(l));

    // Keystroke -> diagnostics: type 'x' at a place where it makes an error, then delete it, and so on;
    // each version has new diagnostics to publish.
    const toggles = async (docUri: string, line: number, character: number, n: number, first: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const insert = i % 2 === 0;
        const v = first + i;
        const range = { start: { line, character }, end: { line, character: insert ? character : character + 1 } };
        const sent = performance.now();
        await conn.sendNotification('textDocument/didChange', { textDocument: { uri: docUri, version: v }, contentChanges: [{ range, text: insert ? 'x' : '' }] });
        await until(() => (published.get(docUri)?.version ?? 0) >= v);
        out.push(published.get(docUri)!.at - sent);
      }
      return out;
    };
    // In a contract: `string` -> `stringx` (an unknown type).
    const kd = await toggles(uri, typeLine, typeEnd, keystrokes, version + 1);
    version += keystrokes;
    // In a policy (the same file): a group in an audience -> an unknown group; access changes for what the policy covers.
    const ruleLine = lines.findIndex((l) => /^\s+(allow read to|mask \w+ with \w+ for) [\w-]+/.test(l));
    const ruleEnd = ruleLine < 0 ? -1 : (/^\s+(allow read to|mask \w+ with \w+ for) [\w-]+/.exec(lines[ruleLine])![0].length);
    const kdPolicy = ruleLine < 0 ? [] : await toggles(uri, ruleLine, ruleEnd, keystrokes, version + 1);
    version += ruleLine < 0 ? 0 : keystrokes;
    // In a principal (org/principals.charter): a group it is a member of -> unknown. Not incremental: rebuilt from scratch.
    const pFile = mesh.files.find((f) => f.path === 'org/principals.charter');
    let kdScratch: number[] = [];
    if (pFile) {
      const pUri = pathToFileURL(path.join(dir, pFile.path)).href;
      const pLines = pFile.text.split('\n');
      const mLine = pLines.findIndex((l) => /member of [\w-]+/.test(l));
      const m = /member of [\w-]+/.exec(pLines[mLine])!;
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: pUri, languageId: 'charter', version: 1, text: pFile.text } });
      kdScratch = await toggles(pUri, mLine, m.index + m[0].length, Math.min(20, keystrokes), 2);
    }

    // Completion, idle: after `owner ` (groups), after `from ` (domains), at a new line (keywords).
    const positions = [
      { line: ownerLine >= 0 ? ownerLine : 0, character: ownerLine >= 0 ? lines[ownerLine].indexOf('owner ') + 6 : 0 },
      { line: typeLine, character: typeEnd + 1 },
      { line: lines.length - 1, character: 0 },
    ];
    const comp: number[] = [];
    for (let i = 0; i < completions; i++) {
      const t = performance.now();
      await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: positions[i % positions.length] });
      comp.push(performance.now() - t);
    }

    // Completion right after a keystroke (the analysis of that keystroke is running).
    const compBusy: number[] = [];
    const hoverBusy: number[] = [];
    for (let i = 0; i < Math.min(40, keystrokes); i++) {
      version++;
      const insert = i % 2 === 0;
      const range = insert ? { start: { line: typeLine, character: typeEnd }, end: { line: typeLine, character: typeEnd } } : { start: { line: typeLine, character: typeEnd }, end: { line: typeLine, character: typeEnd + 1 } };
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert ? 'x' : '' }] });
      const t = performance.now();
      await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: positions[i % positions.length] });
      compBusy.push(performance.now() - t);
      const h = performance.now();
      await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: typeLine, character: lines[typeLine].indexOf('field ') + 7 } });
      hoverBusy.push(performance.now() - h);
      const v = version;
      await until(() => (published.get(uri)?.version ?? 0) >= v);
    }
    text = '';
    return {
      contracts,
      files: mesh.files.length,
      coldStartMs: Math.round(coldMs),
      serverAnalysisMs: analysisMs,
      keystrokeToDiagnosticsP50Ms: +percentile(kd, 50).toFixed(1),
      keystrokeToDiagnosticsP95Ms: +percentile(kd, 95).toFixed(1),
      policyKeystrokeToDiagnosticsP50Ms: +percentile(kdPolicy, 50).toFixed(1),
      policyKeystrokeToDiagnosticsP95Ms: +percentile(kdPolicy, 95).toFixed(1),
      fromScratchKeystrokeToDiagnosticsP50Ms: +percentile(kdScratch, 50).toFixed(1),
      fromScratchKeystrokeToDiagnosticsP95Ms: +percentile(kdScratch, 95).toFixed(1),
      completionP50Ms: +percentile(comp, 50).toFixed(2),
      completionP95Ms: +percentile(comp, 95).toFixed(2),
      completionAfterKeystrokeP95Ms: +percentile(compBusy, 95).toFixed(2),
      hoverAfterKeystrokeP95Ms: +percentile(hoverBusy, 95).toFixed(1),
    };
  } finally {
    try {
      await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await conn.sendNotification('exit');
    } catch {
      /* gone */
    }
    setTimeout(() => proc.kill('SIGKILL'), 2000).unref();
    conn.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = !!process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const n = Number(process.argv[2]) || 1000;
  const r = await benchLsp({ contracts: n });
  const row = (k: string, v: number, unit: string, target?: string) => console.log(`  ${k.padEnd(44)} ${String(v).padStart(9)} ${unit}${target ? `   [target ${target}]` : ''}`);
  console.log(`  ${n} contracts, ${r.files} files; cold start to first diagnostics ${r.coldStartMs} ms; server analysis ${r.serverAnalysisMs} ms`);
  row('keystroke -> diagnostics p50', r.keystrokeToDiagnosticsP50Ms, 'ms');
  row('keystroke -> diagnostics p95', r.keystrokeToDiagnosticsP95Ms, 'ms', '< 50 ms');
  row('  in a policy: p50', r.policyKeystrokeToDiagnosticsP50Ms, 'ms');
  row('  in a policy: p95', r.policyKeystrokeToDiagnosticsP95Ms, 'ms', '< 50 ms');
  row('  in a principal (from scratch): p50', r.fromScratchKeystrokeToDiagnosticsP50Ms, 'ms');
  row('  in a principal (from scratch): p95', r.fromScratchKeystrokeToDiagnosticsP95Ms, 'ms');
  row('completion p50 (idle)', r.completionP50Ms, 'ms');
  row('completion p95 (idle)', r.completionP95Ms, 'ms', '< 20 ms');
  row('completion p95 (right after a keystroke)', r.completionAfterKeystrokeP95Ms, 'ms', '< 20 ms');
  row('hover p95 (right after a keystroke)', r.hoverAfterKeystrokeP95Ms, 'ms');
  console.log(JSON.stringify(r));
}
