/**
 * The engines the benchmark compares, behind one small interface: each answers "which paragraph
 * numbers contain every one of these normalized strings", builds its index from the same
 * normalized paragraph texts (ours builds from the corpus itself), saves it to disk, loads it back,
 * and reports its size. Adapters of the baselines live in their own files.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wordsOfNormalized } from '../../analysis/analyzer.js';
import type { Limits } from '../../config.js';
import type { BuiltIndex } from '../../indexing/build.js';
import { ensureIndex } from '../../indexing/pipeline.js';
import { currentGeneration, type IndexManifest } from '../../indexing/store.js';
import { SearchService } from '../../search/service.js';
import { pathSize } from './disk.js';
import { flexCjkSpec } from './flex-cjk.js';
import { fts5Spec } from './fts5.js';

export type EngineId = 'ours' | 'naive' | 'fts5' | 'fts5-like' | 'flex-cjk';

/** Where everything lives. */
export interface BenchDirs {
  corpusDir: string;
  /** Our index (INDEX_DIR). */
  indexDir: string;
  /** The baselines' files. */
  baselineDir: string;
  limits: Limits;
  /** Paragraphs in the corpus (every engine indexes paragraph numbers 0 … paragraphs − 1). */
  paragraphs: number;
  /** Index at most this many paragraphs in flexsearch-CJK (all when undefined). */
  flexCap?: number;
}

/** A loaded engine, ready to answer queries. */
export interface Engine {
  readonly id: EngineId;
  /** Paragraphs [0, coverage) are indexed; recall is measured against that range. */
  readonly coverage: number;
  /** Paragraph numbers containing every term (any order; the caller compares sets). */
  query(terms: readonly string[]): ArrayLike<number>;
  close(): void;
}

/** How to build, load and size one engine. */
export interface EngineSpec {
  id: EngineId;
  label: string;
  /** One line on what the engine does with a query, for the report. */
  how: string;
  /** Builds and saves the index from the normalized texts (absent: built by another spec or by ensureIndex). */
  build?(texts: readonly string[], dirs: BenchDirs): Promise<void>;
  load(dirs: BenchDirs): Promise<Engine>;
  sizeBytes(dirs: BenchDirs): Promise<number>;
}

/** Intersection of ascending lists, shortest first: the AND of several exact lookups. */
export function intersectSorted(lists: ArrayLike<number>[]): number[] {
  if (lists.length === 0) return [];
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let acc = Array.from(sorted[0]!);
  for (let k = 1; k < sorted.length && acc.length > 0; k++) {
    const other = sorted[k]!;
    const next: number[] = [];
    let j = 0;
    for (const x of acc) {
      // Galloping would help for very unequal lengths; a linear merge is fine at these sizes.
      while (j < other.length && other[j]! < x) j++;
      if (j < other.length && other[j] === x) next.push(x);
    }
    acc = next;
  }
  return acc;
}

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

/** Every paragraph whose text includes every term: the definition of the right answer. */
export function naiveScan(texts: readonly string[], terms: readonly string[]): number[] {
  const out: number[] = [];
  if (terms.length === 1) {
    const t = terms[0]!;
    for (let i = 0; i < texts.length; i++) if (texts[i]!.includes(t)) out.push(i);
    return out;
  }
  outer: for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    for (const t of terms) if (!text.includes(t)) continue outer;
    out.push(i);
  }
  return out;
}

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
