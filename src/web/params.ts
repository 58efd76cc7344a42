/**
 * The request edge: query-string parsing and validation, shared by the JSON API and the HTML pages.
 *
 * Two steps, both pure:
 * 1. `parseQueryString` (Express's query parser) turns the raw query string into flat strings and
 *    arrays and passes every value through `sanitizeText`, so no route ever sees a lone surrogate,
 *    a NUL, a control character or a bidirectional override.
 * 2. `parseSearchParams` validates the search parameters with a zod schema and returns a
 *    SearchRequest, or throws an AppError with a catalog code — always a 400, never a 500,
 *    whatever the input.
 */
import { parse as parseQs } from 'node:querystring';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../domain/errors.js';
import type { SearchRequest } from '../domain/types.js';
import type { Limits } from '../config.js';
import { parseDateBound } from '../search/commitments.js';
import { parseQuery } from '../search/query.js';

export const DEFAULT_LIMIT = 20;

export type ParamsKind = 'api' | 'page';

/** The raw query object as Express gives it (strings, arrays for repeated keys, …). */
export type RawQuery = Record<string, unknown>;

/** Most distinct keys read from one query string; the rest are ignored (as Node's default 1000 would be). */
export const MAX_QUERY_KEYS = 64;

// ---------------------------------------------------------------------------------------------
// Sanitizing text at the edge

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Tab, line feed, carriage return: read as spaces (a query is one line). */
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/g;
/** C0 controls (NUL included), DEL and C1 controls. */
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
/**
 * Invisible direction controls: LRM, RLM, ALM, embeddings/overrides (U+202A–U+202E) and isolates
 * (U+2066–U+2069). They mean nothing to a search, and echoed back they could reorder the page's
 * text around them.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes user text safe for every later stage: lone surrogates become U+FFFD (String#normalize
 * and the native segmenter expect well-formed UTF-16), line breaks become spaces, and NUL, other
 * control characters and bidirectional controls are removed. Zero-width joiners, combining marks
 * and emoji are kept: they are text, and the analyzer handles them.
 */
export function sanitizeText(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD').replace(LINE_BREAKS, ' ').replace(CONTROLS, '').replace(BIDI_CONTROLS, '');
}

/**
 * Express's query parser: Node's querystring (flat: `?q[a]=1` stays a plain key named `q[a]`;
 * malformed percent-encoding is decoded leniently, never thrown), at most MAX_QUERY_KEYS keys,
 * every value sanitized. Repeated keys stay arrays so validation can reject them.
 */
export function parseQueryString(str: string): Record<string, string | string[]> {
  const parsed = parseQs(str, '&', '=', { maxKeys: MAX_QUERY_KEYS });
  // Null prototype, like querystring's own result: a key named __proto__ stays a plain key.
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    out[sanitizeText(key)] = Array.isArray(value) ? value.map(sanitizeText) : sanitizeText(value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Search parameters

/** Carried in a zod issue's params: which catalog code the failure maps to. */
interface IssueParams {
  code: ErrorCode;
}

/**
 * One query parameter: absent or blank → undefined (an HTML form submits empty selects as
 * `year=`); a repeated (`?q=a&q=b` → array) or otherwise non-string value → E_BAD_PARAM.
 */
function single(name: string) {
  return z
    .custom<string>((v) => typeof v === 'string', {
      error: `参数 ${name} 只能出现一次。`,
      params: { code: 'E_BAD_PARAM' } satisfies IssueParams,
    })
    .optional()
    .transform((v) => {
      const t = v?.trim();
      return t ? t : undefined;
    });
}

/** An optional integer parameter in [min, max], with a default. */
function integerIn(name: string, min: number, max: number, fallback: number, code: ErrorCode, label: string) {
  return single(name).transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = /^\d{1,16}$/.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: `${label}应为 ${min}–${max} 之间的整数。`, params: { code } satisfies IssueParams });
    return z.NEVER;
  });
}

/** Free text (region, unit filters): at most `max` characters. */
function boundedText(name: string, max: number, label: string) {
  return single(name).refine((v) => v === undefined || [...v].length <= max, {
    error: `${label}最多 ${max} 个字符。`,
    params: { code: 'E_BAD_PARAM' } satisfies IssueParams,
  });
}

/**
 * A date parameter: `YYYY-MM-DD`, `YYYY-MM` (the whole month) or `YYYY` (the whole year), read as
 * the first day (`after`) or the last day (`before`) it covers → E_BAD_DATE otherwise.
 */
function dateBound(name: string, side: 'before' | 'after') {
  return single(name).transform((v, ctx) => {
    if (v === undefined) return undefined;
    try {
      return /^\d{4}$/.test(v) ? `${v}-${side === 'after' ? '01-01' : '12-31'}` : parseDateBound(v, side);
    } catch (e) {
      const label = { from: '起始日期', to: '截止日期', today: '参照日期' }[name] ?? name;
      ctx.addIssue({ code: 'custom', message: `${label}：“${v.slice(0, 20)}”（也可只写年份 YYYY）。`, params: { code: (e as AppError).code ?? 'E_BAD_DATE' } satisfies IssueParams });
      return z.NEVER;
    }
  });
}

/** Schemas by limits and kind: a zod schema is costly to build (it compiles), cheap to run. */
const schemas = new WeakMap<Limits, Map<ParamsKind, ReturnType<typeof buildSearchSchema>>>();

function searchSchema(limits: Limits, kind: ParamsKind) {
  let byKind = schemas.get(limits);
  if (!byKind) schemas.set(limits, (byKind = new Map()));
  let schema = byKind.get(kind);
  if (!schema) byKind.set(kind, (schema = buildSearchSchema(limits, kind)));
  return schema;
}

function buildSearchSchema(limits: Limits, kind: ParamsKind) {
  const maxLimit = kind === 'api' ? limits.maxApiLimit : limits.maxPageLimit;
  return z.object({
    q: single('q')
      .transform((v) => v ?? '')
      .refine((q) => kind === 'page' || q !== '', { error: '', params: { code: 'E_QUERY_EMPTY' } satisfies IssueParams })
      .refine((q) => [...q].length <= limits.maxQueryLength, {
        error: `最多 ${limits.maxQueryLength} 个字符。`,
        params: { code: 'E_QUERY_TOO_LONG' } satisfies IssueParams,
      }),
    limit: integerIn('limit', 1, maxLimit, Math.min(DEFAULT_LIMIT, maxLimit), 'E_LIMIT_RANGE', '每页条数'),
    offset: integerIn('offset', 0, limits.maxOffset, 0, 'E_OFFSET_RANGE', '翻页位置'),
    sort: single('sort')
      .transform((v) => v ?? 'relevance')
      .pipe(z.enum(['relevance', 'date'], { error: '排序方式只能是 relevance 或 date。' })),
    region: boundedText('region', limits.maxQueryLength, '地区'),
    unit: boundedText('unit', limits.maxQueryLength, '责任单位'),
    issuer: boundedText('issuer', limits.maxQueryLength, '发文机关'),
    docType: boundedText('docType', 20, '文种'),
    from: dateBound('from', 'after'),
    to: dateBound('to', 'before'),
    validity: single('validity').pipe(
      z.enum(['in-force', 'not-yet', 'expired', 'repealed'], { error: '时效性只能是 in-force、not-yet、expired 或 repealed。' }).optional(),
    ),
    today: dateBound('today', 'after'),
    year: single('year').transform((v, ctx) => {
      if (v === undefined) return undefined;
      if (/^\d{1,4}$/.test(v)) return Number(v);
      ctx.addIssue({ code: 'custom', message: '年份应为整数。', params: { code: 'E_BAD_PARAM' } satisfies IssueParams });
      return z.NEVER;
    }),
  });
}

/** The first zod issue as an AppError: the code carried in its params, else E_BAD_PARAM. */
function toAppError(error: z.ZodError): AppError {
  const issue = error.issues[0];
  const params = issue && 'params' in issue ? (issue.params as Partial<IssueParams> | undefined) : undefined;
  const code = params?.code ?? 'E_BAD_PARAM';
  const detail = issue?.message && issue.message !== 'Invalid input' ? issue.message : undefined;
  return new AppError(code, detail || undefined);
}

/**
 * Counts quoted phrases the way the query parser reads them (a term with `phrase: true`), and
 * rejects more than `maxTerms` terms (E_TOO_MANY_TERMS) or more than `maxPhrases` phrases
 * (E_TOO_MANY_PHRASES) before any matching starts. Runs the real parser, so the counts are
 * exactly the ones the service would see; a query with nothing searchable is left to the
 * service (E_QUERY_EMPTY).
 */
function checkQueryShape(q: string, limits: Limits): void {
  let parsed: ReturnType<typeof parseQuery>;
  try {
    parsed = parseQuery(q, limits.maxQueryTerms);
  } catch (e) {
    if (e instanceof AppError && e.code === 'E_QUERY_EMPTY') return;
    throw e;
  }
  const terms = [...parsed.clauses.flat(), ...parsed.excluded, ...parsed.filters];
  const phrases = terms.filter((t) => t.phrase).length;
  if (phrases > limits.maxQuotedPhrases) {
    throw new AppError('E_TOO_MANY_PHRASES', `最多 ${limits.maxQuotedPhrases} 个。`);
  }
}

/**
 * Parses and validates search parameters.
 * - `q`: required for the API (E_QUERY_EMPTY); may be empty for the page (the page then shows
 *   its introduction). Longer than `maxQueryLength` characters → E_QUERY_TOO_LONG; more than
 *   `maxQueryTerms` terms → E_TOO_MANY_TERMS; more than `maxQuotedPhrases` quoted phrases →
 *   E_TOO_MANY_PHRASES.
 * - `limit`: integer 1..maxApiLimit (API) or 1..maxPageLimit (page), default 20 → E_LIMIT_RANGE.
 * - `offset`: integer 0..maxOffset, default 0 → E_OFFSET_RANGE.
 * - `region`, `unit`, `issuer`: free text up to `maxQueryLength` characters; `docType` up to 20;
 *   `year`: an integer of at most four digits; `sort`: relevance | date; `validity`: in-force |
 *   not-yet | expired | repealed → E_BAD_PARAM.
 * - `from`, `to`, `today`: YYYY-MM-DD, YYYY-MM or YYYY → E_BAD_DATE; `from` after `to` → E_DATE_RANGE.
 * - Any parameter given twice → E_BAD_PARAM. Text is sanitized (see sanitizeText) whether or
 *   not it came through parseQueryString.
 */
export function parseSearchParams(query: RawQuery, limits: Limits, kind: ParamsKind): SearchRequest {
  const clean: RawQuery = Object.create(null);
  for (const [k, v] of Object.entries(query)) {
    clean[k] = typeof v === 'string' ? sanitizeText(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? sanitizeText(x) : x)) : v;
  }
  const result = searchSchema(limits, kind).safeParse(clean);
  if (!result.success) throw toAppError(result.error);
  const { q, limit, offset, sort, region, unit, year, issuer, docType, from, to, validity, today } = result.data;
  if (q) checkQueryShape(q, limits);
  if (from !== undefined && to !== undefined && from > to) throw new AppError('E_DATE_RANGE');
  const req: SearchRequest = { q, limit, offset, sort };
  if (region !== undefined) req.region = region;
  if (unit !== undefined) req.unit = unit;
  if (year !== undefined) req.year = year;
  if (issuer !== undefined) req.issuer = issuer;
  if (docType !== undefined) req.docType = docType;
  if (from !== undefined) req.from = from;
  if (to !== undefined) req.to = to;
  if (validity !== undefined) req.validity = validity;
  if (today !== undefined) req.today = today;
  return req;
}

/**
 * The `today` parameter of a document request (the day validity is judged on): undefined when
 * absent, else YYYY-MM-DD / YYYY-MM → E_BAD_DATE, as on search.
 */
export function parseTodayParam(query: RawQuery): string | undefined {
  const v = query.today;
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new AppError('E_BAD_PARAM', '参数 today 只能出现一次。');
  return parseDateBound(sanitizeText(v), 'after');
}
