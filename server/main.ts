// Entry point of dist/server.cjs. The same bundle runs twice: as the LSP
// thread (started by the editor with --node-ipc or --stdio) and, inside it,
// as the analysis worker thread.

import { isMainThread, workerData } from 'node:worker_threads';
import { startServer } from './server';
import { runWorker } from './worker';

if (!isMainThread && (workerData as { charterAnalysisWorker?: boolean } | undefined)?.charterAnalysisWorker) {
  runWorker();
} else {
  startServer({ workerScript: typeof __filename === 'string' ? __filename : process.argv[1] });
}
