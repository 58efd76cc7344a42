/**
 * A throwaway PostgreSQL server for tests: Debian's binaries (`/usr/lib/postgresql/<v>/bin`, else
 * `initdb`/`pg_ctl` on PATH), a temporary data directory, a free port on 127.0.0.1, trust
 * authentication, durability off (fsync, synchronous_commit: a test database). As root (initdb
 * refuses to run as root) the server runs as the `postgres` user through runuser. Stopped and
 * deleted by stop().
 *
 * `findPostgres()` says why no server can be started (no binary, no postgres user as root), so a
 * suite can skip with that note.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgBinaries {
  bin: string;
  /** Run as this user (root only). */
  runAs: { user: string; uid: number; gid: number } | null;
}

function onPath(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** The PostgreSQL binaries to use (15 or later preferred), or a reason why there are none. */
export function findPostgres(): PgBinaries | string {
  let bin: string | null = null;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) bin = join(root, versions[0]!, 'bin');
  }
  if (!bin) {
    const initdb = onPath('initdb');
    if (initdb && onPath('pg_ctl')) bin = join(initdb, '..');
  }
  if (!bin) return 'no PostgreSQL server binaries (initdb, pg_ctl; Debian: apt-get install postgresql)';
  let runAs: PgBinaries['runAs'] = null;
  if (process.getuid?.() === 0) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) return 'running as root and no postgres user to run initdb as';
    if (!onPath('runuser')) return 'running as root and no runuser to switch to the postgres user';
    runAs = { user: 'postgres', uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  return { bin, runAs };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface PgServer {
  url: string;
  port: number;
  stop(): void;
}

/** Starts a server (see the module comment). */
export async function startPostgres(bins: PgBinaries): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), 'policy-search-pg-'));
  const data = join(dir, 'data');
  if (bins.runAs) {
    chownSync(dir, bins.runAs.uid, bins.runAs.gid);
    chmodSync(dir, 0o700);
  }
  const run = (cmd: string, args: string[]) => {
    const file = join(bins.bin, cmd);
    const [exe, argv] = bins.runAs ? ['runuser', ['-u', bins.runAs.user, '--', file, ...args]] : [file, args];
    execFileSync(exe, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, timeout: 120_000 });
  };
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const options = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c shared_buffers=64MB',
      '-c max_wal_size=1GB',
      '-c max_parallel_workers_per_gather=0',
    ].join(' ');
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
