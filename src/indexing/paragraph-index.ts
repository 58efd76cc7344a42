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

  /**
   * Every paragraph whose normalized text contains `normTerm` (already normalized), ascending.
   * Exact: gram intersection as candidates, then verification.
   */
  containing(normTerm: string): number[] {
    const grams = queryGrams(normTerm);
    if (grams.length === 0) return [];
    const candidates = this.grams.search(grams.join(' '), { limit: this.size || 1 }) as number[];
    const out: number[] = [];
    const single = grams.length === 1 && grams[0] === normTerm;
    for (const n of candidates) {
      if (single || this.normalized[n]!.includes(normTerm)) out.push(n);
    }
    return out.sort((a, b) => a - b);
  }

  /** Paragraphs whose ranking words include `word` (normalized), ascending; cached. */
  postings(word: string): Uint32Array {
    let hit = this.dfCache.get(word);
    if (!hit) {
      const ids = this.words.search(word, { limit: this.size || 1 }) as number[];
      hit = Uint32Array.from(ids).sort();
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
