import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clauseUnits, contextOf, enclosedBy, enclosingOnly, forEachEnclosedRange, scopeEnds } from '../../src/search/context.js';
import { EMPTY_POSTINGS } from '../../src/search/postings.js';

/**
 * A small document, one paragraph per line, with its section parents:
 *
 *   0  关于印发某某办法的通知            (title, no parent)
 *   1  一、总则                          (heading)
 *   2    第一条 ……                       (clause under 一、)
 *   3      （一）……                      (item of 第一条)
 *   4      （二）……                      (item of 第一条)
 *   5      第一条的后一段                 (continuation paragraph of 第一条)
 *   6    第二条 ……                       (clause under 一、)
 *   7  二、附则                          (heading)
 *   8    第三条 ……                       (clause under 二、)
 *   9    附件说明                         (plain paragraph under 二、)
 */
const PARENTS = Int32Array.from([-1, -1, 1, 2, 2, 2, 1, -1, 7, 7]);
const CLAUSES = new Set([2, 6, 8]);
const isClause = (n: number) => CLAUSES.has(n);
const u32 = (xs: number[]) => Uint32Array.from(xs);
const arr = (xs: ArrayLike<number>) => Array.from(xs);

describe('scopeEnds', () => {
  it('gives one past the last paragraph each heading encloses', () => {
    expect(arr(scopeEnds(PARENTS))).toEqual([1, 7, 6, 4, 5, 6, 7, 10, 9, 10]);
  });

  it('is n + 1 for every paragraph of a flat document', () => {
    expect(arr(scopeEnds(Int32Array.from([-1, -1, -1])))).toEqual([1, 2, 3]);
    expect(arr(scopeEnds(new Int32Array(0)))).toEqual([]);
  });
});

describe('enclosedBy', () => {
  const ends = scopeEnds(PARENTS);

  it.each<[number[], number[]]>([
    // A section heading encloses its clauses with their items.
    [[1], [2, 3, 4, 5, 6]],
    // An article encloses its items and continuation paragraph.
    [[2], [3, 4, 5]],
    // A head enclosed by another head is listed; overlapping scopes are merged.
    [[1, 2], [2, 3, 4, 5, 6]],
    [[2, 7], [3, 4, 5, 8, 9]],
    [[2, 6, 7], [3, 4, 5, 8, 9]],
  ])('heads %j → %j', (heads, expected) => {
    expect(arr(enclosedBy(u32(heads), ends))).toEqual(expected);
  });

  it('returns EMPTY_POSTINGS when no head encloses anything', () => {
    expect(enclosedBy(u32([0, 3, 9]), ends)).toBe(EMPTY_POSTINGS);
    expect(enclosedBy(EMPTY_POSTINGS, ends)).toBe(EMPTY_POSTINGS);
  });
});

describe('forEachEnclosedRange', () => {
  const ends = scopeEnds(PARENTS);
  const ranges = (heads: number[]) => {
    const out: Array<[number, number]> = [];
    forEachEnclosedRange(u32(heads), ends, (from, to) => out.push([from, to]));
    return out;
  };

  it('calls back with disjoint ascending [from, to) ranges', () => {
    expect(ranges([1])).toEqual([[2, 7]]);
    expect(ranges([2, 7])).toEqual([
      [3, 6],
      [8, 10],
    ]);
    // 2's scope lies inside 1's: one range only.
    expect(ranges([1, 2])).toEqual([[2, 7]]);
    // Leaves enclose nothing: no call.
    expect(ranges([0, 3, 9])).toEqual([]);
  });

  it('covers exactly the paragraphs enclosedBy lists', () => {
    for (const heads of [[1], [2], [1, 2], [2, 7], [0, 2, 3, 6, 7, 8], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
      const listed: number[] = [];
      for (const [from, to] of ranges(heads)) for (let n = from; n < to; n++) listed.push(n);
      expect(listed).toEqual(arr(enclosedBy(u32(heads), ends)));
    }
  });
});

describe('enclosingOnly', () => {
  const ends = scopeEnds(PARENTS);

  it('keeps the heads that enclose another paragraph', () => {
    expect(arr(enclosingOnly(u32([0, 1, 3, 7, 9]), ends))).toEqual([1, 7]);
    expect(arr(enclosingOnly(u32([0, 3, 4, 5, 9]), ends))).toEqual([]);
  });

  it('returns the list itself when every head encloses something', () => {
    const heads = u32([1, 2, 7]);
    expect(enclosingOnly(heads, ends)).toBe(heads);
  });
});

describe('clauseUnits', () => {
  it('maps every paragraph to its outermost clause, or -1', () => {
    // Items (3, 4) and the continuation (5) belong to 第一条 (2); headings and the title to none;
    // a plain paragraph under a heading (9) to none.
    expect(arr(clauseUnits(PARENTS, isClause))).toEqual([-1, -1, 2, 2, 2, 2, 6, -1, 8, -1]);
  });

  it('keeps the outer clause for a clause nested inside another', () => {
    // Item 3 also counts as a clause, but it lies inside 第一条: its unit is still 2.
    expect(arr(clauseUnits(PARENTS, (n) => n === 2 || n === 3))).toEqual([-1, -1, 2, 2, 2, 2, -1, -1, -1, -1]);
  });

  it('is all -1 without clauses', () => {
    expect(arr(clauseUnits(PARENTS, () => false))).toEqual(new Array(10).fill(-1));
  });
});

describe('contextOf', () => {
  const ends = scopeEnds(PARENTS);
  const units = clauseUnits(PARENTS, isClause);
  const ctx = (list: number[]) => arr(contextOf(u32(list), ends, units));

  it.each<[number[], number[]]>([
    // A section heading: what it encloses.
    [[1], [2, 3, 4, 5, 6]],
    [[7], [8, 9]],
    // An item: its whole article (the article, its items, its continuation).
    [[3], [2, 3, 4, 5]],
    [[5], [2, 3, 4, 5]],
    // Two items of one article: the article once.
    [[3, 4], [2, 3, 4, 5]],
    // The article itself: its unit and its scope, merged.
    [[2], [2, 3, 4, 5]],
    // An article and one of its items: ranges come out of order and are merged.
    [[2, 3], [2, 3, 4, 5]],
    // An article without items: just itself.
    [[6], [6]],
    // Paragraphs of different units and sections.
    [[5, 8], [2, 3, 4, 5, 8]],
    [[4, 7], [2, 3, 4, 5, 8, 9]],
    [[1, 8], [2, 3, 4, 5, 6, 8]],
  ])('%j → %j', (list, expected) => {
    expect(ctx(list)).toEqual(expected);
  });

  it('returns EMPTY_POSTINGS when the paragraphs have no context', () => {
    // The title and a plain paragraph enclose nothing and belong to no clause.
    expect(contextOf(u32([0, 9]), ends, units)).toBe(EMPTY_POSTINGS);
    expect(contextOf(EMPTY_POSTINGS, ends, units)).toBe(EMPTY_POSTINGS);
  });
});

/**
 * Random section trees laid out in reading order: each paragraph's parent is -1 or one of the
 * open sections (the chain of the previous paragraph), so every scope is contiguous.
 */
const treeOf = (lengths: { minLength?: number; maxLength: number }) =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }).map((k) => k === 0), fc.boolean()), { ...lengths, size: 'large' }).map((steps) => {
    const parents: number[] = [];
    const clause: boolean[] = [];
    let open: number[] = [];
    steps.forEach(([pick, top, isCl], n) => {
      const p = top || open.length === 0 ? -1 : open[pick % open.length]!;
      parents.push(p);
      clause.push(isCl);
      open = p === -1 ? [n] : [...open.slice(0, open.indexOf(p) + 1), n];
    });
    return { parents: Int32Array.from(parents), clause };
  });
const tree = treeOf({ maxLength: 60 });

/** Brute force: whether a is a proper ancestor of n. */
const ancestorOf = (parents: Int32Array, a: number, n: number) => {
  for (let p = parents[n]!; p >= 0; p = parents[p]!) if (p === a) return true;
  return false;
};

describe('context on random section trees', () => {
  const subset = (size: number, picks: boolean[]) => Array.from({ length: size }, (_, n) => n).filter((n) => picks[n]);

  it('enclosedBy, forEachEnclosedRange and enclosingOnly agree with the parent chains', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.boolean(), { maxLength: 60, size: 'large' }), ({ parents }, picks) => {
        const size = parents.length;
        const ends = scopeEnds(parents);
        const heads = subset(size, picks);
        const expected = Array.from({ length: size }, (_, n) => n).filter((n) => heads.some((h) => ancestorOf(parents, h, n)));
        expect(arr(enclosedBy(u32(heads), ends))).toEqual(expected);
        const viaRanges: number[] = [];
        let last = -1;
        forEachEnclosedRange(u32(heads), ends, (from, to) => {
          expect(from).toBeGreaterThan(last);
          expect(to).toBeGreaterThan(from);
          for (let n = from; n < to; n++) viaRanges.push(n);
          last = to - 1;
        });
        expect(viaRanges).toEqual(expected);
        expect(arr(enclosingOnly(u32(heads), ends))).toEqual(heads.filter((h) => parents.some((_, n) => ancestorOf(parents, h, n))));
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('contextOf is the enclosed paragraphs plus the whole clause units', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.boolean(), { maxLength: 60, size: 'large' }), ({ parents, clause }, picks) => {
        const size = parents.length;
        const ends = scopeEnds(parents);
        const units = clauseUnits(parents, (n) => clause[n]!);
        // Units, brute force: the outermost clause among the paragraph and its ancestors.
        for (let n = 0; n < size; n++) {
          let outer = clause[n] ? n : -1;
          for (let p = parents[n]!; p >= 0; p = parents[p]!) if (clause[p]) outer = p;
          expect(units[n]).toBe(outer);
        }
        const list = subset(size, picks);
        const expected = Array.from({ length: size }, (_, m) => m).filter((m) =>
          list.some((n) => ancestorOf(parents, n, m) || (units[n]! >= 0 && units[m] === units[n])),
        );
        expect(arr(contextOf(u32(list), ends, units))).toEqual(expected);
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  // Long lists (a common word's paragraphs; here from 512 on) take the difference-array path: the
  // same answer as the union of the short lists' answers, which the test above checks by brute force.
  const bigTree = treeOf({ minLength: 800, maxLength: 1500 });

  it('contextOf of a long list is the union of its pieces’ contexts', () => {
    fc.assert(
      fc.property(bigTree, fc.integer({ min: 3, max: 5 }), ({ parents, clause }, every) => {
        const ends = scopeEnds(parents);
        const units = clauseUnits(parents, (n) => clause[n]!);
        const list = Array.from({ length: parents.length }, (_, n) => n).filter((n) => n % every !== 1);
        expect(list.length).toBeGreaterThanOrEqual(512);
        const union = new Set<number>();
        for (let k = 0; k < list.length; k += 100) for (const m of contextOf(u32(list.slice(k, k + 100)), ends, units)) union.add(m);
        expect(arr(contextOf(u32(list), ends, units, 512))).toEqual([...union].sort((a, b) => a - b));
        // Called twice: the difference array was left zeroed.
        expect(arr(contextOf(u32(list), ends, units, 512))).toEqual([...union].sort((a, b) => a - b));
      }),
      { seed: 5, numRuns: 40 },
    );
  });
});
