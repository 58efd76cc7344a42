/**
 * Loading the current index generation into the worker pool (main thread): the same checks as
 * the single-thread loader (search/reloader.ts loadCurrentIndex, which goes through
 * indexing/pipeline.ts ensureIndex with `rebuild: 'never'`), then the long-lived files read once
 * into SharedArrayBuffers and handed to every worker, which builds its own service over them.
 * The main thread itself never builds an index in memory and never loads jieba.
 */
import { listCorpusFiles } from '../corpus/load.js';
import { AppError } from '../domain/errors.js';
import { currentGeneration, manifestMismatch, readManifest, readSharedIndexFiles, type IndexManifest } from '../indexing/store.js';
import type { LoadedIndex } from '../search/reloader.js';
import type { PoolIndex, WorkerPool } from './pool.js';

/**
 * The generation INDEX_DIR/CURRENT names and its manifest, checked against the corpus and the code
 * as ensureIndex checks them (E_INDEX_MISSING / E_INDEX_STALE otherwise); nothing is loaded.
 */
export async function checkCurrentIndex(opts: { corpusDir: string; indexDir: string }): Promise<{ generation: string; manifest: IndexManifest }> {
  const generation = currentGeneration(opts.indexDir);
  const manifest = await readManifest(opts.indexDir, generation);
  // Files unchanged in size and mtime since the build keep their recorded checksum.
  const known = new Map((manifest?.files ?? []).flatMap((f) => (f.mtimeMs === undefined ? [] : [[f.file, { size: f.size, mtimeMs: f.mtimeMs, checksum: f.checksum }] as const])));
  const files = await listCorpusFiles(opts.corpusDir, { knownChecksums: known });
  const why = manifest ? manifestMismatch(manifest, files) : 'no index yet';
  if (why || !manifest || !generation) throw new AppError(manifest ? 'E_INDEX_STALE' : 'E_INDEX_MISSING', why ?? '');
  return { generation, manifest };
}

/**
 * The pool's loader for the IndexReloader: checks the current generation, and unless the pool
 * serves it already, has every worker load it. While workers serve an index (a hot re-index),
 * they load the new one in turn, so the others keep answering.
 */
export async function loadPoolIndex(pool: WorkerPool, opts: { corpusDir: string; indexDir: string }): Promise<LoadedIndex<PoolIndex>> {
  const { generation, manifest } = await checkCurrentIndex(opts);
  const served = pool.served();
  // The reloader sees the same generation and keeps serving it; nothing to load.
  if (served && served.generation === generation) return { service: served, manifest, generation };
  let handle: PoolIndex;
  try {
    const shared = await readSharedIndexFiles(opts.indexDir, generation);
    handle = await pool.load({ indexDir: opts.indexDir, generation, manifest, shared }, { oneAtATime: pool.counts().serving > 1 });
  } catch (e) {
    if (e instanceof AppError) throw e;
    // What ensureIndex reports for index files that cannot be read or decoded.
    throw new AppError('E_INDEX_STALE', `索引文件损坏：${String(e)}`);
  }
  return { service: handle, manifest, generation };
}
