/**
 * The typed-array gram postings: built lists equal a naive "which paragraphs hold this gram",
 * and the galloping intersection equals a set intersection, on seed text and on edge cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charGrams, gramKey } from '../../src/analysis/analyzer.js';
import { GramPostings, intersectAscending } from '../../src/indexing/gram-postings.js';
import { seedIndex } from '../helpers/seeds.js';

describe('GramPostings', () => {
  it('lists, for every gram of the seeds, exactly the paragraphs whose text holds it', async () => {
    const { built } = await seedIndex();
    const texts = built.index.normalized;
    const postings = GramPostings.build(texts.length, (n) => texts[n]!);
    const expected = new Map<number, number[]>();
    texts.forEach((t, n) => {
      for (const g of charGrams(t)) {
        const k = gramKey(g);
        if (!expected.has(k)) expected.set(k, []);
        expected.get(k)!.push(n);
      }
    });
    expect(postings.size).toBe(expected.size);
    for (const [k, list] of expected) expect([...postings.list(k)]).toEqual(list);
    // Occurrence counts, parallel to the lists: for single characters, the count in the text.
    for (const ch of ['公', '的', '开', '(']) {
      const counts = [...postings.frequencies(gramKey(ch))];
      const lists = [...postings.list(gramKey(ch))];
      expect(counts).toEqual(lists.map((n) => Math.min(255, Array.from(texts[n]!).filter((c) => c === ch).length)));
    }
    expect(postings.list(gramKey('𠀀')).length).toBe(0);
  });

  it('handles no paragraphs and empty paragraphs', () => {
    expect(GramPostings.build(0, () => '').size).toBe(0);
    const p = GramPostings.build(3, (n) => ['', '公开', ''][n]!);
    expect([...p.list(gramKey('公开'))]).toEqual([1]);
    expect([...p.list(gramKey('公'))]).toEqual([1]);
    expect([...p.frequencies(gramKey('公'))]).toEqual([1]);
    const many = GramPostings.build(1, () => '公'.repeat(300) + '开开');
    expect([...many.frequencies(gramKey('公'))]).toEqual([255]); // saturates
    expect([...many.frequencies(gramKey('公公'))]).toEqual([255]);
    expect([...many.frequencies(gramKey('开开'))]).toEqual([1]);
  });

  it('rejects arrays that disagree', () => {
    expect(() => new GramPostings(new Float64Array([1]), new Uint32Array([0, 2]), new Uint32Array(1), new Uint8Array(1))).toThrow();
  });
});

describe('intersectAscending', () => {
  const longList = Array.from({ length: 5001 }, (_, i) => i * 20); // 0 … 100000
  it.each([
    ['both empty', [], [], []],
    ['one empty', [1, 2, 3], [], []],
    ['interleaved', [1, 3, 5, 7], [2, 3, 4, 7, 9], [3, 7]],
    ['one in a run', [5], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], [5]],
    ['gallops to both ends', [0, 100000], longList, [0, 100000]],
    ['gallops past the end', [7, 100001], longList, []],
  ])('%s', (_label, a, b, expected) => {
    expect([...intersectAscending(Uint32Array.from(a), Uint32Array.from(b))]).toEqual(expected);
    expect([...intersectAscending(Uint32Array.from(b), Uint32Array.from(a))]).toEqual(expected);
  });

  it('equals a set intersection on random ascending lists (fixed seed)', () => {
    const list = fc.uniqueArray(fc.integer({ min: 0, max: 3000 }), { maxLength: 400 }).map((xs) => Uint32Array.from(xs.sort((x, y) => x - y)));
    fc.assert(
      fc.property(list, list, (a, b) => {
        const set = new Set(b);
        expect([...intersectAscending(a, b)]).toEqual([...a].filter((x) => set.has(x)));
      }),
      { seed: 20201130, numRuns: 500 },
    );
  });
});
