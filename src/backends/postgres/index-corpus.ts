/**
 * `SEARCH_BACKEND=postgres DATABASE_URL=… npm run index`: reads and parses the corpus, builds the
 * index in memory exactly as the embedded pipeline does, and writes it to PostgreSQL as a new
 * generation (writer.ts). The build steps mirror `buildAndSave` in src/indexing/pipeline.ts up to
 * its saveIndex call (that function also saves to disk; sharing the build part would need it
 * split out of pipeline.ts).
 */
import { performance } from 'node:perf_hooks';
import { ANALYZER_CONFIG } from '../../analysis/analyzer.js';
import { buildDocument } from '../../corpus/document.js';
import { loadCorpus } from '../../corpus/load.js';
import { PARSER_VERSION } from '../../corpus/version.js';
import type { PolicyDocument, SkippedFile } from '../../domain/types.js';
import { buildParagraphIndex, type BuiltIndex } from '../../indexing/build.js';
import { FORMAT_VERSION, type IndexManifest } from '../../indexing/store.js';
import { openPgDb, type Db } from './db.js';
import { writeToPostgres, type WriteOptions, type WriteResult } from './writer.js';

export interface CorpusBuildOptions {
  corpusDir: string;
  maxFileBytes: number;
  log?: (message: string) => void;
  onProgress?: (stage: 'parse' | 'index', done: number, total: number) => void;
}

/** The corpus parsed and indexed in memory, with its manifest (pipeline.ts buildAndSave without the save). */
export async function buildCorpusIndex(opts: CorpusBuildOptions): Promise<{ built: BuiltIndex; manifest: IndexManifest }> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const loaded = await loadCorpus(opts.corpusDir, { maxFileBytes: opts.maxFileBytes });
  for (const s of loaded.skipped) log(`warning: skipped ${s.file}: ${s.reason}`);
  for (const w of loaded.warnings) log(`warning: ${w.file}: ${w.message}`);
  const docs: PolicyDocument[] = [];
  const skipped: SkippedFile[] = [...loaded.skipped];
  loaded.files.forEach((f, i) => {
    try {
      docs.push(buildDocument(f));
    } catch (e) {
      const reason = `parse error: ${e instanceof Error ? e.message : String(e)}`;
      log(`warning: skipped ${f.file}: ${reason}`);
      skipped.push({ file: f.file, code: 'E_PARSE', reason });
    }
    opts.onProgress?.('parse', i + 1, loaded.files.length);
  });
  const built = buildParagraphIndex(docs, (done, total) => opts.onProgress?.('index', done, total));
  const parsedFiles = new Set(docs.map((d) => d.file));
  const manifest: IndexManifest = {
    formatVersion: FORMAT_VERSION,
    analyzer: ANALYZER_CONFIG,
    parserVersion: PARSER_VERSION,
    corpusDir: opts.corpusDir,
    files: loaded.files
      .filter((f) => parsedFiles.has(f.file))
      .map((f) => ({ file: f.file, size: f.size ?? Buffer.byteLength(f.text), mtimeMs: f.mtimeMs, checksum: f.checksum })),
    skipped,
    warnings: loaded.warnings,
    builtAt: new Date().toISOString(),
    buildMs: 0,
    counts: { documents: docs.length, paragraphs: built.refs.length },
  };
  manifest.buildMs = Math.round(performance.now() - started);
  return { built, manifest };
}

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
