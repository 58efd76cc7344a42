/**
 * 文种 (document type) from a title. Pure.
 *
 * The type is the word the title ends with: 通知, 意见, 办法, 条例, 解释… A cover notice that
 * issues or forwards another document (关于印发《X办法》的通知, 转发…, 批转…) is filed under the
 * type of what it carries (办法): that is what a reader filters for, and what the publishers'
 * own catalogues list (notices-dev's meta.json files such notices under 办法 or 实施意见). A
 * notice about another document that does not carry it (关于废止《X办法》的通知, 关于延长…有效期的
 * 通知) stays a 通知.
 */

/**
 * Type words, most specific first: a title ending in one of the left-hand words is of the
 * right-hand type. 实施细则 is a 细则, 法典 a 法; 办法 must be tried before 法.
 */
const TYPE_ENDINGS: ReadonlyArray<readonly [string, string]> = [
  ['修正案', '修正案'],
  ['法典', '法'],
  ['细则', '细则'],
  ['条例', '条例'],
  ['规定', '规定'],
  ['办法', '办法'],
  ['规则', '规则'],
  ['守则', '规则'],
  ['解释', '解释'],
  ['解答', '解答'],
  ['批复', '批复'],
  ['答复', '批复'],
  ['决定', '决定'],
  ['决议', '决议'],
  ['命令', '命令'],
  ['公报', '公报'],
  ['公告', '公告'],
  ['通告', '通告'],
  ['通报', '通报'],
  ['通知', '通知'],
  ['意见', '意见'],
  ['方案', '方案'],
  ['预案', '预案'],
  ['规划', '规划'],
  ['计划', '计划'],
  ['要点', '要点'],
  ['纲要', '纲要'],
  ['指南', '指南'],
  ['导则', '导则'],
  ['标准', '标准'],
  ['规范', '规范'],
  ['安排', '安排'],
  ['报告', '报告'],
  ['请示', '请示'],
  ['纪要', '纪要'],
  ['函', '函'],
];

/** Every type docTypeOf can return, in the order of TYPE_ENDINGS (for help pages and tests). */
export const DOC_TYPES: readonly string[] = [...new Set([...TYPE_ENDINGS.map(([, t]) => t), '法', '案例'])];

/** Trailing notes that are not part of the type word: （试行）, （2019—2021年）, （征求意见稿）, 〔2020〕. */
const TRAILING_NOTE = /(?:\s*[（(〔[][^（）()〔〕[\]]{0,24}[）)〕\]])+\s*$/u;

/** 关于印发《X》的通知, 印发X的通知, 关于转发区…制订的《X》的通知, 关于批转…《X》的通知. */
const CARRIER = /(?:印发|转发|批转|发布|颁发)(?:修订后的|修订)?(?:[^《》]{0,40}?(?:制订|制定|起草|拟定)的)?《?([^《》]+?)》?\s*的?(?:通知|决定)$/u;

/** Words that end in 法 without being a law: 办法 (handled before), 方法, 做法, 说法. */
const NOT_A_LAW = /(?:方法|做法|说法|看法|想法|写法)$/u;

/** The type of a bare title (no carrier unwrapping). */
function endingType(title: string): string | null {
  const t = title.replace(TRAILING_NOTE, '').trim();
  if (!t) return null;
  for (const [ending, type] of TYPE_ENDINGS) if (t.endsWith(ending)) return type;
  if (/[^办]法$/u.test(t) && !NOT_A_LAW.test(t)) return '法';
  // 某某诉某某…纠纷案 / …一案: a court case (the laws corpus carries guiding cases).
  if (/诉.+案$/u.test(t)) return '案例';
  return null;
}

/** The document type of a title, or null when its ending names none. */
export function docTypeOf(title: string | null): string | null {
  if (!title) return null;
  const t = title.replace(/\s+/gu, '').trim();
  const carried = CARRIER.exec(t);
  if (carried) {
    // 转发关于调整…价格标准的通知 is short for 转发《关于调整…价格标准的通知》的通知: the 的通知
    // of the forwarded notice was merged into the carrier's.
    if (!t.includes('《') && /^关于/u.test(carried[1]!)) return '通知';
    const inner = endingType(carried[1]!);
    if (inner) return inner;
  }
  return endingType(t);
}
