/**
 * Time expressions in a paragraph: deadlines (`2020年9月底前`, `年底前`, `上半年`), dates
 * (`2020年11月15日在区门户网站公开`), recurring schedules (`每季度`, `按月`) and ongoing tasks
 * (`长期坚持`, `实时更新`).
 *
 * Decisions:
 * - `date` is the last day of the period (`9月底前` → 09-30, `上半年` → 06-30, `一季度` → 03-31,
 *   `上旬` → day 10, `中旬` → day 20); recurring and ongoing expressions have no date.
 * - A year-less expression takes `year` (the year the document is about); without it, null.
 * - A full date (`Y年M月D日`) in body text is kind 'date' unless followed by 前/之前/以前/止
 *   ('by-date'); a date followed by 印发/通过/发布/批准/公布 or after 经 names a past event and is
 *   skipped; one followed by (起)施行/实施/执行/生效 is kind 'effective' (when rules start to apply:
 *   shown, but no one's deadline).
 *   A year-less day (`12月25日`) counts only with 前/之前/以前/止 after it.
 * - A 完成 right after 前 is part of the expression (`2020年11月底前完成`, as the 时间要求 cells
 *   of a 分工方案 write it).
 * - A bare year (`2020年全区…`) or month (`2019年7月印发`) is not a time expression.
 * - Anything inside 《…》 is a cited title, not a deadline. The caller leaves out the paragraphs
 *   whose dates are not deadlines at all (落款, 版记, 文号, titles).
 * - Durations (`12小时内`, `三年内`) are relative, not deadlines, and are not extracted.
 * - A recurring word takes the point of its cycle written right after it: `每年一季度前`,
 *   `每年6月底前`, `每月5日前`, `每季度首月十日前` are one recurring expression (no date), never
 *   a one-off `一季度前` pinned to the document's year (notices-dev 116 wrote 每年一季度前 in a
 *   notice of August 2020: read alone, 一季度前 became 2020-03-31, before the notice existed).
 *   {@link nextOccurrence} gives the next day such a schedule falls due.
 * - A date in a validity clause (`有效期至2029年1月17日`, `有效期延长至2030年7月10日止`,
 *   `有效期自2026年1月1日起至2027年12月31日止`) is kind 'expiry' (the day the text stops
 *   applying), or 'effective' when followed by 起; neither is anyone's deadline. 起试行/起实行
 *   are effective dates like 起施行.
 */
import type { Deadline } from '../domain/types.js';

/** Year-prefixed or year-less periods and dates. Groups: see `readDate`. */
const DATE_EXPR =
  /(?<!\d)(?:(\d{4})年|([今本当明])年)?(?:(年底|年末|年内|底|末|内|上半年|下半年|第?[一二三四]季度)|(\d{1,2})月(?:(\d{1,2})日)?(底|末|上旬|中旬|下旬)?)(?:(之前|以前|前|止)(完成)?)?/g;
/** Chinese or Arabic day and month numbers as the notices write them (5日, 十日, 二十五日). */
const NUM = '(?:\\d{1,2}|[一二三四五六七八九十]{1,3})';
/** The point of a yearly cycle: 一季度, 年底, 6月底, 3月31日, 上半年… */
const YEAR_POINT = `(?:的)?(?:年底|年末|上半年|下半年|第?[一二三四]季度(?:末)?|${NUM}月(?:${NUM}日|底|末|上旬|中旬|下旬)?)`;
/** The point of a quarterly cycle: 首月十日, 末月底, 末. */
const QUARTER_POINT = `(?:(?:首月|第一个月|末月|最后一个月)?(?:${NUM}日|底|末)|首月|末月)`;
/** The point of a monthly cycle: 5日, 底, 上旬. */
const MONTH_POINT = `(?:${NUM}日|底|末|上旬|中旬|下旬)`;
const BY = '(?:之前|以前|前|止)?';
const RECURRING = new RegExp(
  [
    `每年度?(?:${YEAR_POINT}${BY})?`,
    `每季度?(?:${QUARTER_POINT}${BY})?`,
    `每(?:个)?月(?:${MONTH_POINT}${BY})?`,
    '每半年',
    '每周',
    '每日',
    '每天',
    '按季度',
    '按半年',
    '按月',
    '按年',
    '按周',
    '逐月',
    '逐季',
  ].join('|'),
  'gu',
);
const ONGOING = /长期坚持|持续推进|持续开展|实时更新|实时办理|实时发布/g;
/** Words after a date that make it a past event rather than a deadline. */
const EVENT_AFTER = /^(?:印发|发布|通过|批准|公布|颁布|修订|修正|签发)/;
/** Words after a date that make it the day a text takes effect (本办法自2024年1月18日起施行). */
const EFFECTIVE_AFTER = /^(?:起(?:施行|实施|执行|生效|试行|实行)|施行|生效|试行|实行)/;
/** Before a date, in the same clause: a validity period (有效期至, 有效期延长至, 有效期自…起至). */
const VALIDITY_BEFORE = /(?:有效期|有效期限|试行期|施行期)[^，,。；;！？\n]{0,20}$/u;
/** Before a date: 经/已经 name a past event ("已经2020年10月26日区政府常务会议审议通过"). */
const EVENT_BEFORE = /经$/;
/** Before a year-less 年底/年内…: a count of years (三年内) or 每年, not this year. */
const NOT_THIS_YEAR = /[\d一二三四五六七八九十两几多数每全近历往]$/;

/** After a year-less 年底 without 前: what makes it a deadline ("年底全面完成", "年底，…"). */
const YEAR_END_DEADLINE = /^(?:[，,]|完成|实现|全面|基本|建成|达到|力争|确保)/;

const QUARTER_END: Readonly<Record<string, number>> = { 一: 3, 二: 6, 三: 9, 四: 12 };

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Turns one DATE_EXPR match into a deadline, or null when it is not one. */
function readDate(m: RegExpExecArray, text: string, year: number | null): Deadline | null {
  const [whole, y4, relYear, period, monthS, dayS, part, before, done] = m;
  const start = m.index;
  const end = start + whole.length;
  const hasYear = y4 !== undefined || relYear !== undefined;
  let y: number | null = y4 ? Number(y4) : year;
  if (relYear === '明' && y !== null) y += 1;
  const by = before !== undefined;
  // In a validity clause a date is when the text starts (…起) or stops applying, not a deadline.
  const validity = VALIDITY_BEFORE.test(text.slice(Math.max(0, start - 28), start));
  const validityKind: Deadline['kind'] = text.startsWith('起', end) ? 'effective' : 'expiry';
  const deadline = (date: string | null, kind: Deadline['kind']): Deadline => ({
    text: whole,
    start,
    end,
    date,
    kind: validity ? validityKind : kind,
  });

  if (period !== undefined) {
    if ((period === '底' || period === '末' || period === '内') && !hasYear) return null;
    if (!hasYear && NOT_THIS_YEAR.test(text.slice(Math.max(0, start - 1), start))) return null;
    // A year-less 年底 needs a deadline reading (年底前, 年底完成), not a name (年底考核).
    if (!hasYear && !by && !done && (period === '年底' || period === '年末') && !YEAR_END_DEADLINE.test(text.slice(end))) {
      return null;
    }
    let month = 12;
    if (period === '上半年') month = 6;
    else if (period.endsWith('季度')) month = QUARTER_END[period.replace(/^第/, '')[0]!]!;
    return deadline(y === null ? null : iso(y, month, lastDay(y, month)), 'by-date');
  }

  const month = Number(monthS);
  if (month < 1 || month > 12) return null;
  if (dayS !== undefined) {
    const day = Number(dayS);
    if (day < 1 || (y !== null && day > lastDay(y, month)) || day > 31) return null;
    if (!by && !hasYear) return null;
    if (!by && (EVENT_AFTER.test(text.slice(end)) || EVENT_BEFORE.test(text.slice(Math.max(0, start - 2), start)))) {
      return null;
    }
    const kind = by ? 'by-date' : EFFECTIVE_AFTER.test(text.slice(end)) ? 'effective' : 'date';
    return deadline(y === null ? null : iso(y, month, day), kind);
  }
  if (part === undefined && !by) return null; // a bare month: 2019年7月印发
  if (y === null) return deadline(null, 'by-date');
  const day = part === '上旬' ? 10 : part === '中旬' ? 20 : lastDay(y, month);
  return deadline(iso(y, month, day), 'by-date');
}

/** Spans of 《…》 (cited titles), where no time expression is read. */
function bookTitleSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '《' && open < 0) open = i;
    else if (c === '》' && open >= 0) {
      spans.push([open, i + 1]);
      open = -1;
    }
  }
  return spans;
}

/**
 * Every time expression in `text`, in order, with offsets into `text`. `year` completes
 * year-less expressions (null leaves their date null).
 */
export function extractDeadlines(text: string, year: number | null): Deadline[] {
  const found: Deadline[] = [];
  for (const m of text.matchAll(DATE_EXPR)) {
    const d = readDate(m as RegExpExecArray, text, year);
    if (d) found.push(d);
  }
  for (const m of text.matchAll(RECURRING)) {
    found.push({ text: m[0], start: m.index!, end: m.index! + m[0].length, date: null, kind: 'recurring' });
  }
  for (const m of text.matchAll(ONGOING)) {
    found.push({ text: m[0], start: m.index!, end: m.index! + m[0].length, date: null, kind: 'ongoing' });
  }
  if (found.length === 0) return found;
  const titles = bookTitleSpans(text);
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Deadline[] = [];
  let lastEnd = 0;
  for (const d of found) {
    if (d.start < lastEnd) continue;
    if (titles.some(([s, e]) => d.start >= s && d.start < e)) continue;
    out.push(d);
    lastEnd = d.end;
  }
  return out;
}

/** The cycle of a recurring expression and the due point in it, when the text writes one. */
export interface Recurrence {
  every: 'year' | 'half-year' | 'quarter' | 'month' | 'week' | 'day';
  /**
   * Month of the due point within the cycle (1–12 in a year; 1–3 in a quarter: 首月 = 1,
   * 末月 = 3), or null when not written.
   */
  month: number | null;
  /** Day of the due point; 31 stands for the month's last day (月底). Null when not written. */
  day: number | null;
}

const CN_NUMBER: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 5 → 5, 十 → 10, 二十五 → 25, 三十一 → 31. */
function smallNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const [tens, units] = s.split('十') as [string, string | undefined];
  if (units === undefined) return CN_NUMBER[tens] ?? NaN;
  return (tens ? (CN_NUMBER[tens] ?? NaN) : 1) * 10 + (units ? (CN_NUMBER[units] ?? NaN) : 0);
}

/** The day a 日/底/旬 point names: 10 for 上旬, 20 for 中旬, 31 (last) for 底/末/下旬. */
function pointDay(s: string | undefined): number | null {
  if (s === undefined) return null;
  const day = /^(\d{1,2}|[一二三四五六七八九十]{1,3})日/u.exec(s);
  if (day) return smallNumber(day[1]!);
  if (/^上旬/u.test(s)) return 10;
  if (/^中旬/u.test(s)) return 20;
  if (/^(?:底|末|下旬)/u.test(s)) return 31;
  return null;
}

/**
 * Reads a recurring expression (as {@link extractDeadlines} returns it): `每年一季度前` → every
 * year, month 3, day 31; `每月5日前` → every month, day 5; `每季度首月十日前` → every quarter,
 * month 1, day 10; `每季度` → every quarter, no point. Null for a text that is not recurring.
 */
export function readRecurrence(text: string): Recurrence | null {
  const cycle = /^(?:每年度?|按年|逐年)|^(?:每季度?|按季度|逐季)|^(?:每个?月|按月|逐月)|^(?:每半年|按半年)|^(?:每周|按周)|^(?:每日|每天)/u.exec(text);
  if (!cycle) return null;
  const head = cycle[0];
  const rest = text.slice(head.length).replace(/^的/u, '');
  if (/年/u.test(head) && !/半年/u.test(head)) {
    if (/^(?:年底|年末|下半年)/u.test(rest)) return { every: 'year', month: 12, day: 31 };
    if (/^上半年/u.test(rest)) return { every: 'year', month: 6, day: 31 };
    const quarter = /^第?([一二三四])季度/u.exec(rest);
    if (quarter) return { every: 'year', month: QUARTER_END[quarter[1]!]!, day: 31 };
    const month = /^(\d{1,2}|[一二三四五六七八九十]{1,3})月/u.exec(rest);
    if (month) {
      const m = smallNumber(month[1]!);
      if (m >= 1 && m <= 12) return { every: 'year', month: m, day: pointDay(rest.slice(month[0].length)) ?? 31 };
    }
    return { every: 'year', month: null, day: null };
  }
  if (/季/u.test(head)) {
    const which = /^(首月|第一个月|末月|最后一个月)/u.exec(rest);
    const month = which ? (/首月|第一个月/u.test(which[1]!) ? 1 : 3) : /^(?:底|末)/u.test(rest) ? 3 : null;
    const day = pointDay(which ? rest.slice(which[0].length) : rest) ?? (month !== null ? 31 : null);
    return { every: 'quarter', month, day };
  }
  if (/月/u.test(head)) return { every: 'month', month: null, day: pointDay(rest) };
  if (/半年/u.test(head)) return { every: 'half-year', month: null, day: null };
  if (/周/u.test(head)) return { every: 'week', month: null, day: null };
  return { every: 'day', month: null, day: null };
}

/**
 * The next day on or after `today` (ISO) that a recurring expression falls due, when its text
 * pins a point in the cycle (`每年一季度前` on 2026-12-06 → 2027-03-31; `每月5日前` → the 5th of
 * this or next month); null when it does not (`每年`, `每季度`, `每周`) or cannot be read.
 */
export function nextOccurrence(text: string, today: string): string | null {
  const r = readRecurrence(text);
  if (!r || r.day === null) return null;
  const [ty, tm] = today.split('-').map(Number) as [number, number];
  const at = (y: number, m: number) => iso(y, m, Math.min(r.day!, lastDay(y, m)));
  const candidates: string[] = [];
  if (r.every === 'year' && r.month !== null) {
    for (const y of [ty, ty + 1]) candidates.push(at(y, r.month));
  } else if (r.every === 'quarter' && r.month !== null) {
    for (const y of [ty, ty + 1]) for (const q of [1, 4, 7, 10]) candidates.push(at(y, q + r.month - 1));
  } else if (r.every === 'month') {
    for (let k = 0; k < 2; k++) {
      const m0 = tm - 1 + k;
      candidates.push(at(ty + Math.floor(m0 / 12), (m0 % 12) + 1));
    }
  }
  return candidates.find((d) => d >= today) ?? null;
}
