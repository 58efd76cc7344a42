/**
 * The one way the ranker walks a posting list: a cursor over an ascending list of paragraph
 * numbers, with the term's occurrence count in each when the index stores it. Callers visit
 * paragraphs in ascending order and ask `seek(n)`; the cursor gallops forward, so walking a short
 * candidate list against a long posting list costs O(k log(len / k)), not O(len).
 */
export class PostingCursor {
  private at = 0;

  /**
   * @param list ascending paragraph numbers (never mutated)
   * @param tfs occurrence counts parallel to `list` (255: 255 or more), or null when unknown
   */
  constructor(
    readonly list: Uint32Array,
    readonly tfs: Uint8Array | null = null,
  ) {}

  get length(): number {
    return this.list.length;
  }

  /** Moves to the first entry ≥ n; true when that entry is n. */
  seek(n: number): boolean {
    const l = this.list;
    const a = firstAtLeast(l, this.at, n);
    this.at = a;
    return a < l.length && l[a] === n;
  }

  /** The count at the current entry, or -1 when the index does not know it (or it is ≥ 255). */
  tf(): number {
    if (!this.tfs) return -1;
    const v = this.tfs[this.at]!;
    return v === 255 ? -1 : v;
  }

  /** The count at entry i of the list (as `tf`), for walks over the list itself. */
  tfAt(i: number): number {
    if (!this.tfs) return -1;
    const v = this.tfs[i]!;
    return v === 255 ? -1 : v;
  }

  /** Back to the start, for another ascending walk. */
  reset(): void {
    this.at = 0;
  }
}

export const EMPTY_POSTINGS: Uint32Array = new Uint32Array(0);

/**
 * The first index ≥ `from` of ascending `list` whose value is ≥ `value` (list.length when none),
 * by galloping forward then bisecting: O(log distance), for cursors walked in ascending order.
 */
export function firstAtLeast(list: Uint32Array, from: number, value: number): number {
  let a = from;
  if (a < list.length && list[a]! < value) {
    let step = 1;
    while (a + step < list.length && list[a + step]! < value) {
      a += step;
      step <<= 1;
    }
    let lo = a + 1;
    let hi = Math.min(a + step, list.length);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    a = lo;
  }
  return a;
}

/** Ascending union of ascending lists (a list itself when it is the only non-empty one). */
export function unionAscending(lists: readonly Uint32Array[]): Uint32Array {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return EMPTY_POSTINGS;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  // Two lists: one linear merge. More: one native sort of the concatenation (pairwise merges
  // would copy the growing union once per list).
  if (nonEmpty.length === 2) return mergeTwo(nonEmpty[0]!, nonEmpty[1]!);
  let total = 0;
  for (const l of nonEmpty) total += l.length;
  const all = new Uint32Array(total);
  let at = 0;
  for (const l of nonEmpty) {
    all.set(l, at);
    at += l.length;
  }
  all.sort();
  let size = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[size++] = all[i]!;
  return all.subarray(0, size);
}

/** Ascending union of two ascending lists without duplicates (within or across them). */
function mergeTwo(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  let last = -1;
  while (i < a.length || j < b.length) {
    let v: number;
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) v = a[i++]!;
    else v = b[j++]!;
    if (v !== last) out[k++] = last = v;
  }
  return out.subarray(0, k);
}
