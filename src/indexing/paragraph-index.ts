/**
 * The paragraph-level inverted index: two flexsearch indexes over the same paragraph numbers.
 * - `grams`: distinct character unigrams and bigrams of each normalized paragraph; the candidate
 *   source for exact matching. A query string's bigrams (or its one character) are intersected
 *   and every candidate is verified against the normalized paragraph, so results are exact:
 *   nothing missed (every occurrence contains all its bigrams) and nothing false (verification).
 * - `words`: jieba words of each paragraph, for ranking (document frequencies, partial matches).
 * This is the only module that imports flexsearch. Terms are produced by the shared analyzer and
 * handed to flexsearch pre-tokenized (space-joined, split by a trivial encoder), because
 * flexsearch's own encoders treat a CJK run as one term or ignore character order.
 */
import FlexSearch from 'flexsearch';
import { charGrams, queryGrams } from '../analysis/analyzer.js';
import { findAll } from '../analysis/normalize.js';

const { Index } = FlexSearch;
type FlexIndex = InstanceType<typeof Index>;

const splitTerms = (s: string): string[] => (s ? s.split(' ') : []);

function newFlexIndex(): FlexIndex {
  // resolution 1: one scoring slot; we rank ourselves, so flexsearch only stores postings.
  return new Index({ tokenize: 'strict', encode: splitTerms, resolution: 1 });
}

/** Terms may not contain the separator; analyzer output never has whitespace. */
function joinTerms(terms: string[]): string {
  return terms.filter((t) => t && !t.includes(' ')).join(' ');
}

export class ParagraphIndex {
  readonly grams: FlexIndex;
  readonly words: FlexIndex;
  /** Normalized text of each paragraph, by paragraph number. */
  readonly normalized: string[];
  /** Number of ranking words in each paragraph (BM25 length). */
  readonly wordCounts: Uint32Array;
  readonly avgWordCount: number;
  private readonly dfCache = new Map<string, Uint32Array>();

  constructor(grams: FlexIndex, words: FlexIndex, normalized: string[], wordCounts: Uint32Array) {
    this.grams = grams;
    this.words = words;
    this.normalized = normalized;
    this.wordCounts = wordCounts;
    let sum = 0;
    for (const c of wordCounts) sum += c;
    this.avgWordCount = wordCounts.length ? sum / wordCounts.length : 0;
  }

  static empty(): { grams: FlexIndex; words: FlexIndex } {
    return { grams: newFlexIndex(), words: newFlexIndex() };
  }

  get size(): number {
    return this.normalized.length;
  }

  /** Adds paragraph `n` (its normalized text and ranking words) to both flexsearch indexes. */
  static addParagraph(target: { grams: FlexIndex; words: FlexIndex }, n: number, norm: string, words: string[]): void {
    const grams = joinTerms(charGrams(norm));
    if (grams) target.grams.add(n, grams);
    const distinct = joinTerms([...new Set(words)]);
    if (distinct) target.words.add(n, distinct);
  }

  /** The posting list of one gram (flexsearch returns its own array: never mutate it). */
  private gramPostings(gram: string): readonly number[] {
    return this.grams.search(gram, { limit: this.size || 1 }) as number[];
  }

  /**
   * Every paragraph whose normalized text contains `normTerm` (already normalized), ascending.
   * Exact: the rarest of the query's grams (intersected with the next rarest when still large)
   * gives the candidates, and each candidate is verified with `includes`. Every occurrence
   * contains all of the query's bigrams, so no paragraph is missed; verification removes the rest.
   */
  containing(normTerm: string): number[] {
    const grams = queryGrams(normTerm);
    if (grams.length === 0) return [];
    const lists = grams.map((g) => this.gramPostings(g)).sort((a, b) => a.length - b.length);
    const shortest = lists[0]!;
    if (shortest.length === 0) return [];
    let candidates: readonly number[] = shortest;
    if (lists.length > 1 && shortest.length > 256) candidates = intersectSorted(shortest, lists[1]!);
    const exactGram = grams.length === 1 && grams[0] === normTerm;
    const out: number[] = [];
    for (const n of candidates) if (exactGram || this.normalized[n]!.includes(normTerm)) out.push(n);
    return isAscending(out) ? out : out.sort((a, b) => a - b);
  }

  /** Paragraphs whose ranking words include `word` (normalized), ascending; cached. */
  postings(word: string): Uint32Array {
    let hit = this.dfCache.get(word);
    if (!hit) {
      const ids = this.words.search(word, { limit: this.size || 1 }) as number[];
      hit = Uint32Array.from(ids);
      if (!isAscending(hit)) hit.sort();
      if (this.dfCache.size > 5000) this.dfCache.clear();
      this.dfCache.set(word, hit);
    }
    return hit;
  }

  /** Occurrences of `normTerm` in paragraph `n` (non-overlapping count used as term frequency). */
  termFrequency(n: number, normTerm: string): number {
    const text = this.normalized[n]!;
    let count = 0;
    let at = text.indexOf(normTerm);
    while (at !== -1) {
      count++;
      at = text.indexOf(normTerm, at + normTerm.length);
    }
    return count;
  }

  /** Start offsets of `normTerm` in paragraph `n`'s normalized text. */
  occurrences(n: number, normTerm: string): number[] {
    return findAll(this.normalized[n]!, normTerm);
  }
}

function isAscending(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if (a[i]! < a[i - 1]!) return false;
  return true;
}

/** Intersection of two posting lists (sorted copies are made when they are not ascending). */
function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const x = isAscending(a) ? a : [...a].sort((p, q) => p - q);
  const y = isAscending(b) ? b : [...b].sort((p, q) => p - q);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const u = x[i]!;
    const v = y[j]!;
    if (u === v) {
      out.push(u);
      i++;
      j++;
    } else if (u < v) i++;
    else j++;
  }
  return out;
}
