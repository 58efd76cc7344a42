import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topK } from '../../src/search/service.js';

describe('topK', () => {
  it('equals sorting and slicing, for random lists large and small', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 6000 }), fc.integer({ min: 0, max: 120 }), (xs, k) => {
        const cmp = (a: number, b: number) => b - a;
        expect(topK(xs, k, cmp)).toEqual([...xs].sort(cmp).slice(0, k));
      }),
      { seed: 7, numRuns: 60 },
    );
  });
});
