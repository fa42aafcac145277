// A throwaway PostgreSQL server for the tests: initdb into a temporary
// folder, listening on 127.0.0.1 only (a free port) and on a unix socket in
// that folder, stopped and removed by stop(). No system service is touched.
// PostgreSQL refuses to run as root: as root, the folder is given to the
// `postgres` user (Debian's package creates it) and the server runs as it.
// If the server cannot start, startPostgres() throws: the tests fail, they
// never skip.
//   CHARTER_PG_BIN=/usr/lib/postgresql/16/bin   to use another installation

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgServer {
  port: number;
  version: string;
  /** A connected client (superuser `postgres`); every value comes back as text. */
  connect(database?: string): Promise<pg.Client>;
  stop(): Promise<void>;
}

function pgBin(): string {
  if (process.env.CHARTER_PG_BIN) return process.env.CHARTER_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error(`no PostgreSQL server in ${root}: install Debian's postgresql package (.ci/install-deps.sh does)`);
  return path.join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const asText = { getTypeParser: () => (v: string) => v };

export async function startPostgres(): Promise<PgServer> {
  const bin = pgBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'charter-pg-'));
  const data = path.join(dir, 'data');
  const root = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]): [string, string[]] => (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = as(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-locale', '-E', 'UTF8', '--no-sync']);
  try {
    execFileSync(initCmd, initArgs, { stdio: 'pipe', timeout: 120_000 });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
  }
  const port = await freePort();
  const [cmd, args] = as(path.join(bin, 'postgres'), [
    '-D', data, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=20',
  ]);
  let log = '';
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (b) => (log += b));
  child.stderr!.on('data', (b) => (log += b));
  let exited = false;
  child.on('exit', () => (exited = true));
  const connect = async (database = 'postgres') => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database, types: asText });
    await c.connect();
    return c;
  };
  const stop = async () => {
    if (!exited) {
      const [sc, sa] = as(path.join(bin, 'pg_ctl'), ['-D', data, 'stop', '-m', 'fast', '-w']);
      try {
        execFileSync(sc, sa, { stdio: 'pipe', timeout: 60_000 });
      } catch {
        child.kill('SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start:\n${log}`);
    }
    try {
      const c = await connect();
      const v = (await c.query('SHOW server_version')).rows[0].server_version as string;
      await c.end();
      return { port, version: v, connect, stop };
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`PostgreSQL did not accept connections within 60 s: ${(e as Error).message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}


