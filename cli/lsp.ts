// `charter lsp --stdio`: the language server for any LSP client (Neovim,
// Emacs, Helix...). The same server VS Code runs; `--node-ipc` and
// `--socket=PORT` work too.

import { isMainThread } from 'node:worker_threads';
import { registerCommand } from './main';
import { UsageError } from './errors';
import { startServer } from '../server/server';
import { runWorker } from '../server/worker';

const WORKER = '__charter-analysis-worker';

registerCommand('lsp', (args) => {
  const transport = args.find((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
  const unknown = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!transport || unknown.length) throw new UsageError('usage: charter lsp --stdio (or --node-ipc, --socket=PORT)');
  startServer({ workerScript: typeof __filename === 'string' ? __filename : process.argv[1], workerArgv: [WORKER] });
  // Runs until the client sends `exit`.
  return new Promise<number>(() => {});
});

// The analysis worker thread re-enters the CLI with this hidden command.
registerCommand(WORKER, () => {
  if (isMainThread) throw new UsageError(`${WORKER} is internal`);
  runWorker();
  return new Promise<number>(() => {});
});
