/**
 * The ranker's lean loop for one-word queries (tf from the gram postings, typed arrays) must rank
 * exactly as the general loop does: same matches, same tiers, same scores, on the seeds.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { ALLOW_ALL, Ranker, type RankedList } from '../../src/search/engine.js';
import { parseQuery } from '../../src/search/query.js';
import { seedIndex } from '../helpers/seeds.js';

const rows = (r: RankedList) => Array.from({ length: r.length }, (_, i) => r.at(i));

describe('Ranker fast path', () => {
  it.each([
    '"的"', '公', '"公开"', '开公', '"政务公开"', '政务公开', '"2020年9月底前"', '目录', '"(一)"', '县府办', '"。"', '"公公"', '鹿城',
  ])('%s ranks identically with and without the fast path', async (q) => {
    const { built } = await seedIndex();
    const fast = new Ranker(built);
    const general = new Ranker(built, { fastPaths: false });
    const parsed = parseQuery(q, DEFAULT_LIMITS.maxQueryTerms);
    const a = rows(fast.rank(parsed, ALLOW_ALL));
    const b = rows(general.rank(parsed, ALLOW_ALL));
    expect(a.map((x) => [x.n, x.tier, x.exact])).toEqual(b.map((x) => [x.n, x.tier, x.exact]));
    a.forEach((x, i) => expect(x.score).toBeCloseTo(b[i]!.score, 9));
  });
});
