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
  const picked: number[] = [];
  const taken = new Uint8Array(pool.length);
  const perDoc = new Map<number, number>();
  const perUnit = new Map<number, number>();
  const discounted = (i: number) => {
    const d = perDoc.get(view.doc(i)) ?? 0;
    const u = view.unit(i);
    return view.score(i) * docPenalty ** Math.max(0, d - docFree) * (u >= 0 ? unitPenalty ** (perUnit.get(u) ?? 0) : 1);
  };
  const limit = Math.min(DIVERSIFIED, pool.length);
  while (picked.length < limit) {
    let best = -1;
    let bestScore = -Infinity;
    for (let k = 0; k < pool.length; k++) {
      if (taken[k]) continue;
      const i = pool[k]!;
      if (best !== -1) {
        const b = pool[best]!;
        const byTier = view.tier(i) - view.tier(b) || view.exact(i) - view.exact(b);
        if (byTier < 0) continue;
        if (byTier === 0) {
          const s = discounted(i);
          if (s <= bestScore) continue;
          best = k;
          bestScore = s;
          continue;
        }
      }
      best = k;
      bestScore = discounted(i);
    }
    taken[best] = 1;
    const i = pool[best]!;
    picked.push(i);
    perDoc.set(view.doc(i), (perDoc.get(view.doc(i)) ?? 0) + 1);
    const u = view.unit(i);
    if (u >= 0) perUnit.set(u, (perUnit.get(u) ?? 0) + 1);
  }
  const rest = pool.filter((_, k) => !taken[k]);
  return [...picked, ...rest, ...ranked.slice(POOL)];
}
