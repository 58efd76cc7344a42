import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIVERSIFIED, diversify, DOC_FREE, DOC_PENALTY, POOL, type RankedView, UNIT_PENALTY } from '../../src/search/diversify.js';

interface Entry {
  doc: number;
  score: number;
  tier?: number;
  exact?: number;
  unit?: number;
}

/** A RankedView over hand-built entries; entry i is result number i. */
function viewOf(entries: readonly Entry[]): RankedView {
  const at = (i: number) => entries[i]!;
  return {
    compare: (a, b) =>
      (at(b).tier ?? 0) - (at(a).tier ?? 0) || (at(b).exact ?? 0) - (at(a).exact ?? 0) || at(b).score - at(a).score || a - b,
    tier: (i) => at(i).tier ?? 0,
    exact: (i) => at(i).exact ?? 0,
    score: (i) => at(i).score,
    doc: (i) => at(i).doc,
    unit: (i) => at(i).unit ?? -1,
  };
}

/** The entries in plain rank order, as diversify receives them. */
function rankedOf(entries: readonly Entry[], view = viewOf(entries)): number[] {
  return entries.map((_, i) => i).sort((a, b) => view.compare(a, b));
}

function run(entries: readonly Entry[]): number[] {
  const view = viewOf(entries);
  return diversify(rankedOf(entries, view), view);
}

describe('diversify', () => {
  it('keeps the plain order when every result is from its own document', () => {
    const entries = [10, 9, 9, 8, 5, 1].map((score, doc) => ({ doc, score }));
    expect(run(entries)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('handles an empty or a one-entry list', () => {
    expect(diversify([], viewOf([]))).toEqual([]);
    expect(run([{ doc: 0, score: 1 }])).toEqual([0]);
  });

  describe('documents', () => {
    it(`lets ${DOC_FREE + 1} hits of a document through before discounting (k − DOC_FREE from k = DOC_FREE)`, () => {
      // Document 0 has five hits of score 10, document 1 one hit of 9. Hits k = 0..3 of document 0
      // count fully (DOC_PENALTY^0 at k = DOC_FREE); hit k = 4 counts 10 × 0.85 = 8.5 < 9.
      expect(DOC_FREE).toBe(3);
      const entries: Entry[] = [...Array.from({ length: 5 }, () => ({ doc: 0, score: 10 })), { doc: 1, score: 9 }];
      expect(run(entries)).toEqual([0, 1, 2, 3, 5, 4]);
      // With the other document at 8 (< 8.5) the plain order stands.
      entries[5] = { doc: 1, score: 8 };
      expect(run(entries)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('discounts each further hit of a document once more', () => {
      // Hits k = 4, 5, 6 of document 0 count 10 × 0.85, 10 × 0.85², 10 × 0.85³ (8.5, 7.225, 6.14);
      // the other documents' hits (8, 7, 6.5) slot in between.
      const entries: Entry[] = [
        ...Array.from({ length: 7 }, () => ({ doc: 0, score: 10 })),
        { doc: 1, score: 8 },
        { doc: 2, score: 7 },
        { doc: 3, score: 6.5 },
      ];
      expect(10 * DOC_PENALTY ** 2).toBeGreaterThan(7);
      expect(10 * DOC_PENALTY ** 3).toBeLessThan(6.5);
      expect(run(entries)).toEqual([0, 1, 2, 3, 4, 7, 5, 8, 9, 6]);
    });

    it('does not let one long document fill the top', () => {
      // A law of 50 matching paragraphs, all scoring higher than ten other documents' best.
      const entries: Entry[] = [
        ...Array.from({ length: 50 }, (_, k) => ({ doc: 0, score: 10 - k * 0.01 })),
        ...Array.from({ length: 10 }, (_, d) => ({ doc: d + 1, score: 9 })),
      ];
      const ranked = rankedOf(entries);
      // Without diversity the top 50 would be document 0 alone.
      expect(ranked.slice(0, 50).every((i) => entries[i]!.doc === 0)).toBe(true);
      const out = run(entries);
      const top = out.slice(0, 10);
      expect(top.filter((i) => entries[i]!.doc === 0)).toEqual([0, 1, 2, 3]);
      expect(new Set(top.map((i) => entries[i]!.doc)).size).toBe(7);
      // All ten other documents appear within the first 14 results.
      expect(new Set(out.slice(0, 14).map((i) => entries[i]!.doc))).toEqual(new Set(Array.from({ length: 11 }, (_, d) => d)));
    });
  });

  describe('clause units', () => {
    it('discounts a unit from its second hit on', () => {
      // Article 7 has hits of 10 and 9, article 8 one of 7: 9 × 0.6 = 5.4 < 7, so article 8
      // comes before the article's second paragraph (all in one document, within DOC_FREE).
      const entries: Entry[] = [
        { doc: 0, score: 10, unit: 7 },
        { doc: 0, score: 9, unit: 7 },
        { doc: 0, score: 7, unit: 8 },
      ];
      expect(run(entries)).toEqual([0, 2, 1]);
    });

    it('multiplies by UNIT_PENALTY per earlier hit of the unit', () => {
      // Three paragraphs of one article at 10 and three other articles' paragraphs at 5.9, 3.5, 2:
      // the article's hits count 10, 6, 3.6.
      const entries: Entry[] = [
        { doc: 0, score: 10, unit: 1 },
        { doc: 1, score: 10, unit: 1 },
        { doc: 2, score: 10, unit: 1 },
        { doc: 3, score: 5.9, unit: 2 },
        { doc: 4, score: 3.5, unit: 3 },
        { doc: 5, score: 2, unit: 4 },
      ];
      expect(10 * UNIT_PENALTY ** 2).toBeCloseTo(3.6);
      expect(run(entries)).toEqual([0, 1, 3, 2, 4, 5]);
    });

    it('does not discount paragraphs outside any unit (-1) as one unit', () => {
      const entries: Entry[] = [
        { doc: 0, score: 10 },
        { doc: 1, score: 9 },
        { doc: 2, score: 8 },
        { doc: 3, score: 7, unit: 5 },
      ];
      expect(run(entries)).toEqual([0, 1, 2, 3]);
    });
  });

  describe('ties and tiers', () => {
    it('breaks a tie of discounted scores by the plain order', () => {
      // After article 1's first hit its second counts 10 × 0.6, exactly the other article's score:
      // the one ranked first stays first.
      const tie = 10 * UNIT_PENALTY;
      const entries: Entry[] = [
        { doc: 0, score: 10, unit: 1 },
        { doc: 0, score: 10, unit: 1 },
        { doc: 1, score: tie, unit: 2 },
      ];
      expect(run(entries)).toEqual([0, 1, 2]);
      // Equal plain scores everywhere: the input order is kept.
      const flat = Array.from({ length: 6 }, (_, i) => ({ doc: i % 3, score: 1 }));
      expect(run(flat)).toEqual(rankedOf(flat));
    });

    it('never moves a result above one of a higher tier', () => {
      // Eight hits of one document in tier 2 (all query terms) with a low score, then other
      // documents in tier 1 with much higher scores: discounts never reach across tiers.
      const entries: Entry[] = [
        ...Array.from({ length: 8 }, () => ({ doc: 0, score: 1, tier: 2, unit: 3 })),
        { doc: 1, score: 100, tier: 1 },
        { doc: 2, score: 90, tier: 1 },
      ];
      expect(run(entries)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('never moves a result above one with a higher exact count in the same tier', () => {
      const entries: Entry[] = [
        ...Array.from({ length: 6 }, () => ({ doc: 0, score: 1, tier: 1, exact: 2 })),
        { doc: 1, score: 50, tier: 1, exact: 1 },
        { doc: 2, score: 40, tier: 1, exact: 0 },
      ];
      expect(run(entries)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it('diversifies within a tier', () => {
      // Tier 2 of document 0 (6 hits) and document 1 (1 hit), then tier 1.
      const entries: Entry[] = [
        ...Array.from({ length: 6 }, () => ({ doc: 0, score: 10, tier: 2 })),
        { doc: 1, score: 9, tier: 2 },
        { doc: 2, score: 50, tier: 1 },
      ];
      expect(run(entries)).toEqual([0, 1, 2, 3, 6, 4, 5, 7]);
    });
  });

  describe('pool and purity', () => {
    /** Random entries: few documents and units so that discounts matter. */
    const entriesArb = fc.array(
      fc.record({
        doc: fc.nat({ max: 6 }),
        score: fc.double({ min: 0, max: 100, noNaN: true }),
        tier: fc.nat({ max: 2 }),
        exact: fc.nat({ max: 2 }),
        unit: fc.integer({ min: -1, max: 5 }),
      }),
      { maxLength: 400, size: 'large' },
    );

    it('returns a permutation of its input', () => {
      fc.assert(
        fc.property(entriesArb, (entries) => {
          const out = run(entries);
          expect(out).toHaveLength(entries.length);
          expect([...out].sort((a, b) => a - b)).toEqual(entries.map((_, i) => i));
        }),
        { seed: 17, numRuns: 100 },
      );
    });

    it('keeps tiers and exact counts in order, and the plain order after the diversified head', () => {
      fc.assert(
        fc.property(entriesArb, (entries) => {
          const view = viewOf(entries);
          const ranked = rankedOf(entries, view);
          const out = diversify(ranked, view);
          const head = out.slice(0, DIVERSIFIED);
          for (let k = 1; k < head.length; k++) {
            const a = head[k - 1]!;
            const b = head[k]!;
            expect(view.tier(a) - view.tier(b) || view.exact(a) - view.exact(b)).toBeGreaterThanOrEqual(0);
          }
          // The rest of the pool keeps the plain order; results beyond the pool stay where they were.
          const picked = new Set(head);
          expect(out.slice(DIVERSIFIED, POOL)).toEqual(ranked.slice(0, POOL).filter((i) => !picked.has(i)));
          expect(out.slice(POOL)).toEqual(ranked.slice(POOL));
        }),
        { seed: 23, numRuns: 100 },
      );
    });

    it('picks what a scan of the whole pool for every pick would (the specification)', () => {
      /** The greedy rule written plainly: each pick scans the pool for the best discounted entry. */
      const reference = (ranked: readonly number[], view: RankedView): number[] => {
        const pool = ranked.slice(0, POOL);
        const perDoc = new Map<number, number>();
        const perUnit = new Map<number, number>();
        const taken = new Set<number>();
        const picked: number[] = [];
        while (picked.length < Math.min(DIVERSIFIED, pool.length)) {
          let best = -1;
          let bestKey: [number, number] = [-1, -Infinity];
          for (let k = 0; k < pool.length; k++) {
            if (taken.has(k)) continue;
            const i = pool[k]!;
            const t = view.tier(i) * 256 + view.exact(i);
            const u = view.unit(i);
            const s = view.score(i) * DOC_PENALTY ** Math.max(0, (perDoc.get(view.doc(i)) ?? 0) - DOC_FREE) * (u >= 0 ? UNIT_PENALTY ** (perUnit.get(u) ?? 0) : 1);
            if (t > bestKey[0] || (t === bestKey[0] && s > bestKey[1])) [best, bestKey] = [k, [t, s]];
          }
          taken.add(best);
          const i = pool[best]!;
          picked.push(i);
          perDoc.set(view.doc(i), (perDoc.get(view.doc(i)) ?? 0) + 1);
          if (view.unit(i) >= 0) perUnit.set(view.unit(i), (perUnit.get(view.unit(i)) ?? 0) + 1);
        }
        return [...picked, ...pool.filter((_, k) => !taken.has(k)), ...ranked.slice(POOL)];
      };
      // Ties included: scores drawn from a few values, so equal discounted scores occur.
      const tiedArb = fc.array(
        fc.record({
          doc: fc.nat({ max: 6 }),
          score: fc.constantFrom(1, 2, 4, 8, 10, 0),
          tier: fc.nat({ max: 2 }),
          exact: fc.nat({ max: 2 }),
          unit: fc.integer({ min: -1, max: 5 }),
        }),
        { maxLength: 400, size: 'large' },
      );
      for (const arb of [entriesArb, tiedArb]) {
        fc.assert(
          fc.property(arb, (entries) => {
            const view = viewOf(entries);
            const ranked = rankedOf(entries, view);
            expect(diversify(ranked, view)).toEqual(reference(ranked, view));
          }),
          { seed: 29, numRuns: 150 },
        );
      }
    });

    it('leaves results beyond the pool untouched', () => {
      // 400 hits of one document: the first POOL are reordered among themselves only.
      const entries: Entry[] = Array.from({ length: 400 }, (_, k) => ({ doc: k % 2, score: 1000 - k, unit: k % 7 }));
      const out = run(entries);
      expect(out.slice(POOL)).toEqual(Array.from({ length: 400 - POOL }, (_, k) => POOL + k));
      expect(out.slice(0, POOL).every((i) => i < POOL)).toBe(true);
    });

    it('is pure: same input, same output, input untouched', () => {
      const entries: Entry[] = [
        ...Array.from({ length: 8 }, (_, k) => ({ doc: 0, score: 10 - k * 0.1, unit: k % 2 })),
        ...Array.from({ length: 5 }, (_, d) => ({ doc: d + 1, score: 8 })),
      ];
      const view = viewOf(entries);
      const ranked = rankedOf(entries, view);
      const copy = [...ranked];
      const first = diversify(ranked, view);
      expect(ranked).toEqual(copy);
      expect(first).not.toBe(ranked);
      expect(diversify(ranked, view)).toEqual(first);
      // A second call on the same view is not affected by the first one's per-document counts.
      expect(diversify(copy, viewOf(entries))).toEqual(first);
      expect(first).not.toEqual(ranked);
    });
  });
});
