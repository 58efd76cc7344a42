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
  const picked: number[] = [];
  const taken = new Uint8Array(size);
  const limit = Math.min(DIVERSIFIED, size);
  while (picked.length < limit) {
    // The best untaken entry: the highest tier, then the highest discounted score, the first
    // in rank order on a tie.
    let best = -1;
    let bestTier = -1;
    let bestScore = -Infinity;
    for (let k = 0; k < size; k++) {
      if (taken[k]) continue;
      const t = tier[k]!;
      if (t < bestTier) continue;
      const s = discounted(k);
      if (t === bestTier && s <= bestScore) continue;
      best = k;
      bestTier = t;
      bestScore = s;
    }
    taken[best] = 1;
    picked.push(pool[best]!);
    perDoc[docId[best]!]!++;
    if (unitId[best]! >= 0) perUnit[unitId[best]!]!++;
  }
  const rest = pool.filter((_, k) => !taken[k]);
  return [...picked, ...rest, ...ranked.slice(POOL)];
}
