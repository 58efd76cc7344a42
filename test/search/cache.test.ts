/**
 * The per-service result cache: a repeated identical request returns the same response (only
 * tookMs is fresh), any differing parameter is a different entry, and size 0 turns it off.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { SearchRequest } from '../../src/domain/types.js';
import { SearchService } from '../../src/search/service.js';
import { seedIndex } from '../helpers/seeds.js';

const req = (over: Partial<SearchRequest> = {}): SearchRequest => ({ q: '政务公开', limit: 10, offset: 0, sort: 'relevance', ...over });
const strip = ({ tookMs: _t, ...rest }: { tookMs: number }) => rest;

describe('result cache', () => {
  it('answers a repeated request identically, and keeps requests apart by every parameter', async () => {
    const { built } = await seedIndex();
    const cached = new SearchService(built, { ...DEFAULT_LIMITS, resultCacheSize: 4 });
    const plain = new SearchService(built, { ...DEFAULT_LIMITS, resultCacheSize: 0 });
    const variants: SearchRequest[] = [
      req(),
      req({ offset: 10 }),
      req({ limit: 5 }),
      req({ sort: 'date' }),
      req({ region: '天台县' }),
      req({ year: 2021 }),
      req({ unit: '县府办' }),
      req({ q: '"政务公开"' }),
    ];
    for (let round = 0; round < 2; round++) {
      for (const r of variants) expect(strip(cached.search(r))).toEqual(strip(plain.search(r)));
    }
  });

  it('evicts the least recently used entry beyond its size', async () => {
    const { built } = await seedIndex();
    const service = new SearchService(built, { ...DEFAULT_LIMITS, resultCacheSize: 2 });
    const a = service.search(req({ q: '公开' }));
    service.search(req({ q: '目录' }));
    expect(service.search(req({ q: '公开' })).hits).toBe(a.hits); // still cached
    service.search(req({ q: '解读' })); // evicts 目录, the least recently used
    expect(service.search(req({ q: '公开' })).hits).toBe(a.hits);
  });
});
