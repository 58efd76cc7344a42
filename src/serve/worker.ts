/**
 * A worker thread: the whole web app (web/app.ts createApp) over its own SearchService, answering
 * the requests the main thread forwards (serve/pool.ts; messages in serve/protocol.ts).
 *
 * - Requests run through the app as in-memory requests (light-my-request, the inject of fastify,
 *   which works with any (req, res) handler); the answer goes back as status, headers and body.
 *   The app runs with its rate limit off: the main thread applies it, once for all workers.
 * - Index generations: the resident files arrive as SharedArrayBuffers (one copy for all threads)
 *   and paragraphs.bin as a file descriptor the main thread keeps open; the files decoded into
 *   JavaScript values (documents, normalized texts, the words index) are read here. A loaded
 *   generation waits beside the served one until `swap`.
 * - /readyz and /status show the main thread's reloader state, mirrored by `status` messages.
 *
 * Segmentation goes to the pool's segmenter thread, which holds the one jieba dictionary
 * (serve/shared-jieba.ts, installed by serve/worker-entry.ts before this module loads).
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import inject, { type DispatchFunc } from 'light-my-request';
import { loadSegmenter } from '../analysis/segmenter.js';
import { currentGeneration, loadIndex, prefetchIndex, SHARED_INDEX_FILES } from '../indexing/store.js';
import { createLiveService } from '../search/live-service.js';
import type { IndexSnapshot, IndexStatusSource, ReloadAttempt } from '../search/reloader.js';
import { SearchService } from '../search/service.js';
import { createApp } from '../web/app.js';
import { collectGarbage } from './gc.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('serve/worker.ts runs in a worker thread (see serve/pool.ts)');
const { config } = workerData as WorkerInit;

const stamp = () => new Date().toISOString();
const logger = {
  info: (m: string) => console.log(`${stamp()} ${m}`),
  error: (m: string, err?: unknown) => console.error(`${stamp()} ${m}`, err ?? ''),
};

const post = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

let snapshot: IndexSnapshot | null = null;
let lastReload: ReloadAttempt | null = null;
const status: IndexStatusSource = { snapshot: () => snapshot, lastReload: () => lastReload };
const live = createLiveService();
/** Generations loaded and not yet swapped in or discarded, by load id. */
const loaded = new Map<number, SearchService>();

const app = createApp({ service: live.service, config: { ...config, rateLimit: 0 }, status, logger });

/** Headers of the in-memory response that belong to that connection, not to the answer. */
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/**
 * The app as light-my-request's dispatch function, with the request URL exactly as the client sent
 * it (as Node's HTTP server hands it over): light-my-request normalizes URLs (WHATWG parsing drops
 * dot segments, percent-encodes raw bytes), which would route `/api/../docs` or a raw UTF-8 path
 * differently than the single-thread server does.
 *
 * Handing the app over wrapped needs one thing first: light-my-request adapts an Express app when
 * it is given the app itself (it makes Express's request and response prototypes inherit from its
 * in-memory request and response, once, for the whole thread); a wrapper is not recognized as one.
 * `adaptApp` does one such call, then checks that the wrapped app answers in full.
 */
function dispatchRaw(rawUrl: string): DispatchFunc {
  return (req, res) => {
    req.url = rawUrl;
    app(req, res);
  };
}

async function adaptApp(): Promise<void> {
  await inject(app, { method: 'GET', url: '/healthz' });
  const check = await inject(dispatchRaw('/healthz'), { method: 'GET', url: '/healthz' });
  if (check.statusCode !== 200 || check.payload !== '{"ok":true}') {
    throw new Error(`the in-memory request does not reach the app (/healthz: ${check.statusCode} ${JSON.stringify(check.payload)})`);
  }
}

/**
 * Requests being answered, and answered since the last collection: after a burst of requests, a
 * worker that has been idle for IDLE_COLLECT_MS collects its garbage (serve/gc.ts) instead of
 * keeping the burst's high-water mark until its next request wave. Never under steady load.
 */
const IDLE_COLLECT_MS = 2_000;
const IDLE_COLLECT_AFTER = 500;
let inflight = 0;
let answeredSinceCollect = 0;
let idleTimer: NodeJS.Timeout | null = null;

function requestDone(): void {
  inflight--;
  answeredSinceCollect++;
  if (inflight > 0 || answeredSinceCollect < IDLE_COLLECT_AFTER) return;
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (inflight > 0) return;
    answeredSinceCollect = 0;
    collectGarbage();
  }, IDLE_COLLECT_MS);
  idleTimer.unref();
}

async function answer(msg: Extract<ToWorker, { type: 'request' }>): Promise<void> {
  const rawUrl = msg.url;
  inflight++;
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  try {
    // As a stream: the body arrives as the chunks the app wrote (usually one), not concatenated
    // and decoded to a string as well.
    const res = await inject(dispatchRaw(rawUrl), {
      method: msg.method as 'GET',
      url: rawUrl,
      headers: msg.headers as Record<string, string>,
      remoteAddress: msg.remoteAddress,
      payloadAsStream: true,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of res.stream()) chunks.push(chunk as Buffer);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      if (HOP_BY_HOP.has(name) && !(name === 'connection' && value === 'close')) continue;
      headers[name] = Array.isArray(value) ? value.map(String) : String(value);
    }
    // Transferred rather than cloned: the payload itself when it owns its ArrayBuffer (bodies of
    // 4 KiB and more), else a copy (a small Buffer is a slice of a shared pool).
    const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const body = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? new Uint8Array(raw.buffer as ArrayBuffer) : new Uint8Array(raw);
    post({ type: 'response', id: msg.id, status: res.statusCode, headers, body }, [body.buffer]);
  } catch (e) {
    logger.error(`worker: ${msg.method} ${rawUrl.slice(0, 300)} failed`, e);
    post({ type: 'response', id: msg.id, status: 0, headers: {}, body: new Uint8Array(0) });
  } finally {
    requestDone();
  }
}

/** This thread's own index files of the generation current at start, read while the app starts. */
let readAhead: { release(): void } | null = prefetchIndex(config.indexDir, currentGeneration(config.indexDir), { skip: SHARED_INDEX_FILES });

async function load(msg: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  const t0 = performance.now();
  try {
    const built = await loadIndex(msg.indexDir, msg.generation, { shared: msg.shared });
    const service = new SearchService(built, config.limits, msg.manifest);
    service.warm();
    loaded.set(msg.loadId, service);
    post({ type: 'loaded', loadId: msg.loadId, ok: true, ms: performance.now() - t0 });
  } catch (e) {
    post({ type: 'loaded', loadId: msg.loadId, ok: false, message: e instanceof Error ? e.message : String(e) });
  } finally {
    readAhead?.release();
    readAhead = null;
  }
}

// With the shared segmenter this only sets up the stand-in; without it, the dictionary loads here.
loadSegmenter();
await adaptApp();

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'request':
      void answer(msg);
      break;
    case 'load':
      void load(msg);
      break;
    case 'swap': {
      const next = loaded.get(msg.loadId);
      if (!next) {
        logger.error(`worker: swap to load ${msg.loadId}, which is not loaded here`);
        break;
      }
      loaded.delete(msg.loadId);
      live.swap(next);
      collectGarbage();
      break;
    }
    case 'discard':
      if (loaded.delete(msg.loadId)) collectGarbage();
      break;
    case 'status':
      snapshot = msg.snapshot;
      lastReload = msg.lastReload;
      break;
  }
});

post({ type: 'up' });
