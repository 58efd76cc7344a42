/**
 * Result diversity: one long document (a law of 2,000 paragraphs, a notice and its own task
 * table) should not fill a page while other documents have good answers. The first
 * DIVERSIFIED results are picked greedily from the best POOL by rank order, each candidate's
 * score discounted by DOC_PENALTY for every hit of its document already picked; a tier or exact
 * count (keyword queries) is never overridden. Results after them keep the plain rank order, so
 * every page of a query is cut from the same ordering.
 */

/** How many leading results are diversified, and from how large a pool. */
export const DIVERSIFIED = 100;
export const POOL = 300;
/**
 * A document's k-th hit (k from 0) counts with its score multiplied by DOC_PENALTY^(k − DOC_FREE)
 * once k reaches DOC_FREE; a clause unit's (a law's article, a notice's numbered clause with its
 * items) k-th hit by UNIT_PENALTY^k, so an article's paragraphs do not crowd out other articles.
 */
export const DOC_PENALTY = 0.85;
export const DOC_FREE = 3;
export const UNIT_PENALTY = 0.6;

export interface DiversityPenalties {
  docPenalty: number;
  docFree: number;
  unitPenalty: number;
}
export const KEYWORD_DIVERSITY: DiversityPenalties = { docPenalty: DOC_PENALTY, docFree: DOC_FREE, unitPenalty: UNIT_PENALTY };
/**
 * Questions discount a document more gently: the answer to a legal question is often several
 * articles of one code (民法典), so up to six of a document's hits count fully, then 0.9× each.
 */
export const QUESTION_DIVERSITY: DiversityPenalties = { docPenalty: 0.9, docFree: 5, unitPenalty: UNIT_PENALTY };

export interface RankedView {
  /** Plain rank order of two entries (negative: a first). */
  compare(a: number, b: number): number;
  tier(i: number): number;
  exact(i: number): number;
  score(i: number): number;
  doc(i: number): number;
  /** The clause unit of entry i, or -1. */
  unit(i: number): number;
}

/**
 * Reorders `ranked` (entries in plain rank order, at least the best POOL of them when there are
 * that many) into the diversified order. Pure.
 */
export function diversify(ranked: readonly number[], view: RankedView, penalties: DiversityPenalties = KEYWORD_DIVERSITY): number[] {
  const { docPenalty, docFree, unitPenalty } = penalties;
  const pool = ranked.slice(0, POOL);
  const size = pool.length;
  // The pool's facts in typed arrays, documents and units renumbered densely: the greedy loop
  // below runs DIVERSIFIED × POOL times and reads only these.
  const tier = new Int32Array(size);
  const score = new Float64Array(size);
  const docId = new Int32Array(size);
  const unitId = new Int32Array(size);
  const docs = new Map<number, number>();
  const units = new Map<number, number>();
  for (let k = 0; k < size; k++) {
    const i = pool[k]!;
    // Tier then exact count: one integer that orders like the pair (both are below 256).
    tier[k] = view.tier(i) * 256 + view.exact(i);
    score[k] = view.score(i);
    const d = view.doc(i);
    let dk = docs.get(d);
    if (dk === undefined) docs.set(d, (dk = docs.size));
    docId[k] = dk;
    const u = view.unit(i);
    let uk = u >= 0 ? units.get(u) : -1;
    if (uk === undefined) units.set(u, (uk = units.size));
    unitId[k] = uk;
  }
  const perDoc = new Int32Array(docs.size);
  const perUnit = new Int32Array(units.size);
  // Discount factors by count: docPenalty^max(0, k − docFree) and unitPenalty^k.
  const docFactor = Float64Array.from({ length: size + 1 }, (_, k) => docPenalty ** Math.max(0, k - docFree));
  const unitFactor = Float64Array.from({ length: size + 1 }, (_, k) => unitPenalty ** k);
  const discounted = (k: number) => score[k]! * docFactor[perDoc[docId[k]!]!]! * (unitId[k]! >= 0 ? unitFactor[perUnit[unitId[k]!]!]! : 1);
  // The greedy pick — the best untaken entry: the highest tier, then the highest discounted
  // score, the first in rank order on a tie — from a max-heap of entries keyed by the discounted
  // score they had when last computed. Discounts only grow as entries are picked, so a stale key
  // is never below the entry's current score: the top is re-keyed until its key is current, and
  // then it is the entry a scan of the whole pool would pick.
  const key = new Float64Array(size);
  const keyDocCount = new Int32Array(size);
  const keyUnitCount = new Int32Array(size);
  const heap = new Int32Array(size);
  // Entry a comes out before entry b.
  const before = (a: number, b: number) => tier[a]! > tier[b]! || (tier[a] === tier[b] && (key[a]! > key[b]! || (key[a] === key[b] && a < b)));
  const siftDown = (from: number, length: number) => {
    const top = heap[from]!;
    let i = from;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= length) break;
      if (c + 1 < length && before(heap[c + 1]!, heap[c]!)) c++;
      if (!before(heap[c]!, top)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = top;
  };
  for (let k = 0; k < size; k++) {
    key[k] = discounted(k);
    heap[k] = k;
  }
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i, size);
  let heapSize = size;
  const picked: number[] = [];
  const taken = new Uint8Array(size);
  const limit = Math.min(DIVERSIFIED, size);
  while (picked.length < limit) {
    const best = heap[0]!;
    const d = docId[best]!;
    const u = unitId[best]!;
    if (keyDocCount[best] !== perDoc[d] || (u >= 0 && keyUnitCount[best] !== perUnit[u])) {
      key[best] = discounted(best);
      keyDocCount[best] = perDoc[d]!;
      if (u >= 0) keyUnitCount[best] = perUnit[u]!;
      siftDown(0, heapSize);
      continue;
    }
    heap[0] = heap[--heapSize]!;
    siftDown(0, heapSize);
    taken[best] = 1;
    picked.push(pool[best]!);
    perDoc[d]!++;
    if (u >= 0) perUnit[u]!++;
  }
  const rest = pool.filter((_, k) => !taken[k]);
  return [...picked, ...rest, ...ranked.slice(POOL)];
}
