/**
 * The engine interface of the benchmark and the two set operations it is judged by: the naive
 * scan (the definition of the right answer) and the intersection of sorted lists (an AND of
 * lookups). This module imports nothing but types from src/ and no package of the benchmark's own
 * (bench/package.json), so the test suite can use it from the root install; keep it that way.
 */
import type { Limits } from '../../../src/config.js';

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
