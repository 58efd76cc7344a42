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
