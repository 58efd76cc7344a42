/**
 * Numbering labels at the head of a paragraph: 第一编/章/节/条, 一、, （一）, 1., (1), ①.
 *
 * Labels are kept as written (`(一)` stays `(一)`, `1．` stays `1．`); the label *type* is what
 * nesting compares, so `(一)` and `（一）` in one document are siblings.
 */

/** The kinds of label, from the structural ones of laws to the list markers of notices. */
export type LabelType =
  | 'part' // 第一编, 第一分编
  | 'chapter' // 第一章
  | 'section' // 第一节
  | 'article' // 第一条
  | 'cn' // 一、
  | 'paren-cn' // （一） (一)
  | 'num' // 1. 1． 1、
  | 'paren-num' // （1） (1)
  | 'circled'; // ①

export interface Label {
  /** The label as written, e.g. `（三）`, `5.`, `第五条`. */
  text: string;
  type: LabelType;
  /** Length of the label as written in the source (before the spaces that follow it). */
  length: number;
  /** Length of the label plus the spaces after it, i.e. where the label's text starts. */
  bodyStart: number;
}

/** Fixed rank of the structural label types; list markers nest dynamically below them. */
export const STRUCTURAL_RANK: Partial<Record<LabelType, number>> = {
  part: 0,
  chapter: 2,
  section: 3,
  article: 4,
};

const CN_NUM = '[一二三四五六七八九十百千零〇两]';
/** Up to ten numerals: the 民法典 runs to 第一千二百六十条 (seven). */
const STRUCT_NUM = `(?:${CN_NUM}{1,10}|[0-9０-９]{1,4})`;
/**
 * 第X编/章/节/条. A following word like 的/规定/所 means the text only *mentions* an article
 * ("第三条规定的情形…"), so such a paragraph has no label.
 */
const STRUCTURAL = new RegExp(
  `^第${STRUCT_NUM}(分编|编|章|节|条(?:之${CN_NUM}{1,3})?)(?![的所规中款项第、，,和及或至到以])`,
);
const CN_ITEM = new RegExp(`^${CN_NUM}{1,4}、`);
const PAREN_CN = new RegExp(`^[（(]${CN_NUM}{1,4}[）)]`);
// 1. / 1． / 1、 but not a decimal (3.5亿元) or a date (2020.1).
const NUM_ITEM = /^[0-9０-９]{1,3}(?:[.．、](?![0-9０-９])|\s*[．.](?=\s))/;
const PAREN_NUM = /^[（(][0-9０-９]{1,3}[）)]/;
const CIRCLED = /^[\u2460-\u2473\u3251-\u325f]/;

const SPACE_RUN = /^[ \t\u3000\u00a0]*/;

function make(text: string, type: LabelType, full: string): Label {
  const rest = full.slice(text.length);
  const spaces = SPACE_RUN.exec(rest)![0].length;
  return { text: text.replace(/\s+/g, ''), type, length: text.length, bodyStart: text.length + spaces };
}

/** The label at the start of `text`, or null. */
export function parseLabel(text: string): Label | null {
  const first = text.charCodeAt(0);
  if (first === 0x7b2c /* 第 */) {
    const m = STRUCTURAL.exec(text);
    if (!m) return null;
    const unit = m[1]!;
    const type: LabelType =
      unit === '编' || unit === '分编' ? 'part' : unit === '章' ? 'chapter' : unit === '节' ? 'section' : 'article';
    return make(m[0], type, text);
  }
  let m: RegExpExecArray | null;
  if ((m = CN_ITEM.exec(text))) return make(m[0], 'cn', text);
  if ((m = PAREN_CN.exec(text))) return make(m[0], 'paren-cn', text);
  if ((m = PAREN_NUM.exec(text))) return make(m[0], 'paren-num', text);
  if ((m = NUM_ITEM.exec(text))) return make(m[0], 'num', text);
  if ((m = CIRCLED.exec(text))) return make(m[0], 'circled', text);
  return null;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** The value of a Chinese numeral (`十二` → 12, `一百零三` → 103), null when it is not one. */
function chineseNumber(s: string): number | null {
  let total = 0;
  let digit: number | null = null;
  for (const ch of s) {
    const d = CN_DIGITS[ch];
    const u = CN_UNITS[ch];
    if (d !== undefined) digit = d;
    else if (u !== undefined) {
      total += (digit ?? 1) * u;
      digit = null;
    } else return null;
  }
  return total + (digit ?? 0);
}

/** The number a label counts (`（三）` → 3, `16.` → 16, `②` → 2), null for 第X编/章/节/条. */
export function labelOrdinal(label: Label): number | null {
  if (STRUCTURAL_RANK[label.type] !== undefined) return null;
  if (label.type === 'circled') {
    const c = label.text.charCodeAt(0);
    return c <= 0x2473 ? c - 0x2460 + 1 : c - 0x3251 + 21;
  }
  const core = label.text.replace(/[（()）.．、\s]/g, '').replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10));
  if (/^[0-9]+$/.test(core)) return Number(core);
  return chineseNumber(core);
}
