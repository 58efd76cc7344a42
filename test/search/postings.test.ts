import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_POSTINGS, PostingCursor, unionAscending } from '../../src/search/postings.js';

const u32 = (xs: number[]) => Uint32Array.from(xs);

/** Ascending distinct paragraph numbers. */
const ascending = (max: number, maxLength: number) =>
  fc.uniqueArray(fc.integer({ min: 0, max }), { maxLength }).map((xs) => xs.sort((a, b) => a - b));

describe('PostingCursor', () => {
  it('reports its length and exposes the list unchanged', () => {
    const list = u32([2, 5, 9]);
    const c = new PostingCursor(list);
    expect(c.length).toBe(3);
    expect(c.list).toBe(list);
    expect(c.tfs).toBeNull();
    expect(new PostingCursor(EMPTY_POSTINGS).length).toBe(0);
  });

  it('seek is true exactly for listed paragraphs, walking ascending', () => {
    const c = new PostingCursor(u32([2, 5, 9, 14, 20]));
    expect([0, 1, 2, 3, 5, 6, 9, 13, 14, 15, 20, 21, 100].map((n) => [n, c.seek(n)])).toEqual([
      [0, false],
      [1, false],
      [2, true],
      [3, false],
      [5, true],
      [6, false],
      [9, true],
      [13, false],
      [14, true],
      [15, false],
      [20, true],
      [21, false],
      [100, false],
    ]);
  });

  it('seek on an empty list is always false', () => {
    const c = new PostingCursor(EMPTY_POSTINGS);
    expect(c.seek(0)).toBe(false);
    expect(c.seek(7)).toBe(false);
    expect(c.tf()).toBe(-1);
  });

  it('stays on the first entry ≥ n (tf shows the position)', () => {
    // tfs[i] = i + 1 makes tf() reveal where the cursor stands.
    const c = new PostingCursor(u32([10, 20, 30, 40]), Uint8Array.from([1, 2, 3, 4]));
    expect(c.seek(15)).toBe(false);
    expect(c.tf()).toBe(2); // on 20
    expect(c.seek(20)).toBe(true);
    expect(c.tf()).toBe(2);
    expect(c.seek(31)).toBe(false);
    expect(c.tf()).toBe(4); // on 40
  });

  it('never moves backwards: seeking a smaller number answers for the current entry', () => {
    const c = new PostingCursor(u32([10, 20, 30]), Uint8Array.from([1, 2, 3]));
    expect(c.seek(25)).toBe(false);
    expect(c.tf()).toBe(3); // on 30
    expect(c.seek(10)).toBe(false); // 10 is listed but behind the cursor
    expect(c.seek(30)).toBe(true);
  });

  it('reset starts a new ascending walk', () => {
    const c = new PostingCursor(u32([10, 20, 30]), Uint8Array.from([1, 2, 3]));
    expect(c.seek(30)).toBe(true);
    c.reset();
    expect(c.tf()).toBe(1);
    expect(c.seek(10)).toBe(true);
    expect(c.seek(20)).toBe(true);
  });

  it('gallops over long lists to the right entry', () => {
    const list = Uint32Array.from({ length: 100_000 }, (_, i) => i * 3);
    const c = new PostingCursor(list);
    expect(c.seek(1)).toBe(false);
    expect(c.seek(3)).toBe(true);
    expect(c.seek(299_997)).toBe(true); // the last entry
    expect(c.seek(299_998)).toBe(false); // past the end
    c.reset();
    expect(c.seek(150_000)).toBe(true);
    expect(c.seek(150_001)).toBe(false);
    expect(c.seek(150_003)).toBe(true);
  });

  it('tf and tfAt: the stored count, -1 when unknown or saturated (255)', () => {
    const c = new PostingCursor(u32([1, 4, 8]), Uint8Array.from([3, 255, 1]));
    expect(c.tf()).toBe(3);
    expect(c.seek(4)).toBe(true);
    expect(c.tf()).toBe(-1);
    expect(c.seek(8)).toBe(true);
    expect(c.tf()).toBe(1);
    expect([0, 1, 2].map((i) => c.tfAt(i))).toEqual([3, -1, 1]);
    // Without counts every answer is -1.
    const bare = new PostingCursor(u32([1, 4, 8]));
    expect(bare.seek(4)).toBe(true);
    expect(bare.tf()).toBe(-1);
    expect(bare.tfAt(0)).toBe(-1);
  });

  it('does not mutate the list', () => {
    const list = u32([1, 3, 5, 7]);
    const c = new PostingCursor(list, Uint8Array.from([1, 1, 1, 1]));
    c.seek(4);
    c.seek(7);
    c.reset();
    expect(Array.from(list)).toEqual([1, 3, 5, 7]);
  });

  it('agrees with a linear scan for any ascending walk', () => {
    fc.assert(
      fc.property(ascending(2000, 300), ascending(2100, 100), (xs, probes) => {
        const c = new PostingCursor(u32(xs), Uint8Array.from(xs, (_, i) => (i % 250) + 1));
        for (const n of probes) {
          const at = xs.findIndex((x) => x >= n);
          expect(c.seek(n)).toBe(xs.includes(n));
          // The cursor stands on the first entry ≥ n (tf is only read there, not past the end).
          if (at >= 0) expect(c.tf()).toBe((at % 250) + 1);
        }
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe('unionAscending', () => {
  it('merges, sorts numerically and removes duplicates', () => {
    expect(Array.from(unionAscending([u32([1, 5, 9]), u32([2, 5, 10]), u32([9, 100])]))).toEqual([1, 2, 5, 9, 10, 100]);
    // Numeric order, not string order (100 after 20), beyond 2^31 too.
    expect(Array.from(unionAscending([u32([3, 100, 4_000_000_000]), u32([20, 2_147_483_648])]))).toEqual([
      3, 20, 100, 2_147_483_648, 4_000_000_000,
    ]);
  });

  it('returns EMPTY_POSTINGS when every list is empty', () => {
    expect(unionAscending([])).toBe(EMPTY_POSTINGS);
    expect(unionAscending([EMPTY_POSTINGS, new Uint32Array(0)])).toBe(EMPTY_POSTINGS);
    expect(EMPTY_POSTINGS.length).toBe(0);
  });

  it('returns the only non-empty list itself, without copying', () => {
    const only = u32([4, 8, 15]);
    expect(unionAscending([EMPTY_POSTINGS, only, new Uint32Array(0)])).toBe(only);
    expect(unionAscending([only])).toBe(only);
  });

  it('does not mutate its inputs', () => {
    const a = u32([1, 7]);
    const b = u32([3, 7, 9]);
    const out = unionAscending([a, b]);
    expect(Array.from(out)).toEqual([1, 3, 7, 9]);
    expect(Array.from(a)).toEqual([1, 7]);
    expect(Array.from(b)).toEqual([3, 7, 9]);
    expect(out).not.toBe(a);
    expect(out).not.toBe(b);
  });

  it('equals the sorted set union for random lists', () => {
    fc.assert(
      fc.property(fc.array(ascending(500, 60), { maxLength: 6 }), (lists) => {
        const expected = [...new Set(lists.flat())].sort((a, b) => a - b);
        expect(Array.from(unionAscending(lists.map(u32)))).toEqual(expected);
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});
