/**
 * The engines the benchmark compares, behind one small interface (engine-core.ts): each answers "which paragraph
 * numbers contain every one of these normalized strings", builds its index from the same
 * normalized paragraph texts (ours builds from the corpus itself), saves it to disk, loads it back,
 * and reports its size. Adapters of the baselines live in their own files.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wordsOfNormalized } from '../../../src/analysis/analyzer.js';
import type { BuiltIndex } from '../../../src/indexing/build.js';
import { ensureIndex } from '../../../src/indexing/pipeline.js';
import { currentGeneration, type IndexManifest } from '../../../src/indexing/store.js';
import { SearchService } from '../../../src/search/service.js';
import { pathSize } from './disk.js';
import { intersectSorted, naiveScan, type BenchDirs, type Engine, type EngineId, type EngineSpec } from './engine-core.js';
import { flexCjkSpec } from './flex-cjk.js';
import { fts5Spec } from './fts5.js';

// ---------------------------------------------------------------------------------------------
// ours

/** Our engine over an index already in memory: exact lookups, AND as the intersection of lookups. */
export function oursEngine(built: BuiltIndex): Engine {
  const index = built.index;
  return {
    id: 'ours',
    coverage: index.normalized.length,
    query: (terms) => (terms.length === 1 ? index.containing(terms[0]!) : intersectSorted(terms.map((t) => index.containing(t)))),
    close: () => {},
  };
}

/**
 * Loads our index the way the server does (openSearchService): manifest and corpus checksums,
 * the index files, the SearchService, and (unless `segmenter` is false) jieba's dictionary.
 * Exact lookups never segment, so the lookup probe leaves the dictionary out of its load time;
 * the dictionary's fixed ~1.4 s is the server's start-up cost on any corpus.
 */
export async function loadOurs(
  dirs: BenchDirs,
  segmenter = true,
): Promise<{ service: SearchService; built: BuiltIndex; generation: string; manifest: IndexManifest }> {
  const { built, manifest, generation } = await ensureIndex({
    corpusDir: dirs.corpusDir,
    indexDir: dirs.indexDir,
    maxFileBytes: dirs.limits.maxFileBytes,
    rebuild: 'never',
  });
  if (segmenter) wordsOfNormalized('政务公开');
  return { service: new SearchService(built, dirs.limits, manifest), built, generation, manifest };
}

export const oursSpec: EngineSpec = {
  id: 'ours',
  label: 'ours (exact lookup)',
  how: 'index.containing(term): gram postings → candidates → verified; AND = intersection of the lookups',
  load: async (dirs) => oursEngine((await loadOurs(dirs, false)).built),
  // The current generation only: the store keeps the previous one beside it for running readers.
  sizeBytes: async (dirs) => pathSize(join(dirs.indexDir, currentGeneration(dirs.indexDir) ?? 'missing')),
};

// ---------------------------------------------------------------------------------------------
// naive scan (ground truth)

const naiveFile = (dirs: BenchDirs) => join(dirs.baselineDir, 'naive-texts.json');

export function naiveEngine(texts: readonly string[]): Engine {
  return { id: 'naive', coverage: texts.length, query: (terms) => naiveScan(texts, terms), close: () => {} };
}

export const naiveSpec: EngineSpec = {
  id: 'naive',
  label: 'naive scan (ground truth)',
  how: 'String.prototype.includes over every normalized paragraph (all terms for AND)',
  build: async (texts, dirs) => {
    await mkdir(dirs.baselineDir, { recursive: true });
    await writeFile(naiveFile(dirs), JSON.stringify(texts));
  },
  load: async (dirs) => naiveEngine(JSON.parse(await readFile(naiveFile(dirs), 'utf8')) as string[]),
  sizeBytes: (dirs) => pathSize(naiveFile(dirs)),
};

export const ENGINE_SPECS: readonly EngineSpec[] = [oursSpec, naiveSpec, fts5Spec(false), fts5Spec(true), flexCjkSpec];

export function engineSpec(id: EngineId): EngineSpec {
  const spec = ENGINE_SPECS.find((s) => s.id === id);
  if (!spec) throw new Error(`unknown engine ${id}`);
  return spec;
}
