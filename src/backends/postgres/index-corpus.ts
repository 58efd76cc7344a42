/**
 * `SEARCH_BACKEND=postgres DATABASE_URL=… npm run index`: reads and parses the corpus, builds the
 * index in memory exactly as the embedded pipeline does (buildCorpusIndex, shared with it), and
 * writes it to PostgreSQL as a new generation (writer.ts).
 */
import type { BuiltIndex } from '../../indexing/build.js';
import { buildCorpusIndex } from '../../indexing/pipeline.js';
import type { IndexManifest } from '../../indexing/store.js';
import { openPgDb, type Db } from './db.js';
import { writeToPostgres, type WriteOptions, type WriteResult } from './writer.js';

export interface CorpusBuildOptions {
  corpusDir: string;
  maxFileBytes: number;
  log?: (message: string) => void;
  onProgress?: (stage: 'parse' | 'index', done: number, total: number) => void;
}

export { buildCorpusIndex };

export interface IndexToPostgresOptions extends CorpusBuildOptions {
  /** DATABASE_URL, or an open database. */
  databaseUrl?: string;
  db?: Db;
  onWrite?: WriteOptions['onProgress'];
}

/** Builds the corpus and writes it as the new current generation. */
export async function indexToPostgres(opts: IndexToPostgresOptions): Promise<{ built: BuiltIndex; manifest: IndexManifest; write: WriteResult }> {
  const db = opts.db ?? (opts.databaseUrl ? await openPgDb(opts.databaseUrl, { max: 2 }) : null);
  if (!db) throw new Error('SEARCH_BACKEND=postgres needs DATABASE_URL');
  try {
    const { built, manifest } = await buildCorpusIndex(opts);
    const write = await writeToPostgres(db, built, manifest, { onProgress: opts.onWrite });
    return { built, manifest, write };
  } finally {
    if (!opts.db) await db.close();
  }
}
