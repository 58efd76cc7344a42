/**
 * Query-string parsing for search requests, shared by the JSON API and the HTML search page.
 * Pure: takes Express's parsed query object and the limits, returns a SearchRequest or throws
 * an AppError with a catalog code (always a 400, never a 500, whatever the input).
 */
import { AppError } from '../domain/errors.js';
import type { SearchRequest } from '../domain/types.js';
import type { Limits } from '../config.js';

export const DEFAULT_LIMIT = 20;

export type ParamsKind = 'api' | 'page';

/** The raw query object as Express gives it (strings, arrays for repeated keys, …). */
export type RawQuery = Record<string, unknown>;

const INTEGER = /^\d+$/;

/**
 * Reads one parameter. Absent or empty → undefined (an HTML form submits empty selects as
 * `year=`); a repeated parameter (`?q=a&q=b` → array) or a nested one → E_BAD_PARAM.
 */
function single(query: RawQuery, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new AppError('E_BAD_PARAM', `参数 ${name} 只能出现一次。`);
  return v.trim() === '' ? undefined : v.trim();
}

function integerIn(raw: string | undefined, min: number, max: number, fallback: number, code: 'E_LIMIT_RANGE' | 'E_OFFSET_RANGE', label: string): number {
  if (raw === undefined) return fallback;
  const n = INTEGER.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new AppError(code, `${label}应为 ${min}–${max} 之间的整数。`);
  }
  return n;
}

/**
 * Parses and validates search parameters.
 * - `q`: required for the API (E_QUERY_EMPTY); may be empty for the page (the page then shows
 *   its introduction). Longer than `maxQueryLength` characters → E_QUERY_TOO_LONG.
 * - `limit`: integer 1..maxApiLimit (API) or 1..maxPageLimit (page), default 20 → E_LIMIT_RANGE.
 * - `offset`: integer 0..maxOffset, default 0 → E_OFFSET_RANGE.
 * - `region`, `unit`: free text; `year`: an integer; `sort`: relevance | date → E_BAD_PARAM.
 */
export function parseSearchParams(query: RawQuery, limits: Limits, kind: ParamsKind): SearchRequest {
  const q = single(query, 'q') ?? '';
  if (kind === 'api' && q === '') throw new AppError('E_QUERY_EMPTY');
  if ([...q].length > limits.maxQueryLength) {
    throw new AppError('E_QUERY_TOO_LONG', `最多 ${limits.maxQueryLength} 个字符。`);
  }
  const maxLimit = kind === 'api' ? limits.maxApiLimit : limits.maxPageLimit;
  const limit = integerIn(single(query, 'limit'), 1, maxLimit, Math.min(DEFAULT_LIMIT, maxLimit), 'E_LIMIT_RANGE', '每页条数');
  const offset = integerIn(single(query, 'offset'), 0, limits.maxOffset, 0, 'E_OFFSET_RANGE', '翻页位置');

  const rawSort = single(query, 'sort') ?? 'relevance';
  if (rawSort !== 'relevance' && rawSort !== 'date') throw new AppError('E_BAD_PARAM', '排序方式只能是 relevance 或 date。');

  const req: SearchRequest = { q, limit, offset, sort: rawSort };
  const region = single(query, 'region');
  if (region !== undefined) req.region = region;
  const unit = single(query, 'unit');
  if (unit !== undefined) req.unit = unit;
  const year = single(query, 'year');
  if (year !== undefined) {
    if (!/^\d{1,4}$/.test(year)) throw new AppError('E_BAD_PARAM', '年份应为整数。');
    req.year = Number(year);
  }
  return req;
}
