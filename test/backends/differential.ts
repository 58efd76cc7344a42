/**
 * The differential battery: the same queries on the embedded engine and on a PostgreSQL backend,
 * which must give identical totals and identical hit sets (and, as checked here, identical
 * responses: order, scores, facets, highlights).
 *
 * Queries: every query of the relevance table (read from test/search/relevance.test.ts, so the
 * battery follows the table), fixed-seed random substrings of every length class from the
 * benchmark's generator (bench/src/lib/queries.ts drawQueries), quoted, and its unquoted word
 * queries (1–3 jieba words of a paragraph) and heavy queries, as typed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { drawQueries } from '../../bench/src/lib/queries.js';
import type { SearchRequest, SearchResponse } from '../../src/domain/types.js';
import type { AsyncSearchServiceApi } from '../../src/backends/backend.js';

const RELEVANCE_TEST = resolve(import.meta.dirname, '../search/relevance.test.ts');

/** The `q` of every row of the relevance table. */
export function relevanceQueries(): string[] {
  const src = readFileSync(RELEVANCE_TEST, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/\bq: '((?:[^'\\]|\\.)*)'/gu)) out.push(m[1]!.replace(/\\(.)/gu, '$1'));
  return out;
}

export interface BatteryQuery {
  kind: string;
  q: string;
}

/** The battery for a corpus (its normalized paragraph texts); `total` queries drawn with `seed`. */
export function battery(normalized: readonly string[], total = 300, seed = 20261208): BatteryQuery[] {
  const out: BatteryQuery[] = relevanceQueries().map((q) => ({ kind: 'relevance', q }));
  for (const b of drawQueries(normalized, total, seed)) {
    if (b.cls.startsWith('len')) out.push({ kind: b.cls, q: `"${b.q}"` });
    else out.push({ kind: b.cls, q: b.q });
  }
  return out;
}

export const TODAY = '2026-12-01';

export interface Mismatch {
  kind: string;
  q: string;
  what: string;
}

const strip = (r: SearchResponse) => JSON.stringify({ ...r, tookMs: 0 });

/**
 * Runs every query on both (all hits: a limit above any total; plus a first page of 20 with a
 * date sort and a facet filter for some), returns the differences.
 */
export async function differential(
  embedded: AsyncSearchServiceApi,
  other: AsyncSearchServiceApi,
  queries: readonly BatteryQuery[],
  opts: { fullResponses?: boolean } = {},
): Promise<{ mismatches: Mismatch[]; compared: number; identicalResponses: number }> {
  const mismatches: Mismatch[] = [];
  let identicalResponses = 0;
  let compared = 0;
  for (const { kind, q } of queries) {
    const requests: SearchRequest[] = [{ q, limit: 100_000, offset: 0, sort: 'relevance', today: TODAY }];
    if (kind === 'relevance') requests.push({ q, limit: 20, offset: 5, sort: 'date', today: TODAY }, { q, limit: 20, offset: 0, sort: 'relevance', today: TODAY, validity: 'in-force' });
    for (const req of requests) {
      compared++;
      let a: SearchResponse | Error;
      let b: SearchResponse | Error;
      try {
        a = await embedded.search(req);
      } catch (e) {
        a = e as Error;
      }
      try {
        b = await other.search(req);
      } catch (e) {
        b = e as Error;
      }
      const label = `${JSON.stringify(req.q)} sort=${req.sort} offset=${req.offset}${req.validity ? ` validity=${req.validity}` : ''}`;
      if (a instanceof Error || b instanceof Error) {
        const ea = a instanceof Error ? `${a.name}:${(a as { code?: string }).code ?? a.message}` : 'ok';
        const eb = b instanceof Error ? `${b.name}:${(b as { code?: string }).code ?? b.message}` : 'ok';
        if (ea !== eb) mismatches.push({ kind, q: label, what: `error ${ea} vs ${eb}` });
        continue;
      }
      if (a.total !== b.total) mismatches.push({ kind, q: label, what: `total ${a.total} vs ${b.total}` });
      const ids = (r: SearchResponse) => r.hits.map((h) => h.id).sort().join(',');
      if (ids(a) !== ids(b)) mismatches.push({ kind, q: label, what: `hit sets differ (${a.hits.length} vs ${b.hits.length} hits)` });
      if (strip(a) === strip(b)) identicalResponses++;
      else if (opts.fullResponses) mismatches.push({ kind, q: label, what: 'responses differ (order, scores, facets or highlights)' });
    }
  }
  return { mismatches, compared, identicalResponses };
}
