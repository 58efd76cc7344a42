/**
 * The server with worker threads, assembled (server.ts calls it for WORKERS ≥ 2; tests use it
 * in-process): the worker pool, the reloader swapping generations in the pool, and the main
 * thread's app (serve/front-app.ts) to listen with.
 *
 * The pool's first worker is started before the rest of this thread's modules are loaded, so the
 * two overlap: this module imports only light modules statically.
 */
import type { RequestListener } from 'node:http';
import type { Config } from '../config.js';
import type { IndexReloader } from '../search/reloader.js';
import type { AppLogger } from '../web/errors.js';
import { collectGarbage } from './gc.js';
import { WorkerPool, type PoolIndex, type PoolOptions, type Route } from './pool.js';

/**
 * How the server routes requests to workers (WorkerPool `Route`). By URL, except:
 * - the commitments pages and API: their first request builds the corpus' commitment records,
 *   reading every document (on the laws corpus ~7 s and ~225 MB, kept): one worker, always, does
 *   it rather than each;
 * - a document (page or JSON, whatever the query string): the worker that parsed its paragraphs
 *   (kept once read) while it is not busier than the others.
 */
export function routeRequest(url: string): Route {
  const path = url.split('?', 1)[0]!;
  if (/^\/(?:api\/)?commitments(?:\.csv)?$/u.test(path)) return { key: 'commitments', sticky: true };
  if (/^\/(?:api\/)?docs\/[^/]+$/u.test(path)) return { key: path.replace(/^\/api/u, ''), sticky: false };
  return { key: url, sticky: false };
}

export interface WorkerServingOptions {
  config: Config;
  workers: number;
  /** Builds a new generation (server.ts: the index CLI in a child process). */
  build?: () => Promise<void>;
  logger: AppLogger;
  log: (message: string) => void;
  pool?: Partial<Pick<PoolOptions, 'requestTimeoutMs' | 'sharedJieba'>>;
}

export interface WorkerServing {
  handler: RequestListener;
  reloader: IndexReloader<PoolIndex>;
  pool: WorkerPool;
  /** Stops the workers (after the HTTP server has drained). */
  close(): Promise<void>;
}

export async function startWorkerServing(opts: WorkerServingOptions): Promise<WorkerServing> {
  const { config, log } = opts;
  const pool = new WorkerPool({ route: routeRequest, ...opts.pool, size: opts.workers, config, log });
  pool.start();
  const [{ currentGeneration }, { IndexReloader }, { createFrontApp }, { loadPoolIndex }] = await Promise.all([
    import('../indexing/store.js'),
    import('../search/reloader.js'),
    import('./front-app.js'),
    import('./load.js'),
  ]);
  const reloader: IndexReloader<PoolIndex> = new IndexReloader<PoolIndex>({
    live: pool,
    load: () => loadPoolIndex(pool, config),
    build: opts.build,
    currentGeneration: () => currentGeneration(config.indexDir),
    release: (previous, generation) => {
      log(`released the previous index ${generation ?? ''}`.trim());
      pool.discard(previous);
      // This thread's references to the old generation's shared bytes (the workers drop theirs
      // when they swap, see serve/worker.ts).
      collectGarbage();
    },
    discard: (unused) => pool.discard(unused.service),
    settled: () => pool.publishStatus(reloader.snapshot(), reloader.lastReload()),
    log,
  });
  // A worker that cannot load the generation being served (a replacement, after later builds
  // deleted its files): load what is current on disk, into every worker.
  pool.onStale = () => void reloader.reload('worker');
  const handler = createFrontApp({ config, pool, status: reloader, logger: opts.logger });
  return { handler, reloader, pool, close: () => pool.close() };
}
