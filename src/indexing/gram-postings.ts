/**
 * Character-gram postings in typed arrays (compressed sparse rows), the candidate source for
 * exact matching.
 *
 * Every distinct unigram and bigram of a normalized paragraph is a numeric key (see
 * `charGramKeys` in the analyzer). `keys` is sorted; the paragraphs holding `keys[i]` are
 * `postings[offsets[i] … offsets[i + 1])`, ascending. Three flat arrays instead of a map of
 * arrays: a lookup is a binary search plus a zero-copy view, and saving or loading is writing or
 * reading three files — no parsing, no per-key objects, no garbage for the collector to trace.
 */
import { charGramKeyCounts, charGramKeys } from '../analysis/analyzer.js';

export class GramPostings {
  constructor(
    /** Sorted distinct gram keys. */
    readonly keys: Float64Array,
    /** `offsets[i]` … `offsets[i + 1]` delimit key i's postings; length keys.length + 1. */
    readonly offsets: Uint32Array,
    /** Paragraph numbers, ascending within each key's range. */
    readonly postings: Uint32Array,
    /** Occurrences of the key in each posting's paragraph (overlapping), saturating at 255. */
    readonly tf: Uint8Array,
  ) {
    if (offsets.length !== keys.length + 1 || offsets[keys.length] !== postings.length || tf.length !== postings.length) {
      throw new Error('gram postings: arrays disagree');
    }
  }

  /**
   * Builds the postings of `count` paragraphs whose normalized text `textOf(n)` returns. Two
   * passes (count, then fill) keep memory at the size of the result: the grams of one paragraph
   * are recomputed rather than held for all paragraphs at once.
   */
  static build(count: number, textOf: (n: number) => string, onProgress?: (done: number, total: number) => void): GramPostings {
    const counts = new Map<number, number>();
    for (let n = 0; n < count; n++) {
      for (const k of charGramKeys(textOf(n))) counts.set(k, (counts.get(k) ?? 0) + 1);
      if (onProgress && (n % 5000 === 0 || n === count - 1)) onProgress(n + 1, 2 * count);
    }
    const keys = Float64Array.from(counts.keys()).sort();
    const offsets = new Uint32Array(keys.length + 1);
    const slot = new Map<number, number>();
    let total = 0;
    keys.forEach((k, i) => {
      offsets[i] = total;
      total += counts.get(k)!;
      slot.set(k, i);
    });
    offsets[keys.length] = total;
    counts.clear();
    const postings = new Uint32Array(total);
    const tf = new Uint8Array(total);
    const cursor = offsets.slice(0, keys.length);
    for (let n = 0; n < count; n++) {
      for (const [k, c] of charGramKeyCounts(textOf(n))) {
        const at = cursor[slot.get(k)!]!++;
        postings[at] = n;
        tf[at] = c > 255 ? 255 : c;
      }
      if (onProgress && (n % 5000 === 0 || n === count - 1)) onProgress(count + n + 1, 2 * count);
    }
    return new GramPostings(keys, offsets, postings, tf);
  }

  /** Number of distinct grams. */
  get size(): number {
    return this.keys.length;
  }

  /** The ascending paragraph numbers holding gram `key`: a view, never to be mutated. */
  list(key: number): Uint32Array {
    const i = this.slot(key);
    return i < 0 ? EMPTY : this.postings.subarray(this.offsets[i]!, this.offsets[i + 1]!);
  }

  /** The occurrence counts parallel to `list(key)`: a view, never to be mutated. */
  frequencies(key: number): Uint8Array {
    const i = this.slot(key);
    return i < 0 ? EMPTY_TF : this.tf.subarray(this.offsets[i]!, this.offsets[i + 1]!);
  }

  private slot(key: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = keys[mid]!;
      if (v === key) return mid;
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

const EMPTY = new Uint32Array(0);
const EMPTY_TF = new Uint8Array(0);

/** Paragraph numbers in both ascending lists (galloping through the longer one). */
export function intersectAscending(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length > b.length) [a, b] = [b, a];
  const out = new Uint32Array(a.length);
  let size = 0;
  let j = 0;
  for (let i = 0; i < a.length && j < b.length; i++) {
    const x = a[i]!;
    if (b[j]! < x) {
      // Gallop: double the step until past x, then binary search the last step.
      let step = 1;
      let hi = j + 1;
      while (hi < b.length && b[hi]! < x) {
        j = hi;
        step *= 2;
        hi = j + step;
      }
      let lo = j + 1;
      hi = Math.min(hi, b.length - 1);
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (b[mid]! < x) lo = mid + 1;
        else hi = mid - 1;
      }
      j = lo;
    }
    if (j < b.length && b[j] === x) out[size++] = x;
  }
  return out.subarray(0, size);
}
