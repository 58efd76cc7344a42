/**
 * The server edge: reads the configuration, listens at once (/healthz answers, /readyz says 503
 * until an index is loaded), loads the index — building it first in a child process when it is
 * missing or stale — and keeps it current.
 *
 * With WORKERS ≥ 2 (the default on a multi-core machine) requests are answered by that many worker
 * threads, each running the whole app over one shared copy of the index (serve/pool.ts); this
 * thread listens, applies the rate limit, answers the probes and forwards the rest
 * (serve/front-app.ts). WORKERS=0 or 1 runs everything on this thread. Either way:
 *
 * - INDEX_DIR/CURRENT is polled (fs.watchFile, every RELOAD_POLL_MS; a burst of changes is
 *   debounced): when `npm run index` writes a new generation, it is loaded beside the old one and
 *   swapped in (see search/reloader.ts).
 * - SIGHUP rebuilds the index from the corpus in a child process, then loads and swaps it.
 * - WATCH_CORPUS=1 does the same whenever a file under CORPUS_DIR changes (debounced).
 * - SIGTERM / SIGINT shut down gracefully (see web/http-server.ts); exit 0 when every request
 *   finished, 1 when SHUTDOWN_TIMEOUT_MS ran out first. A second signal exits at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { unwatchFile, watch, watchFile, type FSWatcher } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RequestListener } from 'node:http';
// Only light modules here: with worker threads, the first worker is started before this thread
// loads the rest (the app, the search modules), so the two overlap instead of adding up.
import { backendKindFromEnv } from './backends/backend.js';
import { loadConfig, loadOperationsConfig, resolveIndexDir, type Config } from './config.js';
import { AppError } from './domain/errors.js';
import type { ReloadAttempt, ReloadTrigger } from './search/reloader.js';
import { startWorkerServing } from './serve/serving.js';
import type { AppLogger } from './web/errors.js';
import { createHttpServer, shutdown } from './web/http-server.js';

const INDEX_CLI = fileURLToPath(new URL('./cli/build-index.ts', import.meta.url));
/** How long after the last change event a reload or rebuild starts. */
const POINTER_DEBOUNCE_MS = 200;
const CORPUS_DEBOUNCE_MS = 1000;

const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);
const logError = (message: string) => console.error(`${new Date().toISOString()} ${message}`);

/**
 * Runs the index CLI (`src/cli/build-index.ts`) in a child process, so this process keeps
 * answering while the corpus is parsed and indexed. Rejects with E_REINDEX_FAILED and the end of
 * the child's error output when it fails.
 */
function childIndexBuilder(config: Config): { build: () => Promise<void>; cancel: () => void } {
  let child: ChildProcess | null = null;
  const build = () =>
    new Promise<void>((resolvePromise, reject) => {
      const args = ['--import', import.meta.resolve('tsx'), INDEX_CLI, '--corpus', config.corpusDir, '--index', config.indexDir];
      log(`building the index in a child process: ${config.corpusDir}`);
      const proc = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
      child = proc;
      let errTail = '';
      proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        errTail = (errTail + chunk).slice(-2000);
      });
      proc.on('error', (e) => {
        child = null;
        reject(new AppError('E_REINDEX_FAILED', e.message));
      });
      proc.on('exit', (code, signal) => {
        child = null;
        if (code === 0) resolvePromise();
        else {
          const why = errTail.trim().split('\n').slice(-3).join(' | ') || (signal ? `killed by ${signal}` : `exit code ${code}`);
          reject(new AppError('E_REINDEX_FAILED', why));
        }
      });
    });
  return {
    build,
    cancel: () => {
      if (child?.pid) child.kill('SIGTERM');
    },
  };
}

/**
 * Whether a change event under the corpus folder can matter to a build: not a hidden file (the
 * loader skips those, and editors write swap files there), and not the index itself when
 * INDEX_DIR lies inside CORPUS_DIR (every build would start the next one).
 */
function corpusChangeMatters(config: Config): (filename: string) => boolean {
  const rel = relative(config.corpusDir, config.indexDir);
  const ownIndex = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : null;
  return (filename) => {
    if (filename.split(sep).some((part) => part.startsWith('.'))) return false;
    return !(ownIndex && (filename === ownIndex || filename.startsWith(ownIndex + sep)));
  };
}

/** What the server edge drives, whichever way requests are answered. */
interface Serving {
  handler: RequestListener;
  reloader: {
    reload(trigger: ReloadTrigger): Promise<ReloadAttempt>;
    rebuild(trigger: ReloadTrigger): Promise<ReloadAttempt>;
    checkPointer(): Promise<ReloadAttempt> | null;
    snapshot(): { manifest: { counts: { documents: number; paragraphs: number } } } | null;
  };
  /** How requests are answered, for the start-up line. */
  mode: string;
  /** After the HTTP server has drained. */
  close(): Promise<void>;
}

interface ServingDeps {
  config: Config;
  build: () => Promise<void>;
  logger: AppLogger;
}

/** Everything on this thread: the app over a LiveService the reloader swaps. */
async function singleThread({ config, build, logger }: ServingDeps): Promise<Serving> {
  const [{ currentGeneration }, { createLiveService }, { IndexReloader, loadCurrentIndex }, { createApp }] = await Promise.all([
    import('./indexing/store.js'),
    import('./search/live-service.js'),
    import('./search/reloader.js'),
    import('./web/app.js'),
  ]);
  const live = createLiveService();
  const reloader = new IndexReloader({
    live,
    load: () => loadCurrentIndex(config),
    build,
    currentGeneration: () => currentGeneration(config.indexDir),
    release: (_old, generation) => log(`released the previous index ${generation ?? ''}`.trim()),
    log: (m) => log(m),
  });
  // Jieba's dictionary (≈0.8 s) is loaded by the first load (loadCurrentIndex) while the index
  // files are being read, rather than before them, or during the first user's query.
  const app = createApp({ service: live.service, config, status: reloader, logger });
  return { handler: app, reloader, mode: 'one thread', close: async () => {} };
}

/**
 * Worker threads answer; this thread forwards, rate-limits and answers the probes (serve/). The
 * reloader swaps generations in the pool: every worker loads the new one, then all switch.
 */
async function workerThreads({ config, build, logger }: ServingDeps, workers: number): Promise<Serving> {
  const serving = await startWorkerServing({ config, workers, build, logger, log });
  return { ...serving, mode: `${workers} worker threads` };
}

/**
 * SEARCH_BACKEND=postgres: a stateless server over the database DATABASE_URL names (written by
 * `npm run index` with the same variables). One thread: servers scale out as separate processes
 * behind a load balancer, so WORKERS does not apply; a re-index is followed through the
 * database's current_generation, not INDEX_DIR.
 */
async function servePostgres(config: Config, ops: ReturnType<typeof loadOperationsConfig>, logger: AppLogger): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL?.trim();
  if (!databaseUrl) {
    logError('SEARCH_BACKEND=postgres needs DATABASE_URL (postgres://user:password@host:5432/database)');
    process.exit(1);
  }
  const { openBackend } = await import('./backends/backend.js');
  const { wordsOfNormalized } = await import('./analysis/analyzer.js');
  const { createApp } = await import('./web/app.js');
  wordsOfNormalized('政务公开'); // jieba's dictionary, before the first query
  const backend = await openBackend('postgres', { databaseUrl, limits: config.limits, pollMs: ops.reloadPollMs });
  const server = createHttpServer(createApp({ service: backend, config, status: backend, logger }));
  server.on('error', (err) => {
    logError(`cannot listen on port ${config.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, () => log(`listening on http://localhost:${config.port}/ (pid ${process.pid}, postgres backend, generation ${backend.snapshot()?.generation ?? 'none'})`));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal}: shutting down`);
    void shutdown(server, { timeoutMs: ops.shutdownTimeoutMs }).then(async (outcome) => {
      await backend.close();
      process.exit(outcome === 'drained' ? 0 : 1);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => log('SIGHUP: with SEARCH_BACKEND=postgres, re-index with `npm run index`; servers follow current_generation'));
}

async function main(): Promise<void> {
  // Flags override the environment: npm start -- --corpus DIR --index DIR --port N
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, index: { type: 'string' }, port: { type: 'string' } } });
  const config = loadConfig(values.port === undefined ? process.env : { ...process.env, PORT: values.port });
  // Another corpus without --index gets its own index folder (resolveIndexDir).
  Object.assign(config, resolveIndexDir(config, values.corpus, values.index));
  const ops = loadOperationsConfig();

  const logger = { info: log, error: (m: string, err?: unknown) => console.error(`${new Date().toISOString()} ${m}`, err ?? '') };
  if (backendKindFromEnv() === 'postgres') return servePostgres(config, ops, logger);
  const builder = childIndexBuilder(config);
  const deps = { config, build: builder.build, logger };
  const serving = await (ops.workers >= 2 ? workerThreads(deps, ops.workers) : singleThread(deps));
  const { reloader } = serving;
  const { debounce } = await import('./search/reloader.js');
  const server = createHttpServer(serving.handler);
  server.on('error', (err) => {
    logError(`cannot listen on port ${config.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    log(`listening on http://localhost:${port}/ (pid ${process.pid}, ${serving.mode}; SIGHUP re-indexes, SIGTERM stops)`);
  });

  // Signals first: SIGHUP's default action would kill the process, SIGTERM must drain even
  // during the first build.
  const pointer = join(config.indexDir, 'CURRENT');
  const onPointer = debounce(() => void reloader.checkPointer(), POINTER_DEBOUNCE_MS);
  const rebuildSoon = debounce(() => void reloader.rebuild('corpus'), CORPUS_DEBOUNCE_MS);
  const matters = corpusChangeMatters(config);
  let corpusWatcher: FSWatcher | null = null;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logError(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: shutting down (finishing requests in flight, at most ${ops.shutdownTimeoutMs} ms)`);
    unwatchFile(pointer);
    onPointer.cancel();
    rebuildSoon.cancel();
    corpusWatcher?.close();
    builder.cancel();
    void shutdown(server, { timeoutMs: ops.shutdownTimeoutMs }).then(async (outcome) => {
      // Workers go only once every request they were answering has been answered.
      await serving.close();
      if (outcome === 'drained') log('all requests finished; bye');
      else logError('shutdown timeout: closed the remaining connections');
      process.exit(outcome === 'drained' ? 0 : 1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', () => {
    if (stopping) return;
    log('SIGHUP: rebuilding the index');
    void reloader.rebuild('signal');
  });

  const first = await reloader.reload('start');
  if (stopping) return;
  if (!first.ok) {
    logError(`no index could be loaded: ${first.message}`);
    process.exit(1);
  }
  const counts = reloader.snapshot()!.manifest.counts;
  log(`政策文件检索: ${counts.documents} documents, ${counts.paragraphs} paragraphs`);

  // A new generation written by `npm run index` (or by a child build of ours).
  watchFile(pointer, { interval: ops.reloadPollMs, persistent: false }, onPointer);
  if (ops.watchCorpus) {
    try {
      corpusWatcher = watch(config.corpusDir, { recursive: true, persistent: false }, (_event, filename) => {
        if (matters(filename ? String(filename) : '')) rebuildSoon();
      });
      corpusWatcher.on('error', (e) => logError(`corpus watcher: ${e.message}`));
      log(`watching ${config.corpusDir} for changes`);
    } catch (e) {
      logError(`cannot watch the corpus folder: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

main().catch((err: unknown) => {
  logError(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
