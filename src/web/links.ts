/**
 * URLs the pages link to: search URLs that keep the current filters, pagination windows, and
 * document links that carry the query along so the document page can highlight it.
 */
import type { SearchRequest } from '../domain/types.js';
import { DEFAULT_LIMIT } from './params.js';

/** The parts of a search that appear in a search-page URL. */
export type SearchLinkParams = Partial<
  Pick<SearchRequest, 'q' | 'region' | 'year' | 'unit' | 'issuer' | 'docType' | 'from' | 'to' | 'validity' | 'today' | 'sort' | 'limit' | 'offset'>
>;

/**
 * Builds `/?q=…&region=…`, leaving out defaults (offset 0, limit 20, sort relevance) and empty
 * values. An override of `undefined` removes that parameter.
 */
export function searchHref(base: SearchLinkParams, overrides: SearchLinkParams = {}): string {
  const p = { ...base, ...overrides };
  for (const key of Object.keys(overrides) as Array<keyof SearchLinkParams>) {
    if (overrides[key] === undefined) delete p[key];
  }
  const qs = new URLSearchParams();
  if (p.q) qs.set('q', p.q);
  if (p.region) qs.set('region', p.region);
  if (p.year !== undefined) qs.set('year', String(p.year));
  if (p.unit) qs.set('unit', p.unit);
  if (p.issuer) qs.set('issuer', p.issuer);
  if (p.docType) qs.set('docType', p.docType);
  if (p.from) qs.set('from', p.from);
  if (p.to) qs.set('to', p.to);
  if (p.validity) qs.set('validity', p.validity);
  if (p.today) qs.set('today', p.today);
  if (p.sort && p.sort !== 'relevance') qs.set('sort', p.sort);
  if (p.limit !== undefined && p.limit !== DEFAULT_LIMIT) qs.set('limit', String(p.limit));
  if (p.offset) qs.set('offset', String(p.offset));
  const s = qs.toString();
  return s ? `/?${s}` : '/';
}

/** A document or paragraph URL (`/docs/X#p`) with `?q=` inserted before the fragment. */
export function withQuery(url: string, q: string | undefined): string {
  if (!q) return url;
  const hash = url.indexOf('#');
  const path = hash === -1 ? url : url.slice(0, hash);
  const frag = hash === -1 ? '' : url.slice(hash);
  const sep = path.includes('?') ? '&' : '?';
  return `${path}${sep}q=${encodeURIComponent(q)}${frag}`;
}

export interface PageLink {
  /** 1-based page number. */
  page: number;
  offset: number;
  current: boolean;
}

export interface Pagination {
  /** Offset of the previous / next page, or null at either end. */
  prev: number | null;
  next: number | null;
  /** A window of page numbers around the current one (first and last always included). */
  pages: PageLink[];
  /** True between two page numbers that are not adjacent (draw an ellipsis). */
  gapsAfter: Set<number>;
}

/** Page links for `total` results shown `limit` at a time, never past `maxOffset`. */
export function paginate(total: number, offset: number, limit: number, maxOffset: number, window = 2): Pagination {
  const lastOffset = Math.min(maxOffset, Math.max(0, total - 1));
  const pageCount = Math.floor(lastOffset / limit) + 1;
  const current = Math.floor(offset / limit) + 1;
  const wanted = new Set<number>([1, pageCount]);
  for (let p = current - window; p <= current + window; p++) if (p >= 1 && p <= pageCount) wanted.add(p);
  const numbers = [...wanted].sort((a, b) => a - b);
  const pages = numbers.map((page) => ({ page, offset: (page - 1) * limit, current: page === current }));
  const gapsAfter = new Set<number>();
  numbers.forEach((n, i) => {
    const nxt = numbers[i + 1];
    if (nxt !== undefined && nxt > n + 1) gapsAfter.add(n);
  });
  const prev = offset > 0 ? Math.max(0, offset - limit) : null;
  const next = offset + limit < total && offset + limit <= maxOffset ? offset + limit : null;
  return { prev, next, pages, gapsAfter };
}
