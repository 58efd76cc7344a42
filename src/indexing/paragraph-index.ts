/**
 * The paragraph-level inverted index, two posting structures over the same paragraph numbers:
 * - `grams`: every distinct character unigram and bigram of each normalized paragraph, in
 *   typed-array postings (gram-postings.ts); the candidate source for exact matching. A query
 *   string's bigrams (or its one character) are intersected and every candidate is verified
 *   against the normalized paragraph, so results are exact: nothing missed (every occurrence
 *   contains all its bigrams) and nothing false (verification).
 * - `words`: a flexsearch 0.8 index of the jieba words of each paragraph, for ranking (document
 *   frequencies, whole-word versus partial occurrences).
 * This is the only module that imports flexsearch. Words are produced by the shared analyzer and
 * handed to flexsearch pre-tokenized (space-joined, split by a trivial encoder), because
 * flexsearch's own encoders treat a CJK run as one term or ignore character order.
 */
import FlexSearch from 'flexsearch';
import { queryGramKeys } from '../analysis/analyzer.js';
import { findAll } from '../analysis/normalize.js';
import { GramPostings, intersectAscending } from './gram-postings.js';
import { NO_IMPACT_HEADS, type ImpactHead, type ImpactHeads } from './impacts.js';

const { Index } = FlexSearch;
export type FlexIndex = InstanceType<typeof Index>;

const splitTerms = (s: string): string[] => (s ? s.split(' ') : []);

/** A flexsearch index fed pre-tokenized terms. */
export function newWordIndex(): FlexIndex {
  // resolution 1: one scoring slot; we rank ourselves, so flexsearch only stores postings.
  return new Index({ tokenize: 'strict', encode: splitTerms, resolution: 1 });
}

/** Terms may not contain the separator; analyzer output never has whitespace. */
function joinTerms(terms: string[]): string {
  return terms.filter((t) => t && !t.includes(' ')).join(' ');
}

/** Adds paragraph `n`'s distinct ranking words to the words index. */
export function addParagraphWords(words: FlexIndex, n: number, list: string[]): void {
  const distinct = joinTerms([...new Set(list)]);
  if (distinct) words.add(n, distinct);
}

/** Candidate lists above this size are narrowed by intersecting the next rarest gram. */
const NARROW_ABOVE = 64;

export class ParagraphIndex {
  readonly grams: GramPostings;
  readonly words: FlexIndex;
  /** Normalized text of each paragraph, by paragraph number. */
  readonly normalized: string[];
  /** Number of ranking words in each paragraph (BM25 length). */
  readonly wordCounts: Uint32Array;
  readonly avgWordCount: number;
  /** The impact heads of the longest gram lists (impacts.ts); none until built or loaded. */
  impacts: ImpactHeads = NO_IMPACT_HEADS;
  private readonly dfCache = new Map<string, Uint32Array>();

  constructor(grams: GramPostings, words: FlexIndex, normalized: string[], wordCounts: Uint32Array) {
    this.grams = grams;
    this.words = words;
    this.normalized = normalized;
    this.wordCounts = wordCounts;
    let sum = 0;
    for (const c of wordCounts) sum += c;
    this.avgWordCount = wordCounts.length ? sum / wordCounts.length : 0;
  }

  get size(): number {
    return this.normalized.length;
  }

  /**
   * Every paragraph whose normalized text contains `normTerm` (already normalized), ascending,
   * as a typed array (a view into the postings when no verification is needed: never mutate).
   * Exact: the rarest of the query's grams, intersected with the next rarest ones while still
   * large, gives the candidates, and each candidate is verified with `includes`. Every occurrence
   * contains all of the query's bigrams, so no paragraph is missed; verification removes the rest.
   */
  containingList(normTerm: string): Uint32Array {
    const keys = queryGramKeys(normTerm);
    if (keys.length === 0) return new Uint32Array(0);
    const lists = keys.map((k) => this.grams.list(k)).sort((a, b) => a.length - b.length);
    // One gram that is the whole query (a character, or two): its postings are the answer.
    if (lists.length === 1 && Array.from(normTerm).length <= 2) return lists[0]!;
    let candidates = lists[0]!;
    for (let i = 1; i < lists.length && candidates.length > NARROW_ABOVE; i++) {
      candidates = intersectAscending(candidates, lists[i]!);
    }
    const out = new Uint32Array(candidates.length);
    let size = 0;
    const normalized = this.normalized;
    for (let i = 0; i < candidates.length; i++) {
      const n = candidates[i]!;
      if (normalized[n]!.includes(normTerm)) out[size++] = n;
    }
    return out.subarray(0, size);
  }

  /**
   * Every paragraph whose normalized text contains each of `normTerms`, ascending: what
   * intersecting their `containingList`s gives, from one intersection of all their grams (rarest
   * first, while the candidates are many) and one verification pass over what is left, instead of
   * verifying each term over its own candidates first.
   */
  containingAll(normTerms: readonly string[]): Uint32Array {
    if (normTerms.length === 1) return this.containingList(normTerms[0]!);
    const keySet = new Set<number>();
    for (const t of normTerms) {
      const keys = queryGramKeys(t);
      if (keys.length === 0) return new Uint32Array(0);
      for (const k of keys) keySet.add(k);
    }
    const byLength = [...keySet].map((k) => ({ k, list: this.grams.list(k) })).sort((a, b) => a.list.length - b.list.length);
    let candidates = byLength[0]!.list;
    const intersected = new Set([byLength[0]!.k]);
    for (let i = 1; i < byLength.length && candidates.length > NARROW_ABOVE; i++) {
      candidates = intersectAscending(candidates, byLength[i]!.list);
      intersected.add(byLength[i]!.k);
    }
    // A term of one or two characters is its gram: found exactly once that gram's list was intersected.
    const verify = normTerms.filter((t) => Array.from(t).length > 2 || !intersected.has(queryGramKeys(t)[0]!));
    if (verify.length === 0) return candidates;
    const out = new Uint32Array(candidates.length);
    let size = 0;
    const normalized = this.normalized;
    next: for (let i = 0; i < candidates.length; i++) {
      const n = candidates[i]!;
      const text = normalized[n]!;
      for (const t of verify) if (!text.includes(t)) continue next;
      out[size++] = n;
    }
    return out.subarray(0, size);
  }

  /**
   * `containingList` with the term's occurrence count in each paragraph found (non-overlapping,
   * as ranking counts them; 255 means 255 or more), or null counts when the gram postings do not
   * carry them (two equal characters). A longer term is counted while it is verified, so ranking
   * need not scan the text again.
   */
  containingCounts(normTerm: string): { list: Uint32Array; tfs: Uint8Array | null } {
    const keys = queryGramKeys(normTerm);
    const length = Array.from(normTerm).length;
    if (keys.length === 0 || length <= 2) {
      const list = this.containingList(normTerm);
      const tfs = this.termFrequencies(normTerm);
      return { list, tfs: tfs && tfs.length === list.length ? tfs : null };
    }
    const lists = keys.map((k) => this.grams.list(k)).sort((a, b) => a.length - b.length);
    let candidates = lists[0]!;
    for (let i = 1; i < lists.length && candidates.length > NARROW_ABOVE; i++) {
      candidates = intersectAscending(candidates, lists[i]!);
    }
    const out = new Uint32Array(candidates.length);
    const tfs = new Uint8Array(candidates.length);
    let size = 0;
    const normalized = this.normalized;
    const step = normTerm.length;
    for (let i = 0; i < candidates.length; i++) {
      const n = candidates[i]!;
      const text = normalized[n]!;
      let at = text.indexOf(normTerm);
      if (at === -1) continue;
      let count = 1;
      while (count < 255 && (at = text.indexOf(normTerm, at + step)) !== -1) count++;
      out[size] = n;
      tfs[size++] = count;
    }
    return { list: out.subarray(0, size), tfs: tfs.subarray(0, size) };
  }

  /**
   * For a term of one character, or of two different characters, its occurrence count in each
   * paragraph of `containingList(normTerm)` (same order; 255 means 255 or more); else null.
   * Such a term's occurrences cannot overlap, so the count equals the non-overlapping one.
   */
  termFrequencies(normTerm: string): Uint8Array | null {
    const chars = Array.from(normTerm);
    if (chars.length === 0 || chars.length > 2 || (chars.length === 2 && chars[0] === chars[1])) return null;
    return this.grams.frequencies(queryGramKeys(normTerm)[0]!);
  }

  /**
   * The impact head of a term of one or two characters whose paragraphs are one gram list (its
   * positions index `containingList(normTerm)`), or null.
   */
  impactHead(normTerm: string): ImpactHead | null {
    if (this.impacts.size === 0) return null;
    const keys = queryGramKeys(normTerm);
    if (keys.length !== 1 || Array.from(normTerm).length > 2) return null;
    return this.impacts.head(keys[0]!);
  }

  /** `containingList` as a plain array (a copy). */
  containing(normTerm: string): number[] {
    return Array.from(this.containingList(normTerm));
  }

  /** Paragraphs whose ranking words include `word` (normalized), ascending; cached. */
  postings(word: string): Uint32Array {
    let hit = this.dfCache.get(word);
    if (!hit) {
      hit = this.wordPostings(word);
      if (this.dfCache.size > 5000) this.dfCache.clear();
      this.dfCache.set(word, hit);
    }
    return hit;
  }

  /** `postings` without the cache (for one-off passes over many words, such as building impact heads). */
  wordPostings(word: string): Uint32Array {
    const hit = Uint32Array.from(this.words.search(word, { limit: this.size || 1 }) as number[]);
    if (!isAscending(hit)) hit.sort();
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
