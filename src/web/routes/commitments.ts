/**
 * The commitments view (承诺事项): `GET /api/commitments` (JSON), `GET /commitments` (the page:
 * filters, counts, a table, paging; works without JavaScript) and `GET /commitments.csv` (every
 * row of the current filter). All three parse the same parameters and call one service method.
 *
 * CSV: UTF-8 with a BOM (spreadsheet software then reads the Chinese correctly), CRLF line ends,
 * RFC 4180 quoting (a field with a comma, quote, CR or LF is quoted, quotes doubled). A cell that
 * begins with = + - @ (or a tab or CR) gets a leading ' so a spreadsheet shows it as text instead
 * of running it as a formula (CSV/formula injection; a 文件 could contain "=HYPERLINK(…)").
 */
import { Router, type Request } from 'express';
import type { Config, Limits } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import type { Commitment, CommitmentFilter, CommitmentsResponse } from '../../domain/types.js';
import type { SearchServiceApi } from '../../search/api.js';
import { parseDateBound } from '../../search/commitments.js';
import { normalizeUnit } from '../../corpus/unit-aliases.js';
import { paginate, type Pagination } from '../links.js';
import { formatDate, sectionPath, truncate } from '../render.js';
import { DEFAULT_LIMIT, type RawQuery } from '../params.js';

/** Rows per page on /commitments (the API defaults to DEFAULT_LIMIT like /api/search). */
export const PAGE_LIMIT = 50;
/** A deadline this many days ahead or fewer is 即将到期. */
export const DUE_SOON_DAYS = 30;

type Kind = 'api' | 'page' | 'csv';

/** The filter as typed (for the form and links) next to the filter the service gets. */
export interface CommitmentParams {
  filter: CommitmentFilter;
  raw: { region?: string; unit?: string; before?: string; after?: string; q?: string; sort: CommitmentFilter['sort']; limit: number; today?: string };
}

function single(query: RawQuery, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new AppError('E_BAD_PARAM', `参数 ${name} 只能出现一次。`);
  return v.trim() === '' ? undefined : v.trim();
}

function integerIn(raw: string | undefined, min: number, max: number, fallback: number, code: 'E_LIMIT_RANGE' | 'E_OFFSET_RANGE', label: string): number {
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new AppError(code, `${label}应为 ${min}–${max} 之间的整数。`);
  return n;
}

/**
 * Parses and validates the parameters: `region`, `unit`, `q` (free text, at most maxQueryLength
 * characters → E_QUERY_TOO_LONG), `before`/`after` (YYYY-MM-DD or YYYY-MM → E_BAD_DATE; after
 * later than before → E_DATE_RANGE), `sort` (deadline | document → E_BAD_PARAM), `limit`/`offset`
 * within config.limits (→ E_LIMIT_RANGE / E_OFFSET_RANGE). The CSV ignores paging: every row.
 */
export function parseCommitmentParams(query: RawQuery, limits: Limits, kind: Kind): CommitmentParams {
  const region = single(query, 'region');
  const unit = single(query, 'unit');
  const q = single(query, 'q');
  for (const [name, v] of [['q', q], ['unit', unit], ['region', region]] as const) {
    if (v !== undefined && [...v].length > limits.maxQueryLength) throw new AppError('E_QUERY_TOO_LONG', `${name} 最多 ${limits.maxQueryLength} 个字符。`);
  }
  const rawBefore = single(query, 'before');
  const rawAfter = single(query, 'after');
  const before = rawBefore === undefined ? undefined : parseDateBound(rawBefore, 'before');
  const after = rawAfter === undefined ? undefined : parseDateBound(rawAfter, 'after');
  if (before && after && after > before) throw new AppError('E_DATE_RANGE', `${after} 晚于 ${before}。`);
  const sort = single(query, 'sort') ?? 'deadline';
  if (sort !== 'deadline' && sort !== 'document') throw new AppError('E_BAD_PARAM', '排序方式只能是 deadline 或 document。');
  const maxLimit = kind === 'page' ? limits.maxPageLimit : limits.maxApiLimit;
  const fallback = Math.min(kind === 'page' ? PAGE_LIMIT : DEFAULT_LIMIT, maxLimit);
  const limit = integerIn(single(query, 'limit'), 1, maxLimit, fallback, 'E_LIMIT_RANGE', '每页条数');
  const offset = integerIn(single(query, 'offset'), 0, limits.maxOffset, 0, 'E_OFFSET_RANGE', '翻页位置');

  const filter: CommitmentFilter = { sort, offset: kind === 'csv' ? 0 : offset };
  if (kind !== 'csv') filter.limit = limit;
  if (region) filter.region = region;
  if (unit) filter.unit = unit;
  if (q) filter.q = q;
  if (before) filter.before = before;
  if (after) filter.after = after;
  // The page's "today" for 已逾期/即将到期 may be given ("as of" a date); kept in its links.
  const rawToday = kind === 'page' ? single(query, 'today') : undefined;
  const today = rawToday === undefined ? undefined : parseDateBound(rawToday, 'after');
  return { filter, raw: { region, unit, before: rawBefore, after: rawAfter, q, sort, limit, today } };
}

/** `/commitments?…` (or `.csv`) for the filter, leaving out defaults; `undefined` removes a key. */
export function commitmentsHref(raw: CommitmentParams['raw'], overrides: Partial<Record<keyof CommitmentParams['raw'] | 'offset', string | number | undefined>> = {}, path = '/commitments'): string {
  const p: Record<string, string | number | undefined> = { ...raw, ...overrides };
  const qs = new URLSearchParams();
  for (const key of ['region', 'unit', 'after', 'before', 'q', 'sort', 'limit', 'offset', 'today']) {
    const v = p[key];
    if (v === undefined || v === '') continue;
    if (key === 'sort' && v === 'deadline') continue;
    if (key === 'limit' && (v === PAGE_LIMIT || path.endsWith('.csv'))) continue;
    if (key === 'offset' && (v === 0 || path.endsWith('.csv'))) continue;
    if (key === 'today' && path.endsWith('.csv')) continue;
    qs.set(key, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** Today's date as YYYY-MM-DD in the server's time zone. */
function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 已逾期 for a date before today, 即将到期 within DUE_SOON_DAYS, else null. */
export function deadlineStatus(date: string | null, today: string): 'overdue' | 'due-soon' | null {
  if (!date) return null;
  if (date < today) return 'overdue';
  return daysBetween(today, date) <= DUE_SOON_DAYS ? 'due-soon' : null;
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** What the page template prints for one commitment (plain strings; the template escapes). */
function rowView(c: Commitment, today: string) {
  const shown = c.heading ?? truncate(c.task, 80);
  return {
    c,
    shown,
    /** The full task, shown in a <details> when `shown` does not already say it all. */
    full: shown === c.task ? null : c.task,
    sectionText: sectionPath(c.section, 24),
    units: c.units.map((u) => ({ ...u, markLead: u.lead && c.units.length > 1 })),
    isHeading: c.heading !== null,
    deadlines: c.deadlines.map((d) => ({ ...d, dateText: formatDate(d.date), status: deadlineStatus(d.date, today) })),
  };
}

function pageModel(params: CommitmentParams, res: CommitmentsResponse, limits: Limits, today: string) {
  const { raw, filter } = params;
  const href = (o: Parameters<typeof commitmentsHref>[1] = {}) => commitmentsHref(raw, { offset: undefined, ...o });
  const selectedUnit = raw.unit ? normalizeUnit(raw.unit).key : undefined;
  const units = res.counts.units.map((u) => ({ ...u, href: href({ unit: u.key }), active: u.key === selectedUnit }));
  if (selectedUnit && raw.unit && !units.some((u) => u.active)) {
    units.unshift({ key: selectedUnit, label: normalizeUnit(raw.unit).label, count: 0, href: href({ unit: selectedUnit }), active: true });
  }
  const months = res.counts.months.map((m) => ({
    ...m,
    href: href({ after: m.value, before: m.value }),
    active: filter.after === `${m.value}-01` && filter.before === lastDay(m.value),
  }));
  const offset = filter.offset;
  const limit = filter.limit ?? PAGE_LIMIT;
  const pagination: Pagination | null = res.total > 0 ? paginate(res.total, offset, limit, limits.maxOffset) : null;
  return {
    raw,
    filter,
    res,
    today,
    todayText: formatDate(today),
    rows: res.items.map((c) => rowView(c, today)),
    regions: res.counts.regions.map((r) => ({ ...r, href: href({ region: r.value }), active: raw.region === r.value })),
    units,
    months,
    selectedUnit,
    pagination,
    pageHref: (o: number) => commitmentsHref(raw, { offset: o }),
    clearHref: commitmentsHref({ sort: 'deadline', limit: raw.limit, today: raw.today }),
    clearDatesHref: href({ after: undefined, before: undefined }),
    clearUnitHref: href({ unit: undefined }),
    pageLimit: PAGE_LIMIT,
    csvHref: commitmentsHref(raw, {}, '/commitments.csv'),
    firstShown: res.items.length ? offset + 1 : 0,
    lastShown: offset + res.items.length,
    sorts: [
      { value: 'deadline', label: '按截止日期' },
      { value: 'document', label: '按文件顺序' },
    ],
    anyFilter: Boolean(raw.region || raw.unit || raw.before || raw.after || raw.q),
  };
}

// --- CSV ---

export const CSV_COLUMNS = ['事项', '编号', '所属章节', '责任单位', '完成时限', '截止日期', '地区', '出处', '链接'] as const;

/** One CSV field: formula-looking cells defused with a leading ', then RFC 4180 quoting. */
export function csvField(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The CSV row of one commitment; `origin` makes the permalink absolute. */
export function csvRow(c: Commitment, origin: string): string[] {
  const own = c.label ? (c.kind === 'table-row' ? `第${c.label}项` : c.label) : '';
  return [
    c.task,
    own,
    c.section.join(' › '),
    c.units.map((u) => (u.lead && c.units.length > 1 ? `${u.name}（牵头）` : u.name)).join('、'),
    c.deadlines.map((d) => d.text).join('；'),
    c.deadlines.map((d) => d.date).filter((d): d is string => d !== null).join('；'),
    c.region ?? '',
    c.citation,
    origin + c.url,
  ];
}

export function commitmentsCsv(items: readonly Commitment[], origin: string): string {
  const lines = [CSV_COLUMNS.map(csvField).join(','), ...items.map((c) => csvRow(c, origin).map(csvField).join(','))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function origin(req: Request): string {
  const host = req.get('host');
  return host ? `${req.protocol}://${host}` : '';
}

export function commitmentsRouter(service: SearchServiceApi, config: Config, clock: () => Date = () => new Date()): Router {
  const router = Router();

  router.get('/api/commitments', (req, res) => {
    const { filter } = parseCommitmentParams(req.query, config.limits, 'api');
    res.json(service.commitments(filter));
  });

  router.get('/commitments', (req, res) => {
    const params = parseCommitmentParams(req.query, config.limits, 'page');
    const today = params.raw.today ?? isoDay(clock());
    const result = service.commitments(params.filter);
    const model = pageModel(params, result, config.limits, today);
    res.render('commitments', { ...model, pageTitle: '承诺事项', q: '' });
  });

  router.get('/commitments.csv', (req, res) => {
    const { filter } = parseCommitmentParams(req.query, config.limits, 'csv');
    const { items } = service.commitments(filter);
    const name = `承诺事项-${isoDay(clock())}.csv`;
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="commitments.csv"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.send(commitmentsCsv(items, origin(req)));
  });

  return router;
}
