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
 */
import type { Deadline } from '../domain/types.js';

/** Year-prefixed or year-less periods and dates. Groups: see `readDate`. */
const DATE_EXPR =
  /(?<!\d)(?:(\d{4})年|([今本当明])年)?(?:(年底|年末|年内|底|末|内|上半年|下半年|第?[一二三四]季度)|(\d{1,2})月(?:(\d{1,2})日)?(底|末|上旬|中旬|下旬)?)(?:(之前|以前|前|止)(完成)?)?/g;
const RECURRING = /每季度|每半年|每个月|每月|每年|每周|每日|每天|按季度|按半年|按月|按年|按周|逐月|逐季/g;
const ONGOING = /长期坚持|持续推进|持续开展|实时更新|实时办理|实时发布/g;
/** Words after a date that make it a past event rather than a deadline. */
const EVENT_AFTER = /^(?:印发|发布|通过|批准|公布|颁布|修订|修正|签发)/;
/** Words after a date that make it the day a text takes effect (本办法自2024年1月18日起施行). */
const EFFECTIVE_AFTER = /^(?:起(?:施行|实施|执行|生效)|施行|生效)/;
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
  const deadline = (date: string | null, kind: Deadline['kind']): Deadline => ({
    text: whole,
    start,
    end,
    date,
    kind,
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
