/**
 * Cues that tell what a line (or a paragraph) is without context: a date on its own, a 文号, a
 * 版记 line, an attachment line, a 责任单位 line, an organ name, a document title. Both the line
 * joiner (a complete line is never continued) and the structure pass use them.
 *
 * The word lists come from GB/T 9704-2012 (党政机关公文格式), the 15 文种 of 《党政机关公文处理
 * 工作条例》, and what the seeds and the notices-dev corpus actually contain.
 */
import { readDataLines } from '../analysis/segmenter.js';
import type { DocumentMeta } from '../domain/types.js';

const CN_DIGIT = '[〇○零一二三四五六七八九]';
const CN_DAY = '[一二三四五六七八九十]{1,3}';
const DATE_CORE = `(?:\\d{4}|${CN_DIGIT}{4})\\s*年\\s*(?:\\d{1,2}|${CN_DAY})\\s*月\\s*(?:\\d{1,2}|${CN_DAY})\\s*日`;

/** A date and nothing else: the 成文日期 of a 落款. */
const DATE_LINE = new RegExp(`^${DATE_CORE}$`);
/** A 版记 印发 line: "2020年8月14日印发", "XX办公室    2020年11月2日印发". */
const PRINTED_LINE = new RegExp(`^(?:[^\\s。，；：]{2,40}\\s*)?${DATE_CORE}\\s*印发$`);
/** An organ and its date on one line: "XX人民政府    2020年9月29日". */
const ORGAN_DATE_LINE = new RegExp(`^[^\\s。，；：]{2,40}\\s+${DATE_CORE}$`);
/** 文号: 机关代字 + 〔年份〕 + 序号号, as a whole line. */
const DOC_NUMBER_LINE =
  /^(?:(?:文号|发文字号)[:：]?\s*)?[\u4e00-\u9fa5A-Za-z]{1,20}\s*[〔［[（(【﹝]\s*(?:19|20)\d{2}\s*[〕］\]）)】﹞]\s*第?\s*\d{1,5}\s*号$/;
const FOOTER_LINE = /^(?:抄送|抄报|分送|发送|主题词)[:：]|^[（(]此件[^）)]{0,12}[）)]$|^[（(]此页无正文[）)]$/;
/** "附件", "附件1", "附件：XX方案", "附件2．XX表" — not "附件所列…". */
const ATTACHMENT_LINE = /^附\s*件\s*[0-9０-９一二三四五六七八九十]{0,3}\s*(?:[:：.．、]|$|\s)/;
const ATTACHMENT_MARKER = /^附\s*件\s*[0-9０-９一二三四五六七八九十]{0,3}\s*[:：]?$/;
const FILE_NAME_LINE = /^\S[^。，；]{0,80}\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar)$/i;

/** Roles that name responsible units: 责任单位, 牵头单位, 配合部门… */
export const UNIT_ROLE = /(?:责任|牵头|配合|主责|主办|协办|参与|实施|承办)(?:单位|部门)\s*[:：]/;
const UNITS_LINE = new RegExp(`^[（(]?${UNIT_ROLE.source}`);

/**
 * Endings of organ names (发文机关, 落款) and of document titles (文种, names of normative documents
 * and plans), from the data files, compiled once on first use.
 */
let suffixes: { organ: RegExp; doc: RegExp } | null = null;
function vocabulary(): { organ: RegExp; doc: RegExp } {
  if (!suffixes) {
    const alt = (words: string[]) => [...words].sort((x, y) => y.length - x.length).join('|');
    suffixes = {
      organ: new RegExp(`(?:${alt(readDataLines('data/organ-endings.txt'))})$`, 'u'),
      doc: new RegExp(`(?:${alt(readDataLines('data/doc-types.txt'))})(?:[（(][^）)]{1,20}[）)])?$`, 'u'),
    };
  }
  return suffixes;
}

/** Sentence punctuation: a line containing it is a sentence, not a title or a name. */
const SENTENCE_PUNCT = /[。，；：！？,;:!?]/;

/** The end of a 主送机关 list: a kind of organ or unit, then the colon. */
const ADDRESSEE_TAIL =
  /(?:单位|部门|局|委|办|府|处|会|公司|企业|主体|科室|队|镇|乡|村|区|街道|机关|团体|组织|学校|医院|[)）])[:：]$/;

/**
 * A 主送机关 line: "各街道办事处、镇人民政府，区政府直属各单位：" — a list of organs ending with a
 * colon. A preamble ending with a colon ("为…，现就…提出如下意见：") is not one.
 */
export function isAddresseeLine(t: string): boolean {
  if (t.length > 150 || !ADDRESSEE_TAIL.test(t) || /[。；;！？!?]|如下|以下/.test(t)) return false;
  if (/^(?:为|根据|按照|依据|依照|经|现|对|关于|鉴于)/.test(t)) return false;
  return t.startsWith('各') || /[、，,]/.test(t) || t.length <= 12;
}

/** A table or figure caption: "表1：…", "图2 …". */
const CAPTION_LINE = /^[表图]\s*[0-9０-９]{1,3}(?:[-－.．][0-9０-９]{1,2})?(?:[\s:：]|$)/;

export function isCaptionLine(t: string): boolean {
  return CAPTION_LINE.test(t);
}
export function hasSentencePunct(t: string): boolean {
  return SENTENCE_PUNCT.test(t);
}
export function isDateLine(t: string): boolean {
  return DATE_LINE.test(t);
}
export function isPrintedLine(t: string): boolean {
  return PRINTED_LINE.test(t);
}
export function isOrganDateLine(t: string): boolean {
  return ORGAN_DATE_LINE.test(t) && !isPrintedLine(t);
}
export function isDocNumberLine(t: string): boolean {
  return t.length <= 40 && DOC_NUMBER_LINE.test(t);
}
export function isFooterLine(t: string): boolean {
  return FOOTER_LINE.test(t) || isPrintedLine(t);
}
export function isAttachmentLine(t: string): boolean {
  return ATTACHMENT_LINE.test(t) || FILE_NAME_LINE.test(t);
}
/** A lone "附件" / "附件2": the start of an attachment's own text. */
export function isAttachmentMarker(t: string): boolean {
  return ATTACHMENT_MARKER.test(t);
}
export function isUnitsLine(t: string): boolean {
  return UNITS_LINE.test(t);
}

/** A short line that is only an organ name: a masthead or a 落款 signature. */
export function isOrganLine(t: string): boolean {
  return t.length >= 3 && t.length <= 40 && !SENTENCE_PUNCT.test(t) && vocabulary().organ.test(t.replace(/\s+/g, ''));
}

/**
 * A line shaped like a document title: short, no sentence punctuation (、 is allowed in lists of
 * titles), ending with a 文种 or the name of a normative document.
 */
export function looksLikeTitle(t: string): boolean {
  if (t.length < 4 || t.length > 80) return false;
  const bare = t.replace(/《[^》]*》/g, '《》');
  if (SENTENCE_PUNCT.test(bare)) return false;
  return vocabulary().doc.test(t.replace(/\s+/g, ''));
}

/**
 * The titles a document announces through its metadata: the whole title, the title without its
 * issuer (from 关于), the document it 印发/转发/批转 ("关于印发X的通知" → X) and every 《…》 in it.
 * Compared without whitespace.
 */
export function titleCandidates(meta: DocumentMeta): Set<string> {
  const out = new Set<string>();
  const title = meta.title?.replace(/\s+/g, '');
  if (!title) return out;
  out.add(title);
  const about = title.indexOf('关于');
  if (about > 0) out.add(title.slice(about));
  const forwarded = /关于(?:印发|转发|批转|发布|颁布)(.+?)的(?:通知|决定|通告)$/.exec(title);
  if (forwarded) out.add(forwarded[1]!.replace(/^《(.*)》$/, '$1'));
  for (const m of title.matchAll(/《([^》]+)》/g)) out.add(m[1]!);
  return out;
}
