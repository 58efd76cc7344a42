/**
 * The messages between the main thread (serve/pool.ts) and a worker thread (serve/worker.ts).
 *
 * Requests: the main thread owns the listening socket; it forwards each request it does not
 * answer itself (method, URL, headers, client address — never a body: the app accepts none, and
 * the main thread refuses one before forwarding) and writes the worker's answer back. Index
 * generations: the main thread reads the resident index files once into SharedArrayBuffers and
 * opens paragraphs.bin (indexing/store.ts readSharedIndexFiles) and posts them — shared, not
 * copied — in `load`; each worker builds its own SearchService over them and keeps it aside until
 * `swap`.
 */
import type { Config } from '../config.js';
import type { IndexManifest, SharedIndexFiles } from '../indexing/store.js';
import type { IndexSnapshot, ReloadAttempt } from '../search/reloader.js';
import type { JiebaChannel } from './shared-jieba.js';

/** Given to each worker at start (workerData). */
export interface WorkerInit {
  /** 1, 2, … in the order workers were started (replacements get new numbers). */
  workerId: number;
  config: Config;
  /** The channel to the shared segmenter thread; without it the worker loads its own jieba. */
  jieba?: JiebaChannel;
}

export type ToWorker =
  | { type: 'request'; id: number; method: string; url: string; headers: Record<string, string | string[] | undefined>; remoteAddress: string }
  /** Load a generation beside the one being served; answered by `loaded`. */
  | { type: 'load'; loadId: number; indexDir: string; generation: string; manifest: IndexManifest; shared: SharedIndexFiles }
  /** Serve what `load` loaded under loadId (the previous service is dropped). */
  | { type: 'swap'; loadId: number }
  /** Drop what `load` loaded under loadId without serving it. */
  | { type: 'discard'; loadId: number }
  /** What /readyz and /status show: the main thread's reloader state. */
  | { type: 'status'; snapshot: IndexSnapshot | null; lastReload: ReloadAttempt | null };

export type FromWorker =
  /** The app is built (its modules loaded): requests get answers from now on. */
  | { type: 'up' }
  | { type: 'response'; id: number; status: number; headers: Record<string, string | string[]>; body: Uint8Array }
  | { type: 'loaded'; loadId: number; ok: true; ms: number }
  | { type: 'loaded'; loadId: number; ok: false; message: string };
