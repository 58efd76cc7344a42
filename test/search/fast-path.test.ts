/**
 * The ranker's lean paths — the single-term loop straight over the postings (one quoted phrase, or
 * a word nothing but text matches), the loop for one-word queries and the cursor path for
 * one-word terms of longer queries (tf from the gram postings, no text scan) — must rank exactly
 * as the general loop does: same matches, same tiers, same scores, on the seeds.
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
    // Several clauses: one-word terms take the cursor path, the others the text path.
    '政务公开 目录', '公开 "2020年" 县府办', '权责清单 OR 权力清单', '依申请公开 办理质效', '天台 标准目录', '决策公开 2021',
    '政府 信息 公开 平台', '-鹿城 目录 公开', '人大代表建议 政协委员提案',
    // One term with an exclusion: the single-term loop filters as the general one does.
    '"公开" -鹿城', '"的" -目录 -"2020"',
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

describe('Ranker: only the groups that reach the page are scored', () => {
  const order = (r: RankedList, k: number) => Array.from({ length: r.length }, (_, i) => i).sort((i, j) => r.compare(i, j)).slice(0, k).map((i) => r.at(i));
  it.each([
    ['政务公开 目录', 1], ['政务公开 目录', 5], ['政务公开 目录', 20], ['公开 信息 平台', 3], ['政府 信息 公开 平台', 10],
    ['权责清单 OR 权力清单', 5], ['依申请公开 办理质效', 10], ['决策 公开 2021', 7], ['县府办 责任单位', 20], ['公开 目录', 0],
    // One term with many matches (the single-term loop).
    ['"的"', 1], ['"的"', 7], ['"的"', 30], ['"公开"', 3], ['"公开"', 12], ['"工作"', 5], ['"、"', 10], ['"2020"', 4], ['"政务公开" -鹿城', 2],
  ])('%s, first %i', async (q, k) => {
    const { built } = await seedIndex();
    const ranker = new Ranker(built);
    const parsed = parseQuery(q, DEFAULT_LIMITS.maxQueryTerms);
    const all = ranker.rank(parsed, ALLOW_ALL);
    const some = ranker.rank(parsed, ALLOW_ALL, k);
    // The same matches (total and facets), the same first k in the same order with the same scores.
    expect([...some.n.subarray(0, some.length)].sort((a, b) => a - b)).toEqual([...all.n.subarray(0, all.length)].sort((a, b) => a - b));
    expect(order(some, k)).toEqual(order(all, k));
  });
});
