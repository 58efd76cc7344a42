/**
 * Corpus → documents → index on disk, and back: builds when the index is missing or stale
 * (format, analyzer, parser or corpus changed), otherwise loads it. Never serves stale results:
 * with `rebuild: 'never'` a stale index is refused with E_INDEX_STALE.
 */
import { performance } from 'node:perf_hooks';
import { ANALYZER_CONFIG } from '../analysis/analyzer.js';
import { buildDocument } from '../corpus/document.js';
import { listCorpusFiles, loadCorpus } from '../corpus/load.js';
import { PARSER_VERSION } from '../corpus/version.js';
import { AppError } from '../domain/errors.js';
import type { PolicyDocument, SkippedFile } from '../domain/types.js';
import { buildParagraphIndex, type BuiltIndex } from './build.js';
import { currentGeneration, FORMAT_VERSION, loadIndex, manifestMismatch, readManifest, saveIndex, type IndexManifest } from './store.js';

export interface EnsureIndexOptions {
  corpusDir: string;
  indexDir: string;
  maxFileBytes: number;
  /** 'auto' rebuilds a missing or stale index; 'always' rebuilds; 'never' refuses a stale one. */
  rebuild?: 'auto' | 'always' | 'never';
  log?: (message: string) => void;
  onProgress?: (stage: 'parse' | 'index', done: number, total: number) => void;
}

export interface BuildResult {
  built: BuiltIndex;
  manifest: IndexManifest;
  rebuilt: boolean;
  /** The index generation (directory name under INDEX_DIR) the result was saved to or loaded from. */
  generation: string;
}

/**
 * Reads and parses the corpus and builds the index in memory, with its manifest (no I/O but the
 * corpus reads). Shared by the on-disk store (buildAndSave) and the PostgreSQL writer.
 */
export async function buildCorpusIndex(opts: Pick<EnsureIndexOptions, 'corpusDir' | 'maxFileBytes' | 'log' | 'onProgress'>): Promise<{ built: BuiltIndex; manifest: IndexManifest }> {
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
      // One document the parser cannot handle must not stop the others.
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

/** Reads and parses the corpus, builds the index and saves it atomically. */
export async function buildAndSave(opts: EnsureIndexOptions): Promise<BuildResult> {
  const { built, manifest } = await buildCorpusIndex(opts);
  const generation = await saveIndex(opts.indexDir, built, manifest);
  return { built, manifest, rebuilt: true, generation };
}

/** Loads the index when it matches the corpus, otherwise (re)builds it per `rebuild`. */
export async function ensureIndex(opts: EnsureIndexOptions): Promise<BuildResult> {
  const log = opts.log ?? (() => {});
  const mode = opts.rebuild ?? 'auto';
  if (mode !== 'always') {
    // Resolve the generation once: a build finishing meanwhile cannot mix two generations.
    const generation = currentGeneration(opts.indexDir);
    const manifest = await readManifest(opts.indexDir, generation);
    // Files unchanged in size and mtime since the build keep their recorded checksum.
    const known = new Map((manifest?.files ?? []).flatMap((f) => (f.mtimeMs === undefined ? [] : [[f.file, { size: f.size, mtimeMs: f.mtimeMs, checksum: f.checksum }] as const])));
    const files = await listCorpusFiles(opts.corpusDir, { knownChecksums: known });
    const why = manifest ? manifestMismatch(manifest, files) : 'no index yet';
    if (!why && manifest && generation) {
      try {
        return { built: await loadIndex(opts.indexDir, generation), manifest, rebuilt: false, generation };
      } catch (e) {
        if (mode === 'never') throw new AppError('E_INDEX_STALE', `索引文件损坏：${String(e)}`);
        log(`index unreadable (${e instanceof Error ? e.message : String(e)}); rebuilding`);
      }
    } else if (mode === 'never') {
      throw new AppError(manifest ? 'E_INDEX_STALE' : 'E_INDEX_MISSING', why ?? '');
    } else {
      log(`building index: ${why}`);
    }
  }
  return buildAndSave(opts);
}
