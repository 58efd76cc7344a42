/**
 * Heading context: a paragraph is also found through the headings that enclose it — a clause
 * under 四、推进政务公开数字化 through 政务公开数字化, a law's item （三） through its 第X条. The index
 * stores each paragraph's section parent (`BuiltIndex.parents`); a heading's scope is the
 * contiguous run of paragraphs after it whose parent chain reaches it.
 */
import { EMPTY_POSTINGS, firstAtLeast } from './postings.js';

/** For each paragraph, one past the last paragraph of its scope (n + 1 when it encloses none). */
export function scopeEnds(parents: Int32Array): Uint32Array {
  const end = new Uint32Array(parents.length);
  for (let n = 0; n < parents.length; n++) {
    end[n] = n + 1;
    for (let a = parents[n]!; a >= 0; a = parents[a]!) end[a] = n + 1;
  }
  return end;
}

/**
 * Ascending paragraphs enclosed by any of `heads` (ascending paragraph numbers, e.g. those whose
 * text contains a term), the heads themselves excluded unless enclosed by another head.
 */
export function enclosedBy(heads: Uint32Array, ends: Uint32Array): Uint32Array {
  let total = 0;
  let reach = 0;
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i]!;
    const e = ends[h]!;
    if (e <= h + 1) continue;
    const from = Math.max(h + 1, reach);
    if (e > from) total += e - from;
    if (e > reach) reach = e;
  }
  if (total === 0) return EMPTY_POSTINGS;
  const out = new Uint32Array(total);
  let size = 0;
  reach = 0;
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i]!;
    const e = ends[h]!;
    if (e <= h + 1) continue;
    for (let n = Math.max(h + 1, reach); n < e; n++) out[size++] = n;
    if (e > reach) reach = e;
  }
  return out.subarray(0, size);
}

/**
 * For each paragraph, the outermost clause it belongs to (itself when it is a clause not inside
 * another, the 第X条 of an item or of an article's later paragraph), or -1: the unit a law's
 * article or a notice's numbered clause forms with its items and continuation paragraphs.
 */
export function clauseUnits(parents: Int32Array, isClause: (n: number) => boolean): Int32Array {
  const unit = new Int32Array(parents.length).fill(-1);
  for (let n = 0; n < parents.length; n++) {
    const p = parents[n]!;
    if (p >= 0 && unit[p]! >= 0) unit[n] = unit[p]!;
    else if (isClause(n)) unit[n] = n;
  }
  return unit;
}

/**
 * Calls `add(from, to)` for each range the paragraphs of `list` (ascending) give context to: what
 * each encloses as a heading, and each clause unit once. Ranges may be empty, overlap or come out
 * of order; contextOf's two strategies merge them.
 */
function forEachContextRange(list: Uint32Array, ends: Uint32Array, units: Int32Array, add: (from: number, to: number) => void): void {
  let lastUnit = -1;
  for (let i = 0; i < list.length; i++) {
    const n = list[i]!;
    add(n + 1, ends[n]!);
    const u = units[n]!;
    if (u >= 0 && u !== lastUnit) {
      add(u, ends[u]!);
      lastUnit = u;
    }
  }
}

/** Disjoint ascending ranges [from[i], to[i]) of paragraphs, separated by at least one paragraph. */
export interface ParagraphRanges {
  from: Uint32Array;
  to: Uint32Array;
  /** Paragraphs covered in all. */
  total: number;
}

const NO_RANGES: ParagraphRanges = { from: EMPTY_POSTINGS, to: EMPTY_POSTINGS, total: 0 };

/**
 * The context of the paragraphs in `list` (ascending; e.g. those containing a term): the
 * paragraphs they enclose as headings, and every paragraph of the clause units they belong to.
 * Ascending, without duplicates.
 */
export function contextOf(list: Uint32Array, ends: Uint32Array, units: Int32Array, coverFrom = COVER_FROM): Uint32Array {
  return expandRanges(contextRanges(list, ends, units, coverFrom));
}

/** Every paragraph of `ranges`, ascending. */
export function expandRanges(ranges: ParagraphRanges): Uint32Array {
  if (ranges.total === 0) return EMPTY_POSTINGS;
  const out = new Uint32Array(ranges.total);
  let k = 0;
  for (let i = 0; i < ranges.from.length; i++) for (let n = ranges.from[i]!; n < ranges.to[i]!; n++) out[k++] = n;
  return out;
}

/**
 * contextOf as merged ranges: the same paragraphs without listing each (a common word's context
 * covers most of a corpus; membership is then a walk over the ranges, see RangeCursor).
 */
export function contextRanges(list: Uint32Array, ends: Uint32Array, units: Int32Array, coverFrom = COVER_FROM): ParagraphRanges {
  if (list.length >= coverFrom || ends.length >= RANGE_SHIFT) return rangesByCover(list, ends, units);
  // Two streams, as forEachContextRange gives them: what each paragraph encloses (ascending by
  // start, since the list is) and its clause unit (nearly always ascending too). Each is packed
  // as start · 2^26 + stop in a reused Float64Array (exact: paragraph numbers stay below 2^26),
  // sorted only when it is not in order already, and the two are merged.
  if (packedEnclosed.length < list.length) packedEnclosed = new Float64Array(Math.max(list.length, packedEnclosed.length * 2));
  if (packedUnits.length < list.length) packedUnits = new Float64Array(Math.max(list.length, packedUnits.length * 2));
  let ne = 0;
  let nu = 0;
  let unitsSorted = true;
  let lastUnit = -1;
  let lastUnitStart = 0;
  for (let i = 0; i < list.length; i++) {
    const n = list[i]!;
    const e = ends[n]!;
    if (e > n + 1) packedEnclosed[ne++] = (n + 1) * RANGE_SHIFT + e;
    const u = units[n]!;
    if (u >= 0 && u !== lastUnit) {
      lastUnit = u;
      const ue = ends[u]!;
      if (ue > u) {
        if (u < lastUnitStart) unitsSorted = false;
        lastUnitStart = u;
        packedUnits[nu++] = u * RANGE_SHIFT + ue;
      }
    }
  }
  if (ne + nu === 0) return NO_RANGES;
  const a = packedEnclosed.subarray(0, ne);
  const b = packedUnits.subarray(0, nu);
  if (!unitsSorted) b.sort();
  // Merge the two streams, joining overlapping and touching ranges.
  const from = new Uint32Array(ne + nu);
  const to = new Uint32Array(ne + nu);
  let k = -1;
  let total = 0;
  for (let i = 0, j = 0; i < ne || j < nu; ) {
    const v = j >= nu || (i < ne && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    const start = Math.floor(v / RANGE_SHIFT);
    const stop = v - start * RANGE_SHIFT;
    if (k >= 0 && start <= to[k]!) {
      if (stop > to[k]!) {
        total += stop - to[k]!;
        to[k] = stop;
      }
      continue;
    }
    k++;
    from[k] = start;
    to[k] = stop;
    total += stop - start;
  }
  return { from: from.subarray(0, k + 1), to: to.subarray(0, k + 1), total };
}

/** contextRanges' packing factor: 2^26 (paragraph numbers of up to 67 million). */
const RANGE_SHIFT = 2 ** 26;
/** contextRanges' range buffers, reused between calls. */
let packedEnclosed = new Float64Array(1024);
let packedUnits = new Float64Array(1024);

/**
 * From this many paragraphs on, contextRanges marks its ranges in a difference array instead of
 * sorting them (the array's running sums cost a pass over the span covered, so short lists keep
 * the sort: on the laws corpus the two break even near 30,000 paragraphs).
 */
const COVER_FROM = 30_000;

/** A difference array over the paragraphs, kept zeroed between calls (rangesByCover). */
let cover = new Int32Array(0);

/**
 * contextRanges for long lists (a common word's paragraphs): each range adds 1 at its start and
 * −1 at its end in a difference array, and one pass of running sums over the span touched gives
 * the merged ranges in order — no range objects, no sort.
 */
function rangesByCover(list: Uint32Array, ends: Uint32Array, units: Int32Array): ParagraphRanges {
  if (cover.length < ends.length + 1) cover = new Int32Array(ends.length + 1);
  let lo = ends.length;
  let hi = 0;
  let count = 0;
  const add = (from: number, to: number) => {
    if (to <= from) return;
    cover[from]!++;
    cover[to]!--;
    count++;
    if (from < lo) lo = from;
    if (to > hi) hi = to;
  };
  forEachContextRange(list, ends, units, add);
  if (hi === 0) return NO_RANGES;
  const from = new Uint32Array(count);
  const to = new Uint32Array(count);
  let k = 0;
  let total = 0;
  let open = -1;
  for (let n = lo, depth = 0; n <= hi; n++) {
    depth += cover[n]!;
    cover[n] = 0;
    if (depth > 0 && open < 0) open = n;
    else if (depth <= 0 && open >= 0) {
      from[k] = open;
      to[k++] = n;
      total += n - open;
      open = -1;
    }
  }
  return { from: from.subarray(0, k), to: to.subarray(0, k), total };
}

/**
 * Calls `fn(from, to)` for the disjoint ascending ranges of paragraphs enclosed by any of `heads`
 * (ascending), the same paragraphs `enclosedBy` lists, without building the list.
 */
export function forEachEnclosedRange(heads: Uint32Array, ends: Uint32Array, fn: (from: number, to: number) => void): void {
  let reach = 0;
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i]!;
    const e = ends[h]!;
    if (e <= h + 1 || e <= reach) continue;
    fn(Math.max(h + 1, reach), e);
    reach = e;
  }
}

/** The paragraphs of `heads` (ascending) that enclose at least one other paragraph. */
export function enclosingOnly(heads: Uint32Array, ends: Uint32Array): Uint32Array {
  let k = 0;
  for (let i = 0; i < heads.length; i++) if (ends[heads[i]!]! > heads[i]! + 1) k++;
  if (k === heads.length) return heads;
  const out = new Uint32Array(k);
  k = 0;
  for (let i = 0; i < heads.length; i++) if (ends[heads[i]!]! > heads[i]! + 1) out[k++] = heads[i]!;
  return out;
}

/**
 * A cursor over ParagraphRanges, walked in ascending order as PostingCursor is: `seek(n)` says
 * whether n is covered. `list` lists every covered paragraph, made on first use only (the
 * candidate marking of the general ranking path needs it; membership tests do not).
 */
export class RangeCursor {
  private at = 0;
  private expanded: Uint32Array | null = null;

  constructor(readonly ranges: ParagraphRanges) {}

  /** Paragraphs covered. */
  get length(): number {
    return this.ranges.total;
  }

  get list(): Uint32Array {
    return (this.expanded ??= expandRanges(this.ranges));
  }

  /** Moves to the first range ending after n; true when it covers n. */
  seek(n: number): boolean {
    const { from, to } = this.ranges;
    const a = firstAtLeast(to, this.at, n + 1);
    this.at = a;
    return a < to.length && from[a]! <= n;
  }

  reset(): void {
    this.at = 0;
  }
}
