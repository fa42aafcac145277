// File watching for clients that do not watch files for the server (no
// dynamic registration of workspace/didChangeWatchedFiles: Neovim 0.7, ...),
// and for governance folders outside the workspace: Node's recursive
// fs.watch, batched.

import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { pathToUri } from './project';

export type FileEventType = 'created' | 'changed' | 'deleted';

export class FolderWatcher {
  private watchers = new Map<string, FSWatcher>();
  private pending = new Map<string, FileEventType>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onEvents: (events: { uri: string; type: FileEventType }[]) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Watches exactly these folders (recursively). */
  set(dirs: string[]): void {
    const want = new Set(dirs.map((d) => path.resolve(d)));
    for (const [d, w] of this.watchers) {
      if (want.has(d)) continue;
      w.close();
      this.watchers.delete(d);
    }
    for (const d of want) {
      if (this.watchers.has(d) || !existsSync(d)) continue;
      try {
        const w = watch(d, { recursive: true }, (_event, name) => {
          if (!name) return;
          const file = path.join(d, name.toString());
          if (!file.endsWith('.charter') && path.basename(file) !== 'charter.json' && path.extname(file) !== '') return;
          this.pending.set(file, existsSync(file) ? (this.pending.get(file) === 'created' ? 'created' : 'changed') : 'deleted');
          this.timer ??= setTimeout(() => this.flush(), 50);
        });
        w.on('error', (e) => this.log(`file watcher on ${d} failed: ${e.message}`));
        this.watchers.set(d, w);
      } catch (e) {
        this.log(`cannot watch ${d}: ${(e as Error).message}`);
      }
    }
  }

  private flush(): void {
    this.timer = undefined;
    const events = [...this.pending].map(([file, type]) => ({ uri: pathToUri(file), type }));
    this.pending.clear();
    if (events.length) this.onEvents(events);
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    if (this.timer) clearTimeout(this.timer);
  }
}
