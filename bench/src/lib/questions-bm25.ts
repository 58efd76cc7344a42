/**
 * The baseline of the question benchmark: plain BM25 (k1 = 1.2, b = 0.75, Lucene's idf
 * ln(1 + (N − df + 0.5) / (df + 0.5))) over whole articles, with the project's analyzer for
 * terms — jieba words of the normalized text, stopwords dropped — and the question analyzed the
 * same way, every word of it a term (a repeated word counts again). No question-word list, no
 * phrase or proximity boost: what a search box built on jieba and BM25 answers.
 *
 * The unit is an article of one document (its paragraphs' normalized texts concatenated); units
 * are ranked by score (ties by unit number) and read as article keys, duplicates dropped, so two
 * versions of one law give one result. In memory: a vocabulary map and, per term, a slice of one
 * typed array of unit numbers with the term's frequency beside it.
 */
import { wordsOfNormalized } from '../../../src/analysis/analyzer.js';
import { normalizeForMatch } from '../../../src/analysis/normalize.js';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** A growable Uint32Array. */
class U32List {
  data = new Uint32Array(1 << 16);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

export interface Bm25Source {
  /** Number of units. */
  units: number;
  /** A unit's text, already normalized. */
  text(unit: number): string;
  /** A unit's key; units with one key are one result. */
  key(unit: number): number;
}

export class ArticleBm25 {
  private readonly vocabulary = new Map<string, number>();
  /** Postings of term t are offsets[t] … offsets[t + 1] - 1 in `units` / `tfs`. */
  private offsets = new Uint32Array(0);
  private postingUnits = new Uint32Array(0);
  private postingTfs = new Uint16Array(0);
  private idf = new Float64Array(0);
  /** k1 · (1 − b + b · length / average length), per unit. */
  private readonly norm: Float64Array;
  private readonly scores: Float64Array;
  private readonly touched: Uint32Array;
  readonly postings: number;

  constructor(private readonly source: Bm25Source) {
    const n = source.units;
    this.norm = new Float64Array(n);
    this.scores = new Float64Array(n);
    this.touched = new Uint32Array(n);
    // Pass 1: each unit's distinct terms and frequencies, one after another; document frequencies.
    const unitEnd = new Uint32Array(n);
    const terms = new U32List();
    const tfs = new U32List();
    const df = new U32List();
    const lengths = new Uint32Array(n);
    let totalLength = 0;
    const counts = new Map<number, number>();
    for (let u = 0; u < n; u++) {
      counts.clear();
      const words = wordsOfNormalized(source.text(u));
      for (const w of words) {
        let t = this.vocabulary.get(w.text);
        if (t === undefined) {
          t = this.vocabulary.size;
          this.vocabulary.set(w.text, t);
          df.push(0);
        }
        counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      for (const [t, c] of counts) {
        terms.push(t);
        tfs.push(c);
        df.data[t]!++;
      }
      unitEnd[u] = terms.length;
      lengths[u] = words.length;
      totalLength += words.length;
    }
    // Pass 2: postings grouped by term, units ascending within a term.
    const vocab = this.vocabulary.size;
    this.offsets = new Uint32Array(vocab + 1);
    for (let t = 0; t < vocab; t++) this.offsets[t + 1] = this.offsets[t]! + df.data[t]!;
    this.postings = terms.length;
    this.postingUnits = new Uint32Array(terms.length);
    this.postingTfs = new Uint16Array(terms.length);
    const fill = this.offsets.slice(0, vocab);
    for (let u = 0, i = 0; u < n; u++) {
      for (; i < unitEnd[u]!; i++) {
        const at = fill[terms.data[i]!]!++;
        this.postingUnits[at] = u;
        this.postingTfs[at] = Math.min(65535, tfs.data[i]!);
      }
    }
    this.idf = new Float64Array(vocab);
    for (let t = 0; t < vocab; t++) this.idf[t] = Math.log(1 + (n - df.data[t]! + 0.5) / (df.data[t]! + 0.5));
    const avg = n ? totalLength / n : 1;
    for (let u = 0; u < n; u++) this.norm[u] = BM25_K1 * (1 - BM25_B + (BM25_B * lengths[u]!) / (avg || 1));
  }

  get vocabularySize(): number {
    return this.vocabulary.size;
  }

  /** The question's terms: its jieba words (normalized, stopwords dropped), repeats kept. */
  static terms(question: string): string[] {
    return wordsOfNormalized(normalizeForMatch(question)).map((w) => w.text);
  }

  /** The first `limit` distinct keys by BM25 score, best first. */
  search(question: string, limit: number): number[] {
    const { scores, touched, norm, postingUnits, postingTfs } = this;
    let count = 0;
    const qtf = new Map<number, number>();
    for (const w of ArticleBm25.terms(question)) {
      const t = this.vocabulary.get(w);
      if (t !== undefined) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    }
    for (const [t, q] of qtf) {
      const weight = q * this.idf[t]! * (BM25_K1 + 1);
      for (let i = this.offsets[t]!, end = this.offsets[t + 1]!; i < end; i++) {
        const u = postingUnits[i]!;
        const tf = postingTfs[i]!;
        if (scores[u] === 0) touched[count++] = u;
        scores[u]! += (weight * tf) / (tf + norm[u]!);
      }
    }
    // The best units until `limit` distinct keys: k best by a bounded heap, k grown when
    // duplicates of a key leave fewer than `limit` keys (exactly what a full sort would give).
    let keys: number[] = [];
    for (let k = Math.min(count, limit * 2); ; k = Math.min(count, k * 4)) {
      const best = topUnits(touched, count, scores, k);
      const seen = new Set<number>();
      keys = [];
      for (let i = 0; i < best.length && keys.length < limit; i++) {
        const key = this.source.key(best[i]!);
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
      }
      if (keys.length >= limit || k >= count) break;
    }
    for (let i = 0; i < count; i++) scores[touched[i]!] = 0;
    return keys;
  }
}

/** Whether unit a ranks before unit b: higher score, then lower unit number. */
const before = (scores: Float64Array, a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);

/** The k best of the first `count` units of `units`, best first (a bounded min-heap of the best). */
export function topUnits(units: Uint32Array, count: number, scores: Float64Array, k: number): Uint32Array {
  const heap = new Uint32Array(Math.min(k, count));
  if (heap.length === 0) return heap;
  let size = 0;
  // heap[0] is the worst of the kept units.
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < size && before(scores, heap[w]!, heap[l]!)) w = l;
      if (r < size && before(scores, heap[w]!, heap[r]!)) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w]!, heap[i]!];
      i = w;
    }
  };
  for (let i = 0; i < count; i++) {
    const u = units[i]!;
    if (size < heap.length) {
      heap[size] = u;
      for (let j = size++; j > 0; ) {
        const parent = (j - 1) >> 1;
        if (!before(scores, heap[parent]!, heap[j]!)) break;
        [heap[parent], heap[j]] = [heap[j]!, heap[parent]!];
        j = parent;
      }
    } else if (before(scores, u, heap[0]!)) {
      heap[0] = u;
      down(0);
    }
  }
  return heap.sort((a, b) => (before(scores, a, b) ? -1 : before(scores, b, a) ? 1 : 0));
}
