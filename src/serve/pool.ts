/**
 * The worker pool (main thread): N worker threads (serve/worker.ts), each running the whole app
 * over its own SearchService, all sharing one copy of the index's resident bytes, and one
 * segmenter thread holding the one jieba dictionary (serve/shared-jieba.ts).
 *
 * - `dispatch` forwards a request to a worker serving the current generation — the one its route
 *   key hashes to while that one is among the least busy, else another of the least busy (so equal
 *   requests meet the same worker's caches) — and writes its answer back. A request whose worker
 *   dies, or which gets no answer within `requestTimeoutMs` (the worker is then taken for stuck
 *   and replaced), is answered 503; none waits forever.
 * - Generations: `load` hands a generation's shared files to every worker and resolves when all
 *   have built a service for it (a worker that dies meanwhile is left out: its replacement loads
 *   the current generation when it comes up); `swap` makes them serve it. With the IndexReloader,
 *   the pool is the swap target (serve/serving.ts wires load, swap, release and discard).
 * - A worker that exits without being asked to is replaced (after a growing delay when it keeps
 *   dying young); the replacement loads whatever generation is current, then serves.
 */
import { closeSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { IndexManifest, SharedIndexFiles } from '../indexing/store.js';
import type { IndexSnapshot, ReloadAttempt, SwapTarget } from '../search/reloader.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { jiebaChannel, markGone } from './shared-jieba.js';

/** One generation as the pool loads it: what every worker builds its service from. */
export interface PoolIndex {
  loadId: number;
  indexDir: string;
  generation: string;
  manifest: IndexManifest;
  shared: SharedIndexFiles;
}

export interface PoolOptions {
  size: number;
  config: Config;
  /**
   * One jieba dictionary in a segmenter thread for all workers (serve/shared-jieba.ts) instead of
   * one per worker. Default true.
   */
  sharedJieba?: boolean;
  log?: (message: string) => void;
  /** A forwarded request without an answer after this long: 503, and the worker is replaced. Default 60 s. */
  requestTimeoutMs?: number;
  /** How a request is routed (see `Route`); default: by its URL, never sticky. */
  route?: (url: string) => Route;
  /**
   * Called when a worker could not load the current generation (e.g. a replacement, after the
   * generation's files were deleted by later builds): the server then reloads what is on disk.
   */
  onStale?: () => void;
}

/**
 * Where a request goes: the worker `key` hashes to, while it is among the least busy (equal keys,
 * equal workers: what a worker has cached for one serves the next); `sticky`: that worker however
 * busy, for answers that build a large cache a second worker should not build again.
 */
export interface Route {
  key: string;
  sticky: boolean;
}

type Next = (err?: unknown) => void;

interface Pending {
  res: ServerResponse;
  next: Next;
  timer: NodeJS.Timeout;
}

interface Slot {
  id: number;
  thread: Worker;
  startedAt: number;
  up: boolean;
  exited: boolean;
  /** The generation it serves now. */
  serving: PoolIndex | null;
  /** Loaded, not yet swapped in or discarded. */
  loaded: Set<number>;
  /** Loads sent and not answered, by load id. */
  loads: Map<number, { generation: string; resolve: () => void; reject: (e: Error) => void }>;
  inflight: Map<number, Pending>;
  /** A load of the current generation started by reconcile() (a replacement catching up). */
  catchingUp: number | null;
  /** Its channel's signal to the segmenter thread (marked when that thread is gone). */
  jiebaSignal: SharedArrayBuffer | null;
}

/** A worker exited before answering a load: not the generation's fault. */
class WorkerGone extends Error {}

/**
 * The source of a thread running `module` (a file beside this one): the TypeScript loader is
 * registered in that thread, then the module is imported.
 */
function bootstrapSource(module: string): string {
  const entry = new URL(module, import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

function closeParagraphs(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed: nothing to release
  }
}

/** FNV-1a over a string: a cheap, stable spread of URLs over workers. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class WorkerPool implements SwapTarget<PoolIndex> {
  private readonly slots: Slot[] = [];
  private current: PoolIndex | null = null;
  /** Generations discarded (their descriptor's closing scheduled). */
  private readonly retired = new WeakSet<PoolIndex>();
  private status: { snapshot: IndexSnapshot | null; lastReload: ReloadAttempt | null } = { snapshot: null, lastReload: null };
  private nextWorkerId = 1;
  private nextLoadId = 1;
  private nextRequestId = 1;
  private closing = false;
  /** Whether the workers after the first have been started (see start()). */
  private startedAll = false;
  private restartDelayMs = 0;
  private readonly log: (m: string) => void;
  private readonly requestTimeoutMs: number;
  private readonly route: (url: string) => Route;
  private readonly source = bootstrapSource('./worker-entry.ts');
  private segmenter: Worker | null = null;
  private segmenterStartedAt = 0;
  private segmenterDelayMs = 0;
  onStale: (() => void) | undefined;

  constructor(private readonly opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error(`worker pool size must be ≥ 1, got ${opts.size}`);
    this.log = opts.log ?? (() => {});
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.route = opts.route ?? ((url) => ({ key: url, sticky: false }));
    this.onStale = opts.onStale;
  }

  /**
   * Starts the segmenter thread and the first worker. The others start once the first serves an
   * index (the first `swap`) and then catch up: at start-up every worker has the same work to do
   * (its modules, its share of the index), so on a machine with few cores workers loading side by
   * side would all be ready late, where one loading alone is ready as soon as a single thread is.
   */
  start(): void {
    if (this.opts.sharedJieba ?? true) this.spawnSegmenter();
    this.spawn();
  }

  /**
   * The segmenter thread. Should it ever exit, a new one is started and every worker is replaced
   * (their channels led to the old one; calls waiting on it fail rather than hang).
   */
  private spawnSegmenter(): void {
    const thread = new Worker(bootstrapSource('./segmenter-thread.ts'), { eval: true, name: 'policy-search segmenter' });
    this.segmenter = thread;
    this.segmenterStartedAt = Date.now();
    thread.on('error', (err) => this.log(`segmenter thread: uncaught error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
    thread.on('exit', (code) => {
      if (this.segmenter !== thread) return;
      this.segmenter = null;
      if (this.closing) return;
      const lived = Date.now() - this.segmenterStartedAt;
      this.segmenterDelayMs = lived < 10_000 ? Math.min(10_000, Math.max(250, this.segmenterDelayMs * 2)) : 0;
      this.log(`segmenter thread exited (code ${code}); starting another and replacing the workers`);
      for (const slot of this.slots) if (slot.jiebaSignal) markGone(slot.jiebaSignal);
      setTimeout(() => {
        if (this.closing) return;
        this.spawnSegmenter();
        this.segmenter!.postMessage({ type: 'load' });
        for (const slot of [...this.slots]) void slot.thread.terminate();
      }, this.segmenterDelayMs).unref();
    });
  }

  /** Workers configured, workers up, and workers serving the current generation. */
  counts(): { total: number; up: number; serving: number } {
    const live = this.slots.filter((s) => !s.exited);
    return {
      total: this.opts.size,
      up: live.filter((s) => s.up).length,
      serving: this.current ? live.filter((s) => s.serving === this.current).length : 0,
    };
  }

  /** The generation being served (the last one swapped in), or null before the first. */
  served(): PoolIndex | null {
    return this.current;
  }

  /** The live workers: id, the generation each serves, requests each is answering (for ops and tests). */
  workers(): Array<{ id: number; serving: string | null; inflight: number }> {
    return this.slots.filter((s) => !s.exited).map((s) => ({ id: s.id, serving: s.serving?.generation ?? null, inflight: s.inflight.size }));
  }

  /**
   * Terminates a worker, or the segmenter thread, as a crash would: requests in flight get 503,
   * and it is replaced (for tests of exactly that).
   */
  kill(target: number | 'segmenter'): Promise<number> {
    const thread = target === 'segmenter' ? this.segmenter : this.slots.find((s) => s.id === target && !s.exited)?.thread;
    if (!thread) return Promise.reject(new Error(`no live ${target === 'segmenter' ? 'segmenter thread' : `worker ${target}`}`));
    return thread.terminate();
  }

  private spawn(): Slot {
    const id = this.nextWorkerId++;
    const init: WorkerInit = { workerId: id, config: this.opts.config };
    const transferList: MessagePort[] = [];
    if (this.segmenter) {
      const channel = jiebaChannel();
      this.segmenter.postMessage({ type: 'connect', channel: channel.segmenter }, [channel.segmenter.port]);
      init.jieba = channel.worker;
      transferList.push(channel.worker.port);
    }
    const thread = new Worker(this.source, { eval: true, workerData: init, transferList, name: `policy-search worker ${id}` });
    const slot: Slot = {
      id,
      thread,
      startedAt: Date.now(),
      up: false,
      exited: false,
      serving: null,
      loaded: new Set(),
      loads: new Map(),
      inflight: new Map(),
      catchingUp: null,
      jiebaSignal: init.jieba?.signal ?? null,
    };
    this.slots.push(slot);
    thread.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
    thread.on('error', (err) => this.log(`worker ${id}: uncaught error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
    thread.on('exit', (code) => this.onExit(slot, code));
    this.post(slot, { type: 'status', ...this.status });
    return slot;
  }

  private post(slot: Slot, msg: ToWorker): void {
    if (!slot.exited) slot.thread.postMessage(msg);
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    switch (msg.type) {
      case 'up':
        slot.up = true;
        // The first worker's modules are loaded: the dictionary can load beside its index.
        this.segmenter?.postMessage({ type: 'load' });
        break;
      case 'response': {
        const pending = slot.inflight.get(msg.id);
        if (!pending) return; // timed out meanwhile
        slot.inflight.delete(msg.id);
        clearTimeout(pending.timer);
        if (msg.status === 0) {
          pending.next(new AppError('E_INTERNAL'));
          return;
        }
        const { res } = pending;
        res.statusCode = msg.status;
        // setHeader over what the main thread set: the worker's request id and security headers
        // win, the main thread's rate-limit headers and Connection: close (shutdown) stay.
        for (const [name, value] of Object.entries(msg.headers)) res.setHeader(name, value);
        res.end(Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength));
        break;
      }
      case 'loaded': {
        const waiting = slot.loads.get(msg.loadId);
        slot.loads.delete(msg.loadId);
        if (msg.ok) {
          slot.loaded.add(msg.loadId);
          this.log(`worker ${slot.id} loaded ${waiting?.generation ?? 'an index'} in ${Math.round(msg.ms)} ms`);
          waiting?.resolve();
        } else {
          waiting?.reject(new Error(msg.message));
        }
        break;
      }
    }
  }

  private onExit(slot: Slot, code: number): void {
    slot.exited = true;
    slot.up = false;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    for (const pending of slot.inflight.values()) {
      clearTimeout(pending.timer);
      pending.next(new AppError('E_NOT_READY'));
    }
    slot.inflight.clear();
    for (const waiting of slot.loads.values()) waiting.reject(new WorkerGone(`worker ${slot.id} exited`));
    slot.loads.clear();
    if (this.closing) return;
    const lived = Date.now() - slot.startedAt;
    // Dying young again and again (a load that always fails hard): wait longer each time.
    this.restartDelayMs = lived < 10_000 ? Math.min(10_000, Math.max(250, this.restartDelayMs * 2)) : 0;
    this.log(`worker ${slot.id} exited (code ${code}) after ${(lived / 1000).toFixed(1)} s; replacing it${this.restartDelayMs ? ` in ${this.restartDelayMs} ms` : ''}`);
    const replace = () => {
      if (this.closing) return;
      const fresh = this.spawn();
      this.reconcile(fresh);
    };
    if (this.restartDelayMs) setTimeout(replace, this.restartDelayMs).unref();
    else replace();
  }

  /** Sends a load and resolves when that worker has built the service (rejects on its error). */
  private loadInto(slot: Slot, index: PoolIndex): Promise<void> {
    if (slot.exited) return Promise.reject(new WorkerGone(`worker ${slot.id} exited`));
    return new Promise((resolve, reject) => {
      slot.loads.set(index.loadId, { generation: index.generation, resolve, reject });
      this.post(slot, { type: 'load', loadId: index.loadId, indexDir: index.indexDir, generation: index.generation, manifest: index.manifest, shared: index.shared });
    });
  }

  /**
   * Has every live worker load a generation beside the one it serves; resolves with the handle to
   * swap in. `oneAtATime`: workers load in turn, so the others keep answering meanwhile (a hot
   * re-index); otherwise all at once (start-up). Rejects, after discarding what was loaded, when a
   * worker fails to load it; workers that exit meanwhile are left out.
   */
  async load(index: Omit<PoolIndex, 'loadId'>, opts: { oneAtATime?: boolean } = {}): Promise<PoolIndex> {
    const handle: PoolIndex = { ...index, loadId: this.nextLoadId++ };
    const targets = this.slots.filter((s) => !s.exited);
    const outcomes: Array<PromiseSettledResult<void>> = [];
    if (opts.oneAtATime) {
      for (const slot of targets) {
        const [outcome] = await Promise.allSettled([this.loadInto(slot, handle)]);
        outcomes.push(outcome!);
        if (outcome!.status === 'rejected' && !(outcome!.reason instanceof WorkerGone)) break;
      }
    } else {
      outcomes.push(...(await Promise.allSettled(targets.map((slot) => this.loadInto(slot, handle)))));
    }
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected' && !(o.reason instanceof WorkerGone));
    const loadedSomewhere = this.slots.some((s) => s.loaded.has(handle.loadId));
    if (failure || !loadedSomewhere) {
      this.discard(handle);
      throw failure ? (failure.reason as Error) : new AppError('E_NOT_READY', 'no worker thread is running');
    }
    return handle;
  }

  /**
   * Makes every worker that loaded `next` serve it (the reloader's swap); workers that did not
   * (replacements started meanwhile) catch up by loading it. Returns the previous generation.
   */
  swap(next: PoolIndex): PoolIndex | null {
    const previous = this.current;
    this.current = next;
    if (!this.startedAll) {
      this.startedAll = true;
      for (let i = 1; i < this.opts.size; i++) this.spawn();
    }
    for (const slot of this.slots) {
      if (slot.loaded.has(next.loadId)) {
        slot.loaded.delete(next.loadId);
        slot.serving = next;
        this.post(slot, { type: 'swap', loadId: next.loadId });
      } else {
        this.reconcile(slot);
      }
    }
    return previous;
  }

  /**
   * Drops a generation that is not served (loaded in vain, or replaced: the reloader's release and
   * discard both come here). Its paragraphs.bin descriptor is closed once no request can still be
   * reading through it: after the request timeout, which no request outlives.
   */
  discard(index: PoolIndex): void {
    if (index === this.current) return;
    for (const slot of this.slots) {
      if (slot.loaded.delete(index.loadId)) this.post(slot, { type: 'discard', loadId: index.loadId });
    }
    if (this.retired.has(index)) return;
    this.retired.add(index);
    // Only the descriptor is kept until then, not the generation's shared bytes.
    const { paragraphsFd } = index.shared;
    setTimeout(() => closeParagraphs(paragraphsFd), this.requestTimeoutMs + 10_000).unref();
  }

  /** What the workers' /status pages show: the reloader's snapshot and last attempt. */
  publishStatus(snapshot: IndexSnapshot | null, lastReload: ReloadAttempt | null): void {
    this.status = { snapshot, lastReload };
    for (const slot of this.slots) this.post(slot, { type: 'status', snapshot, lastReload });
  }

  /** Brings a worker to the current generation (a replacement, or one that missed a swap). */
  private reconcile(slot: Slot): void {
    const target = this.current;
    if (!target || this.closing || slot.exited || slot.serving === target || slot.catchingUp === target.loadId) return;
    slot.catchingUp = target.loadId;
    this.loadInto(slot, target).then(
      () => {
        slot.catchingUp = null;
        if (this.current === target && !slot.exited) {
          slot.loaded.delete(target.loadId);
          slot.serving = target;
          this.post(slot, { type: 'swap', loadId: target.loadId });
          this.log(`worker ${slot.id} serves ${target.generation}`);
        } else {
          this.discard(target);
          this.reconcile(slot);
        }
      },
      (e: unknown) => {
        slot.catchingUp = null;
        if (e instanceof WorkerGone) return;
        this.log(`worker ${slot.id} could not load ${target.generation}: ${e instanceof Error ? e.message : String(e)}`);
        if (this.current === target) this.onStale?.();
      },
    );
  }

  /** The worker for the next request: see the file comment. */
  private pick(url: string): Slot | null {
    const live = this.slots.filter((s) => !s.exited);
    let candidates = live.filter((s) => s.serving !== null && s.serving === this.current);
    if (!candidates.length) candidates = live.filter((s) => s.serving !== null);
    // Nothing loaded anywhere yet: a worker's app still answers (503 E_NOT_READY for searches).
    if (!candidates.length) candidates = live;
    if (!candidates.length) return null;
    const { key, sticky } = this.route(url);
    const hash = hashOf(key);
    const preferred = candidates[hash % candidates.length]!;
    if (sticky) return preferred;
    let least = Infinity;
    for (const s of candidates) least = Math.min(least, s.inflight.size);
    if (preferred.inflight.size === least) return preferred;
    const idle = candidates.filter((s) => s.inflight.size === least);
    return idle[hash % idle.length]!;
  }

  /** Express middleware: forwards the request to a worker and writes its answer. */
  dispatch(req: IncomingMessage, res: ServerResponse, next: Next): void {
    const slot = this.closing ? null : this.pick(req.url ?? '/');
    if (!slot) {
      next(new AppError('E_NOT_READY'));
      return;
    }
    const id = this.nextRequestId++;
    const timer = setTimeout(() => {
      if (!slot.inflight.delete(id)) return;
      this.log(`worker ${slot.id}: no answer to ${req.method} ${(req.url ?? '').slice(0, 200)} within ${this.requestTimeoutMs} ms; replacing the worker`);
      next(new AppError('E_NOT_READY'));
      void slot.thread.terminate();
    }, this.requestTimeoutMs);
    timer.unref();
    slot.inflight.set(id, { res, next, timer });
    this.post(slot, {
      type: 'request',
      id,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress ?? '',
    });
  }

  /** Stops every worker (after the HTTP server has drained); requests still in flight get 503. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.slots.map((s) => s.thread.terminate()), this.segmenter?.terminate()]);
  }
}
