/**
 * The commitments view (承诺事项): `GET /api/commitments` (JSON), `GET /commitments` (the page:
 * filters, counts, a table, paging; works without JavaScript) and `GET /commitments.csv` (every
 * row of the current filter). All three parse the same parameters and call one service method.
 * Statuses (未到期, 已到期, 周期性…) are computed for "today": the server's date, or the `today`
 * parameter (YYYY-MM-DD) to look at the list as of another day; the clock is read here, at the
 * edge, never by the service.
 *
 * CSV: UTF-8 with a BOM (spreadsheet software then reads the Chinese correctly), CRLF line ends,
 * RFC 4180 quoting (a field with a comma, quote, CR or LF is quoted, quotes doubled). A cell that
 * begins with = + - @ (or a tab or CR) gets a leading ' so a spreadsheet shows it as text instead
 * of running it as a formula (CSV/formula injection; a 文件 could contain "=HYPERLINK(…)").
 */
import { Router, type Request } from 'express';
import type { Config, Limits } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import type { Commitment, CommitmentFilter, CommitmentStatus, CommitmentsResponse, DatedCommitmentDeadline } from '../../domain/types.js';
import type { AsyncSearchServiceApi } from '../../search/api.js';
import { parseDateBound, STATUS_ORDER } from '../../search/commitments.js';
import { normalizeUnit } from '../../corpus/unit-aliases.js';
import { paginate, type Pagination } from '../links.js';
import { formatDate, sectionPath, truncate } from '../render.js';
import { DEFAULT_LIMIT, type RawQuery } from '../params.js';

/** Rows per page on /commitments (the API defaults to DEFAULT_LIMIT like /api/search). */
export const PAGE_LIMIT = 50;
/** An upcoming deadline this many days ahead or fewer is marked 即将到期. */
export const DUE_SOON_DAYS = 30;

/** What each status is called on the page, in the CSV and in the status filter. */
export const STATUS_LABELS: Readonly<Record<CommitmentStatus, string>> = {
  upcoming: '未到期',
  recurring: '周期性',
  ongoing: '持续性',
  passed: '已到期',
  unknown: '日期存疑',
  none: '未写明时限',
};

const SORTS: ReadonlyArray<{ value: CommitmentFilter['sort']; label: string }> = [
  { value: 'status', label: '按到期状态（未到期在前）' },
  { value: 'deadline', label: '按截止日期（早在前）' },
  { value: 'document', label: '按文件顺序' },
];

type Kind = 'api' | 'page' | 'csv';

/** The filter as typed (for the form and links) next to the filter the service gets. */
export interface CommitmentParams {
  filter: CommitmentFilter;
  /** The same fields as typed; `today` as given (kept in links), absent = the server's date. */
  raw: Omit<CommitmentFilter, 'today' | 'limit' | 'offset'> & { limit: number; today?: string };
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
 * later than before → E_DATE_RANGE), `status` (upcoming | recurring | ongoing | passed | unknown |
 * none → E_BAD_PARAM), `sort` (status | deadline | document → E_BAD_PARAM), `today` (YYYY-MM-DD →
 * E_BAD_DATE; else `serverToday`), `limit`/`offset` within config.limits (→ E_LIMIT_RANGE /
 * E_OFFSET_RANGE). The CSV ignores paging: every row.
 */
export function parseCommitmentParams(query: RawQuery, limits: Limits, kind: Kind, serverToday: string): CommitmentParams {
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
  const sort = (single(query, 'sort') ?? 'status') as CommitmentFilter['sort'];
  if (!SORTS.some((s) => s.value === sort)) throw new AppError('E_BAD_PARAM', '排序方式只能是 status、deadline 或 document。');
  const status = single(query, 'status') as CommitmentStatus | undefined;
  if (status !== undefined && !STATUS_ORDER.includes(status)) {
    throw new AppError('E_BAD_PARAM', `到期状态只能是 ${STATUS_ORDER.join('、')} 之一。`);
  }
  // "Today" may be given (the list as of a date); kept in the page's links.
  const rawToday = single(query, 'today');
  const today = rawToday === undefined ? serverToday : parseDateBound(rawToday, 'after');
  const maxLimit = kind === 'page' ? limits.maxPageLimit : limits.maxApiLimit;
  const fallback = Math.min(kind === 'page' ? PAGE_LIMIT : DEFAULT_LIMIT, maxLimit);
  const limit = integerIn(single(query, 'limit'), 1, maxLimit, fallback, 'E_LIMIT_RANGE', '每页条数');
  const offset = integerIn(single(query, 'offset'), 0, limits.maxOffset, 0, 'E_OFFSET_RANGE', '翻页位置');

  const filter: CommitmentFilter = { sort, today, offset: kind === 'csv' ? 0 : offset };
  if (kind !== 'csv') filter.limit = limit;
  if (region) filter.region = region;
  if (unit) filter.unit = unit;
  if (q) filter.q = q;
  if (before) filter.before = before;
  if (after) filter.after = after;
  if (status) filter.status = status;
  return { filter, raw: { region, unit, before: rawBefore, after: rawAfter, q, status, sort, limit, today: rawToday === undefined ? undefined : today } };
}

/** `/commitments?…` (or `.csv`) for the filter, leaving out defaults; `undefined` removes a key. */
export function commitmentsHref(raw: CommitmentParams['raw'], overrides: Partial<Record<keyof CommitmentParams['raw'] | 'offset', string | number | undefined>> = {}, path = '/commitments'): string {
  const p: Record<string, string | number | undefined> = { ...raw, ...overrides };
  const qs = new URLSearchParams();
  for (const key of ['region', 'unit', 'status', 'after', 'before', 'q', 'sort', 'limit', 'offset', 'today']) {
    const v = p[key];
    if (v === undefined || v === '') continue;
    if (key === 'sort' && v === 'status') continue;
    if (key === 'limit' && (v === PAGE_LIMIT || path.endsWith('.csv'))) continue;
    if (key === 'offset' && (v === 0 || path.endsWith('.csv'))) continue;
    qs.set(key, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** Today's date as YYYY-MM-DD in the server's time zone. */
function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** `还剩 N 天` / `今天到期`, for a day count of an upcoming date or a next occurrence. */
export function daysLeftText(days: number): string {
  return days === 0 ? '今天到期' : `还剩 ${days} 天`;
}

/**
 * What the page prints for one deadline, beside the expression as written: its status badge and
 * a note (days left, the next occurrence, or why the date is doubtful). Plain strings; the
 * template escapes them.
 */
export function deadlineView(d: DatedCommitmentDeadline, docDate: string | null) {
  const dateText = formatDate(d.date);
  const soon = d.status === 'upcoming' && d.daysLeft !== null && d.daysLeft <= DUE_SOON_DAYS;
  let note: string | null = null;
  if (d.status === 'recurring') note = d.next && d.daysLeft !== null ? `下次 ${formatDate(d.next)}（${daysLeftText(d.daysLeft)}）` : null;
  else if (d.status === 'upcoming' && d.daysLeft !== null) note = daysLeftText(d.daysLeft);
  else if (d.doubt === 'no-year') note = '文件未写年份';
  else if (d.doubt === 'before-issue') {
    const issued = docDate ? `成文日期（${formatDate(docDate)}）` : '成文日期';
    note = d.status === 'unknown' ? `按文件年份推算为${dateText}，早于${issued}，年份可能有误` : `早于${issued}`;
  }
  return {
    ...d,
    /** The normalized date beside the wording, unless it says the same or is in doubt. */
    dateText: d.status === 'unknown' || dateText === d.text ? '' : dateText,
    label: soon ? '即将到期' : STATUS_LABELS[d.status],
    badge: soon ? 'cm-soon' : `cm-${d.status}`,
    note,
  };
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** What the page template prints for one commitment (plain strings; the template escapes). */
function rowView(c: Commitment) {
  const shown = c.heading ?? truncate(c.task, 80);
  return {
    c,
    shown,
    /** The full task, shown in a <details> when `shown` does not already say it all. */
    full: shown === c.task ? null : c.task,
    sectionText: sectionPath(c.section, 24),
    units: c.units.map((u) => ({ ...u, markLead: u.lead && c.units.length > 1 })),
    isHeading: c.heading !== null,
    deadlines: c.deadlines.map((d) => deadlineView(d, c.doc.issuedDate)),
  };
}

function pageModel(params: CommitmentParams, res: CommitmentsResponse, limits: Limits, today: string) {
  const { raw, filter } = params;
  const href = (o: Parameters<typeof commitmentsHref>[1] = {}) => commitmentsHref(raw, { offset: undefined, ...o });
  const selectedUnit = raw.unit ? normalizeUnit(raw.unit).key : undefined;
  const units = res.counts.units.map((u) => ({ ...u, href: href({ unit: u.key }), active: u.key === selectedUnit }));
  if (selectedUnit && raw.unit && !units.some((u) => u.active)) {
    // A name no unit of the corpus has (a fragment such as 司法): its count is the filter's total.
    units.unshift({ key: selectedUnit, label: normalizeUnit(raw.unit).label, count: res.total, href: href({ unit: selectedUnit }), active: true });
  }
  const months = res.counts.months.map((m) => ({
    ...m,
    href: href({ after: m.value, before: m.value }),
    active: filter.after === `${m.value}-01` && filter.before === lastDay(m.value),
  }));
  const statuses = STATUS_ORDER.map((value) => ({
    value,
    label: STATUS_LABELS[value],
    count: res.counts.statuses[value],
    href: href({ status: value }),
    active: raw.status === value,
  })).filter((x) => x.count > 0 || x.active);
  const offset = filter.offset;
  const limit = filter.limit ?? PAGE_LIMIT;
  const pagination: Pagination | null = res.total > 0 ? paginate(res.total, offset, limit, limits.maxOffset) : null;
  return {
    raw,
    filter,
    res,
    today,
    todayText: formatDate(today),
    rows: res.items.map(rowView),
    regions: res.counts.regions.map((r) => ({ ...r, href: href({ region: r.value }), active: raw.region === r.value })),
    units,
    months,
    statuses,
    statusOptions: STATUS_ORDER.map((value) => ({ value, label: STATUS_LABELS[value] })),
    selectedUnit,
    pagination,
    pageHref: (o: number) => commitmentsHref(raw, { offset: o }),
    clearHref: commitmentsHref({ sort: raw.sort, limit: raw.limit, today: raw.today }),
    clearDatesHref: href({ after: undefined, before: undefined }),
    clearUnitHref: href({ unit: undefined }),
    clearStatusHref: href({ status: undefined }),
    pageLimit: PAGE_LIMIT,
    csvHref: commitmentsHref(raw, {}, '/commitments.csv'),
    firstShown: res.items.length ? offset + 1 : 0,
    lastShown: offset + res.items.length,
    sorts: SORTS,
    anyFilter: Boolean(raw.region || raw.unit || raw.before || raw.after || raw.q || raw.status),
  };
}

// --- CSV ---

/** 状态 is the row's status on the export's day (completion is not recorded: 已到期, not 逾期). */
export const CSV_COLUMNS = ['事项', '编号', '所属章节', '责任单位', '完成时限', '截止日期', '状态', '地区', '出处', '链接'] as const;

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
    STATUS_LABELS[c.status],
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

export function commitmentsRouter(service: AsyncSearchServiceApi, config: Config, clock: () => Date = () => new Date()): Router {
  const router = Router();

  router.get('/api/commitments', async (req, res) => {
    const { filter } = parseCommitmentParams(req.query, config.limits, 'api', isoDay(clock()));
    res.json(await service.commitments(filter));
  });

  router.get('/commitments', async (req, res) => {
    const params = parseCommitmentParams(req.query, config.limits, 'page', isoDay(clock()));
    const result = await service.commitments(params.filter);
    const model = pageModel(params, result, config.limits, params.filter.today);
    res.render('commitments', { ...model, pageTitle: '承诺事项', q: '' });
  });

  router.get('/commitments.csv', async (req, res) => {
    const { filter } = parseCommitmentParams(req.query, config.limits, 'csv', isoDay(clock()));
    const { items } = await service.commitments(filter);
    const name = `承诺事项-${isoDay(clock())}.csv`;
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="commitments.csv"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.send(commitmentsCsv(items, origin(req)));
  });

  return router;
}
