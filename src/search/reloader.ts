/**
 * Hot re-indexing without serving a half-built index: the reloader loads the index generation
 * that is current on disk beside the one being served, then swaps the live service to it in one
 * synchronous step (service and status together) and lets the old one go. A failed load or build
 * leaves the old index serving and is recorded as the last reload attempt, for /status and
 * /readyz.
 *
 * The reloader itself is logic with injected I/O (how to load, how to build, how to read the
 * pointer), so it can be tested without files, processes or timers; server.ts wires it to
 * `loadCurrentIndex`, to the pointer file, to signals and to a child process running the index CLI.
 *
 * Reloads and rebuilds run one at a time. A request that arrives while one is running is queued;
 * further requests while one is queued join it (a rebuild request upgrades a queued reload), so a
 * burst of triggers costs at most one extra run.
 */
import { createHash } from 'node:crypto';
import type { Limits } from '../config.js';
import { isAppError } from '../domain/errors.js';
import { ensureIndex } from '../indexing/pipeline.js';
import { prefetchIndex, type IndexManifest } from '../indexing/store.js';
import { loadSegmenter } from '../analysis/segmenter.js';
import type { SearchServiceApi } from './api.js';
import { SearchService } from './service.js';

/**
 * An index loaded from disk, ready to serve. `S` is what gets swapped in: a SearchService on a
 * single thread; with worker threads, a handle on the generation every worker has loaded
 * (serve/pool.ts).
 */
export interface LoadedIndex<S = SearchServiceApi> {
  service: S;
  manifest: IndexManifest;
  /** The generation directory it was loaded from (null for an index without generations). */
  generation: string | null;
}

/** What is being served now. */
export interface IndexSnapshot {
  generation: string | null;
  manifest: IndexManifest;
  /** See corpusChecksum(). */
  corpusChecksum: string;
  /** When this server started serving it (ISO time). */
  loadedAt: string;
}

/** Why a reload was attempted: start-up, a new generation on disk, a signal, a corpus change… */
export type ReloadTrigger = 'start' | 'pointer' | 'signal' | 'corpus' | (string & {});

/** The outcome of one reload or rebuild attempt. */
export interface ReloadAttempt {
  trigger: ReloadTrigger;
  kind: 'reload' | 'rebuild';
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  /** For people: what was loaded, or why nothing changed, or the error. */
  message: string;
  /** The error's catalog code when it had one. */
  code: string | null;
  /** The generation serving after the attempt (unchanged after a failure). */
  generation: string | null;
}

/** Read access for status pages and probes. */
export interface IndexStatusSource {
  snapshot(): IndexSnapshot | null;
  lastReload(): ReloadAttempt | null;
}

/** Where the reloader swaps a loaded index in: a LiveService, or the worker pool. */
export interface SwapTarget<S> {
  /** Makes `next` current and returns the previous one (for the caller to release). */
  swap(next: S): S | null;
}

export interface ReloaderOptions<S = SearchServiceApi> {
  /** A LiveService (live-service.ts) on a single thread; the worker pool with worker threads. */
  live: SwapTarget<S>;
  /** Loads the generation that is current on disk; must not build. */
  load: () => Promise<LoadedIndex<S>>;
  /**
   * Builds a new generation (server.ts: the index CLI in a child process, so requests keep being
   * answered); rejects when the build fails. Without it, rebuild() fails.
   */
  build?: () => Promise<void>;
  /** The generation the pointer file names now (cheap, synchronous). */
  currentGeneration: () => string | null;
  /** Called with the service that was replaced, after the swap. */
  release?: (previous: S, generation: string | null) => void;
  /**
   * Called with a loaded index that is not swapped in (its generation is already being served),
   * so resources held outside the JavaScript heap (worker threads' copies) can be let go.
   */
  discard?: (unused: LoadedIndex<S>) => void;
  /** Called after every attempt, once the snapshot and the last attempt are updated. */
  settled?: (attempt: ReloadAttempt) => void;
  log?: (message: string) => void;
  now?: () => Date;
}

/**
 * sha256 (hex) over the corpus as the manifest lists it: each indexed file's path and sha256, in
 * path order, one `path NUL checksum LF` line each. Equal corpora give equal checksums whatever
 * the build time, and renaming or editing any file changes it.
 */
export function corpusChecksum(files: ReadonlyArray<{ file: string; checksum: string }>): string {
  const hash = createHash('sha256');
  const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const f of sorted) hash.update(`${f.file}\u0000${f.checksum}\n`);
  return hash.digest('hex');
}

/**
 * The default loader: the generation INDEX_DIR/CURRENT names, checked against the corpus and the
 * code and never built (E_INDEX_MISSING / E_INDEX_STALE otherwise), as a SearchService.
 *
 * Jieba's dictionary is loaded here too (once per process): it is ~0.8 s of synchronous work, so
 * the index files are first set reading in the thread pool (prefetchIndex) and the dictionary
 * loads while they are read, instead of one after the other.
 */
export async function loadCurrentIndex(opts: { corpusDir: string; indexDir: string; limits: Limits }): Promise<LoadedIndex> {
  const readAhead = prefetchIndex(opts.indexDir);
  loadSegmenter();
  try {
    const { built, manifest, generation } = await ensureIndex({
      corpusDir: opts.corpusDir,
      indexDir: opts.indexDir,
      maxFileBytes: opts.limits.maxFileBytes,
      rebuild: 'never',
    });
    const service = new SearchService(built, opts.limits, manifest);
    service.warm();
    return { service, manifest, generation };
  } finally {
    readAhead.release();
  }
}

/** A function that runs `fn` once, `ms` after the last of a burst of calls. */
export function debounce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: NodeJS.Timeout | null = null;
  const call = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
    timer.unref?.();
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return call;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

interface Queued {
  kind: 'reload' | 'rebuild';
  trigger: ReloadTrigger;
  promise: Promise<ReloadAttempt>;
}

export class IndexReloader<S = SearchServiceApi> implements IndexStatusSource {
  private state: IndexSnapshot | null = null;
  private last: ReloadAttempt | null = null;
  private queued: Queued | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private runningNow = false;

  constructor(private readonly opts: ReloaderOptions<S>) {}

  snapshot(): IndexSnapshot | null {
    return this.state;
  }

  lastReload(): ReloadAttempt | null {
    return this.last;
  }

  /** True while a reload or rebuild is running. */
  busy(): boolean {
    return this.runningNow || this.queued !== null;
  }

  /**
   * Loads the generation current on disk and swaps to it. At start-up (`trigger: 'start'`) a
   * missing or stale index is built first when a builder was given.
   */
  reload(trigger: ReloadTrigger): Promise<ReloadAttempt> {
    return this.schedule('reload', trigger);
  }

  /** Builds a new generation, then loads it and swaps to it. */
  rebuild(trigger: ReloadTrigger): Promise<ReloadAttempt> {
    return this.schedule('rebuild', trigger);
  }

  /**
   * Reloads when the pointer names a generation other than the one being served (the file
   * watcher's callback); otherwise does nothing and returns null.
   */
  checkPointer(): Promise<ReloadAttempt> | null {
    const onDisk = this.opts.currentGeneration();
    if (onDisk === null || onDisk === this.state?.generation) return null;
    if (this.queued) return this.queued.promise;
    return this.reload('pointer');
  }

  private schedule(kind: Queued['kind'], trigger: ReloadTrigger): Promise<ReloadAttempt> {
    if (this.queued) {
      if (kind === 'rebuild') this.queued.kind = 'rebuild';
      return this.queued.promise;
    }
    const entry: Queued = { kind, trigger, promise: Promise.resolve(null as unknown as ReloadAttempt) };
    entry.promise = this.tail.then(() => {
      this.queued = null;
      return this.run(entry.kind, entry.trigger);
    });
    this.queued = entry;
    this.tail = entry.promise;
    return entry.promise;
  }

  /** One attempt; never throws (a failure is recorded and returned). */
  private async run(kind: Queued['kind'], trigger: ReloadTrigger): Promise<ReloadAttempt> {
    const now = this.opts.now ?? (() => new Date());
    const log = this.opts.log ?? (() => {});
    // A pointer change already taken care of (by a rebuild that ran meanwhile): nothing to record.
    if (kind === 'reload' && trigger === 'pointer' && this.state && this.last && this.opts.currentGeneration() === this.state.generation) {
      return this.last;
    }
    const startedAt = now().toISOString();
    this.runningNow = true;
    const finish = (ok: boolean, message: string, code: string | null = null): ReloadAttempt => {
      const attempt: ReloadAttempt = {
        trigger,
        kind,
        startedAt,
        finishedAt: now().toISOString(),
        ok,
        message,
        code,
        generation: this.state?.generation ?? null,
      };
      this.last = attempt;
      this.runningNow = false;
      log(`${kind} (${trigger}) ${ok ? 'ok' : 'FAILED'}: ${message}`);
      this.opts.settled?.(attempt);
      return attempt;
    };
    try {
      if (kind === 'rebuild') {
        if (!this.opts.build) return finish(false, 'no index builder configured', null);
        await this.opts.build();
      }
      let loaded: LoadedIndex<S>;
      try {
        loaded = await this.opts.load();
      } catch (e) {
        const missingOrStale = isAppError(e) && (e.code === 'E_INDEX_MISSING' || e.code === 'E_INDEX_STALE');
        if (!(trigger === 'start' && kind === 'reload' && missingOrStale && this.opts.build)) throw e;
        log(`index not usable (${errorMessage(e)}); building`);
        await this.opts.build();
        loaded = await this.opts.load();
      }
      if (this.state && loaded.generation !== null && loaded.generation === this.state.generation) {
        this.opts.discard?.(loaded);
        return finish(true, `generation ${loaded.generation} is already being served`);
      }
      const snapshot: IndexSnapshot = {
        generation: loaded.generation,
        manifest: loaded.manifest,
        corpusChecksum: corpusChecksum(loaded.manifest.files),
        loadedAt: now().toISOString(),
      };
      // The swap: service and status change together, in one synchronous step.
      const previous = this.opts.live.swap(loaded.service);
      const previousGeneration = this.state?.generation ?? null;
      this.state = snapshot;
      if (previous) this.opts.release?.(previous, previousGeneration);
      const { documents, paragraphs } = loaded.manifest.counts;
      return finish(true, `serving ${loaded.generation ?? 'index'}: ${documents} documents, ${paragraphs} paragraphs`);
    } catch (e) {
      const code = isAppError(e) ? e.code : null;
      const kept = this.state ? `; still serving ${this.state.generation ?? 'the previous index'}` : '';
      return finish(false, `${errorMessage(e)}${kept}`, code);
    }
  }
}
