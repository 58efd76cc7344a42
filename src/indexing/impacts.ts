/**
 * Impact heads: for each of the longest gram posting lists (a common character or bigram: 的,
 * 应当, 规定), the positions in that list of its `top` paragraphs of highest impact, and the
 * highest impact among the others.
 *
 * A query that is one such gram alone (a quoted 1–2-character phrase, or a word nothing but text
 * matches) scores a paragraph `idf · termImpact(tf, whole word, length, kind)`, and idf is the same
 * for all of them: the paragraphs outside the head can score at most `idf · bound`. The ranker
 * scores the head only, and when enough of the head scores above that bound (the page and the
 * diversification pool), the first results are exactly those of scoring every match; otherwise it
 * scores every match. Totals and facets still count every match (the list itself).
 *
 * Three flat arrays per structure, as in gram-postings.ts: saved and loaded as files, shared by
 * worker threads.
 */
import { gramOfKey } from '../analysis/analyzer.js';
import { KIND_WEIGHT, lengthNorm, termImpact } from '../search/scoring.js';
import type { ParagraphKind } from '../domain/types.js';
import type { GramPostings } from './gram-postings.js';

export interface ImpactParams {
  /** Lists at least this long get a head (a shorter list is scored whole in well under a millisecond). */
  minList: number;
  /** Paragraphs kept per head: at least the diversification pool plus a first page. */
  top: number;
}

export const IMPACT_PARAMS: ImpactParams = { minList: 4096, top: 512 };

export interface ImpactHead {
  /** Positions in the gram's posting list, ascending. */
  positions: Uint32Array;
  /** No paragraph of the list outside `positions` has a higher impact. */
  bound: number;
}

export class ImpactHeads {
  constructor(
    /** Sorted gram keys that have a head. */
    readonly keys: Float64Array,
    /** `offsets[i]` … `offsets[i + 1]` delimit key i's positions; length keys.length + 1. */
    readonly offsets: Uint32Array,
    readonly positions: Uint32Array,
    /** Per key: the highest impact outside its head. */
    readonly bounds: Float64Array,
  ) {
    if (offsets.length !== keys.length + 1 || bounds.length !== keys.length || offsets[keys.length] !== positions.length) {
      throw new Error('impact heads: arrays disagree');
    }
  }

  get size(): number {
    return this.keys.length;
  }

  /** The head of gram `key`, or null when its list has none. */
  head(key: number): ImpactHead | null {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = keys[mid]!;
      if (v === key) return { positions: this.positions.subarray(this.offsets[mid]!, this.offsets[mid + 1]!), bound: this.bounds[mid]! };
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  /**
   * The heads of every list of at least `params.minList` postings. Pure.
   * @param wholeOf paragraphs where the gram is a whole ranking word, ascending (ParagraphIndex.postings)
   */
  static build(
    grams: GramPostings,
    normalized: readonly string[],
    kinds: readonly ParagraphKind[],
    wordCounts: Uint32Array,
    wholeOf: (gram: string) => Uint32Array,
    params: ImpactParams = IMPACT_PARAMS,
  ): ImpactHeads {
    let sum = 0;
    for (const c of wordCounts) sum += c;
    const avg = wordCounts.length ? sum / wordCounts.length : 0;
    const keys: number[] = [];
    const offsets: number[] = [0];
    const chunks: Uint32Array[] = [];
    const bounds: number[] = [];
    let impacts = new Float64Array(0);
    for (let i = 0; i < grams.keys.length; i++) {
      const from = grams.offsets[i]!;
      const to = grams.offsets[i + 1]!;
      const size = to - from;
      if (size < params.minList || size <= params.top) continue;
      const key = grams.keys[i]!;
      const gram = gramOfKey(key);
      const chars = Array.from(gram);
      // A bigram of one character twice overlaps itself: the ranker counts it in the text.
      const counted = chars.length === 2 && chars[0] === chars[1];
      const whole = wholeOf(gram);
      if (impacts.length < size) impacts = new Float64Array(size);
      let w = 0;
      for (let j = 0; j < size; j++) {
        const n = grams.postings[from + j]!;
        let tf = grams.tf[from + j]!;
        if (counted || tf === 255) tf = countNonOverlapping(normalized[n]!, gram);
        while (w < whole.length && whole[w]! < n) w++;
        impacts[j] = termImpact(tf, w < whole.length && whole[w] === n, lengthNorm(wordCounts[n]!, avg), KIND_WEIGHT[kinds[n]!] ?? 1);
      }
      const { positions, bound } = topPositions(impacts, size, params.top);
      keys.push(key);
      chunks.push(positions);
      offsets.push(offsets[offsets.length - 1]! + positions.length);
      bounds.push(bound);
    }
    const positions = new Uint32Array(offsets[offsets.length - 1]!);
    let at = 0;
    for (const c of chunks) {
      positions.set(c, at);
      at += c.length;
    }
    return new ImpactHeads(Float64Array.from(keys), Uint32Array.from(offsets), positions, Float64Array.from(bounds));
  }
}

export const NO_IMPACT_HEADS = new ImpactHeads(new Float64Array(0), new Uint32Array(1), new Uint32Array(0), new Float64Array(0));

function countNonOverlapping(text: string, w: string): number {
  let tf = 0;
  for (let at = text.indexOf(w); at !== -1; at = text.indexOf(w, at + w.length)) tf++;
  return tf;
}

/**
 * The positions of the `k` highest of `values[0 … size)` (ascending), and the highest value of
 * the others. A min-heap of the k best seen: most values are turned away by one comparison.
 */
export function topPositions(values: Float64Array, size: number, k: number): ImpactHead {
  const heap = new Uint32Array(k);
  let length = 0;
  let bound = 0;
  // Position a ranks below position b (lower value; on a tie the later position).
  const below = (a: number, b: number) => values[a]! < values[b]! || (values[a] === values[b] && a > b);
  const siftDown = (from: number) => {
    const top = heap[from]!;
    let i = from;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= length) break;
      if (c + 1 < length && below(heap[c + 1]!, heap[c]!)) c++;
      if (!below(heap[c]!, top)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = top;
  };
  for (let j = 0; j < size; j++) {
    if (length < k) {
      let i = length++;
      heap[i] = j;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!below(heap[i]!, heap[parent]!)) break;
        const t = heap[i]!;
        heap[i] = heap[parent]!;
        heap[parent] = t;
        i = parent;
      }
      continue;
    }
    if (!below(heap[0]!, j)) {
      if (values[j]! > bound) bound = values[j]!;
      continue;
    }
    if (values[heap[0]!]! > bound) bound = values[heap[0]!]!;
    heap[0] = j;
    siftDown(0);
  }
  return { positions: heap.slice(0, length).sort(), bound };
}
