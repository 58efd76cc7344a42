/**
 * 时效性: what a document's own text says about when it applies — its 施行日期, the last day of its
 * 有效期, and the documents it repeals — and, from those facts, its state on a given day. Pure.
 *
 * Clauses are read on the matching-normalized text (src/analysis/normalize.ts: full-width folded,
 * PDF spaces dropped, so `2019 年 5 月 1 日` and `２０１９年` read as `2019年`), sentence by
 * sentence (。；！？) and, inside a sentence, fragment by fragment (，：). Titles of repealed
 * documents are mapped back to the stored text, so they read as written.
 *
 * Decisions:
 * - A 施行 clause counts only when its subject is the document itself: nothing (the fragment
 *   starts at 自…), `本/此/该 + a document word` (本办法, 本《意见》, 本实施方案, 本年度…名单), a
 *   《title》 naming the document or the rules it carries, or 以上/上述规定; and the verb
 *   (施行/实施/执行/试行/实行/生效) ends the fragment. So `合同自签订之日起生效`,
 *   `自受理之日起20个工作日内`, `自2005年1月1日起施行的《…》同时废止` and `自即日起停止执行` are not.
 *   A date-only header line of the laws corpus (`2021年1月1日 施行`) counts too.
 * - The clause that applies to the document as a whole is the last one in document order: a
 *   cover notice (印发/转发) comes before the rules it carries, and their 附则 comes last; a law's
 *   own article comes after its header lines.
 * - 自印发/发布/公布之日起 is the 成文日期 (meta.issuedDate, else the 印发日期 of the 版记), null when
 *   neither is known; 自印发后30日起 adds the days. In a notice that extends another document's
 *   有效期 (关于延长…有效期), the carried rules were issued long before the notice, so such a
 *   relative date is unknown (null).
 * - 有效期 counts with a subject as above; one with no subject counts when it opens its sentence
 *   or follows the document's 施行 clause in it (`本办法自…起施行，有效期五年`), or extends the
 *   document's term (`继续实施，有效期延长至…`). `《准入资格确认书》有效期2年` does not.
 *   An extension (有效期延长至) wins over any other expiry; otherwise the expiry stated beside
 *   the chosen 施行 clause, else the last one. A term (有效期N年, 试行期N年, 试行N年, N个月) ends
 *   N years after the 施行日期 stated beside it (else the chosen one, else the 成文日期), minus
 *   one day: 2024-11-01 + 两年 → 2026-10-31.
 * - Repeals: in a sentence with 废止/同时废止/予以废止/停止执行/不再执行/同时失效, the 《titles》 and
 *   文号 of the fragment before the verb (or after it: `废止…印发的《…》`), else of the nearest
 *   fragment before with any; never those after 根据/依据/按照…; `原…办法同时废止` without 《》
 *   too. In a repeal notice (title 关于废止/停止执行…), the items of a list introduced by
 *   `废止下列…：` count, and the title's 《…》 when the body names none. The document itself
 *   (same 文号, or same title without 原/an earlier date before it) is never listed.
 */
import { normalizeWithMap, toOriginalSpan } from '../analysis/normalize.js';
import type { DocReference, DocumentMeta, Paragraph, ParagraphKind, ValidityFacts, ValidityState } from '../domain/types.js';
import { formatDocNumber, parseDocNumber, removePdfSpaces } from './metadata.js';

// ---------------------------------------------------------------------------------------------
// Vocabulary (on normalized text: full-width punctuation is ASCII, 〔〕 are [], no whitespace)

/** Small numbers as written in terms and dates: 5, 二, 两, 十二, 三十一. */
const NUM = '(?:\\d{1,3}|[一二两三四五六七八九十]{1,3})';
/** A date, Arabic or Chinese (二〇二一年一月一日; NFKC lower-cases Ｏ to o); the day may be missing. */
const DATE = `(?:\\d{4}|[〇○零o一二三四五六七八九]{4})年${NUM}月(?:${NUM}日|底)?`;
const DATE_PARTS = new RegExp(`^(\\d{4}|[〇○零o一二三四五六七八九]{4})年(${NUM})月(?:(${NUM})日|(底))?$`, 'u');
/** Events that date a document: 自印发之日起, 自公布之日起. */
const EVENT = '(?:印发|发布|公布|颁布|下发|签发|发文|公告|通过)';
const VERB = '(?:施行|实施|执行|试行|实行|生效)';
/** Words a document names itself by (本办法, 本实施方案, 本《意见》…). */
const DOC_WORDS =
  '(?:法|法典|条例|规定|办法|细则|意见|通知|决定|方案|规则|预案|标准|规划|计划|导则|指引|指南|规范|解释|批复|公告|通告|文件|政策|措施|制度|章程|准则|纲要|要点|目录|清单|名单|修正案|安排|规程|守则|命令|令|答复|通报|函|决议)';
const SELF_SUBJECT = new RegExp(`^(?:(?:本|此|该)[^,]{0,20}?${DOC_WORDS}[》>〉"]?|(?:以上|上述)${DOC_WORDS})(?:及其附件)?$`, 'u');
/** A promulgation record of the laws' 题注: `（…通过 2008年4月17日…公告公布 自…起施行）`. */
const PROMULGATION_SUBJECT = /(?:公布|发布|颁布)$/u;
/** Cues that make a title the basis of the text, not its object (根据《…》). */
const BASIS = /(?:根据|依据|依照|按照|遵照|参照|贯彻|落实|对照|依|据)[^《]*$/u;
/** Right after a title: only part of it is meant (《…》第五条同时废止, 《…》中…的规定不再执行). */
const PARTIAL = /^(?:第[^,。;《]{1,12}?[条款项章节]|中[^,。;《]*?(?:规定|条款|内容))/u;
/** What makes a same-titled reference an earlier version, not the document itself. */
const EARLIER = new RegExp(`(?:原|旧|前|修订前的|${DATE}[^《]{0,24}?(?:印发|发布|公布|通过|施行|实施)的)$`, 'u');
/** A repeal notice, by its title. */
const REPEAL_TITLE = /废止|停止执行|不再执行|宣布失效/u;
/** A notice extending another document's 有效期. */
const EXTENSION_TITLE = /延长.{0,60}有效期|有效期.{0,4}延长/u;

const EFFECTIVE = new RegExp(
  `^(?<subj>.*?)(?:(?<pre>自|从|于)?(?<date>${DATE})(?<qi>起)?|(?:自|从)?即日起|(?:自|从)(?:本[^,]{0,8}?)?${EVENT}(?:之日起?|后(?<n1>${NUM})日起?|之日起(?<n2>${NUM})日后|之日后(?<n3>${NUM})日起?))(?:至(?<until>${DATE})止?)?(?<verb>${VERB})(?<object>本${DOC_WORDS})?[)]*$`,
  'u',
);
const TERM_WORD = '(?:有效期限?|试行期限?|执行期限?|施行期限?|实施期限?)';
const EXPIRY_UNTIL = new RegExp(`^(?<subj>.*?)${TERM_WORD}(?:为|是)?(?<ext>延长)?(?:至|到|截至|截止(?:到|至)?)(?<date>${DATE})止?$`, 'u');
const EXPIRY_RANGE = new RegExp(
  `^(?<subj>.*?)${TERM_WORD}(?:为|是)?(?:自|从)(?:(?<from>${DATE})|即日|(?:本[^,]{0,8}?)?${EVENT}之日)起?(?:至|到)(?<date>${DATE})止?$`,
  'u',
);
const EXPIRY_TERM = new RegExp(`^(?<subj>.*?)(?:${TERM_WORD}(?:为|是)?|试行)(?<n>${NUM})(?<unit>年|个月)$`, 'u');
/** `…起施行，至2025年12月31日止` / `执行至…`: an end beside the 施行 clause. */
const EXPIRY_AFTER = new RegExp(`^(?:执行|施行|实施|有效)?(?:至|到)(?<date>${DATE})止?$`, 'u');

const REPEAL_VERB = /(?<!不|已|已经|被|自行|[、和或及与])(?:(?:同时|一并|予以|即行|决定)?废止|(?:同时|一并|宣布|予以)失效|(?:停止|不再)(?:执行|施行|实施))(?!的)/gu;
const TITLE = /《([^《》]*)》/gu;
const DOC_NUMBER_AFTER = /^\(?([\u4e00-\u9fa5A-Za-z]{1,16}\[(?:19|20)\d{2}\]第?\d{1,5}号)/u;
const DOC_NUMBER = /([\u4e00-\u9fa5A-Za-z]{1,16})\[((?:19|20)\d{2})\]第?(\d{1,5})号/gu;
/** Words that may stand before an agency code in running text (废止沪府发〔2015〕3号). */
const BEFORE_AGENCY =
  /^.*(?:废止|印发|转发|发布|停止执行|不再执行|人民政府|政府|委员会|办公厅|办公室|法院|检察院|我院|本院|的|和|及|与|对|将|把|原|即|为|是|以|经|由|、|年|月|日)/u;
/** After a bare 文号: it issued the title that follows (…号文件发布、…修改的《X》). */
const ISSUED_BY = /^(?:文件|通知|文)?(?:印发|发布|公布|颁布|下发)[^《,]*?《/u;
/** A fragment that gives the basis of the text (根据《…》，…), never a list of repealed documents. */
const BASIS_FRAGMENT = /^(?:根据|依据|依照|按照|遵照|为|经)/u;
const ORIGINAL_NAME = new RegExp(`原([\\u4e00-\\u9fa5]{2,40}?${DOC_WORDS})(?:\\(([^()]{2,24}号)\\))?(?:同时|一并|予以)?(?:废止|停止执行|不再执行)`, 'u');
/** A list item's leading label, and the labels of a clause or heading. */
const LABEL =
  /^(?:第[一二三四五六七八九十百千零〇两]+[章节编][\u4e00-\u9fa5]{0,12}?(?=第[一二三四五六七八九十百千零〇两]+条)|第[一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十]+)?|[(\[][一二三四五六七八九十\d]{1,3}[)\]]|[一二三四五六七八九十\d]{1,3}[、.]|\[[^\]]{1,10}\]|\([^)]{1,10}\))+/u;
/** A list entry that is a document's name and nothing else. */
const BARE_NAME = new RegExp(`^[\\u4e00-\\u9fa5、〈〉<>]{2,60}${DOC_WORDS}(?:[(（][^()（）]{1,12}[)）])?$`, 'u');
/** 废止下列规章：— but not 有下列情形之一的…废止执业证书： */
const LIST_INTRO = /(?:下列|以下|如下)(?!情形|情况|行为|条件|事项|规定)/u;

/** Paragraph kinds whose text never states the document's validity. */
const SKIPPED: ReadonlySet<ParagraphKind> = new Set(['title', 'docnumber', 'addressee', 'footer', 'attachment', 'table-header']);

// ---------------------------------------------------------------------------------------------
// Dates

const CN_DIGIT: Readonly<Record<string, number>> = { 〇: 0, '○': 0, 零: 0, o: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 5 → 5, 二 → 2, 十 → 10, 十二 → 12, 三十一 → 31. */
function readNumber(s: string): number {
  if (/^\d+$/u.test(s)) return Number(s);
  if (!s.includes('十')) return CN_DIGIT[s] ?? NaN;
  const [tens, units] = s.split('十') as [string, string];
  return (tens ? (CN_DIGIT[tens] ?? NaN) : 1) * 10 + (units ? (CN_DIGIT[units] ?? NaN) : 0);
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The ISO date of a DATE match, or null when it is no real date. Without a day, `end` picks
 * the month's last day (an expiry: 有效期至2025年12月) or its first (a start: 自2021年1月起).
 * (deadlines.ts reads Arabic dates inside its own expressions only; metadata.ts keeps its
 * reader private, so this small one is here.)
 */
function readDate(s: string, end: boolean): string | null {
  const m = DATE_PARTS.exec(s);
  if (!m) return null;
  const year = /^\d+$/u.test(m[1]!) ? Number(m[1]) : Number([...m[1]!].map((c) => CN_DIGIT[c]).join(''));
  const month = readNumber(m[2]!);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = m[3] !== undefined ? readNumber(m[3]) : end || m[4] ? last : 1;
  if (!(year >= 1900 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= last)) return null;
  return iso(year, month, day);
}

/** `date` plus years, months and days (UTC calendar arithmetic; Feb 29 + 1 year → Mar 1). */
function addToDate(date: string, years: number, months: number, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y + years, m - 1 + months, d + days));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 2018-01-01 → 2018年1月1日. */
function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

// ---------------------------------------------------------------------------------------------
// Clauses of one paragraph

/** What the reader of a paragraph knows about the document it belongs to. */
interface DocContext {
  /** Normalized titles the document goes by: its own, the rules it carries (title paragraphs). */
  titles: ReadonlySet<string>;
}

const NO_CONTEXT: DocContext = { titles: new Set() };

type Start = { kind: 'date'; date: string | null } | { kind: 'issued'; days: number };

interface EffectiveClause {
  start: Start;
  /**
   * Where the document applies from a later day only (莱芜区、钢城区自2019年5月1日起执行本规定):
   * a validity clause, but not the 施行日期 of the whole.
   */
  partial: boolean;
  /** The end of a `自…起至…止施行` period. */
  until: string | null;
}

interface ExpiryClause {
  date: string | null;
  term: { years: number; months: number } | null;
  /** 有效期延长至: an extension, which wins over any other expiry. */
  extension: boolean;
  /** A 施行日期 stated in the same sentence (the base of a term). */
  from: Start | null;
}

interface Fragment {
  /** Normalized text, the paragraph's label removed from the first fragment. */
  text: string;
  /** Offset of `text` in the paragraph's normalized text. */
  start: number;
}

/** Sentences (。；！？) of a normalized paragraph, each as its fragments (，：). */
function sentences(norm: string): Fragment[][] {
  const out: Fragment[][] = [];
  let sentence: Fragment[] = [];
  let from = 0;
  for (let i = 0; i <= norm.length; i++) {
    const c = norm[i];
    if (c === undefined || c === ',' || c === ':' || c === '。' || c === ';' || c === '!' || c === '?') {
      // Labels open sentences too: PDF extraction and the laws' Markdown glue articles together
      // (…追究刑事责任。第六章附则第四十条本条例自2014年1月1日起施行).
      const label = sentence.length ? null : LABEL.exec(norm.slice(from, i));
      const start = from + (label ? label[0].length : 0);
      if (i > start) sentence.push({ text: norm.slice(start, i), start });
      from = i + 1;
      if (c !== ',' && c !== ':' && sentence.length) {
        out.push(sentence);
        sentence = [];
      }
    }
  }
  if (sentence.length) out.push(sentence);
  return out;
}

/** Whether a fragment's subject (the words before 自… or 有效期) is the document itself. */
function isSelfSubject(subj: string, ctx: DocContext): boolean {
  if (subj === '' || SELF_SUBJECT.test(subj)) return true;
  const title = /^《([^《》]+)》$/u.exec(subj);
  return title !== null && ctx.titles.has(title[1]!);
}

function effectiveOf(f: Fragment, ctx: DocContext): EffectiveClause | null {
  const m = EFFECTIVE.exec(f.text);
  if (!m) return null;
  const g = m.groups!;
  const subj = g.subj!;
  const partial = g.object !== undefined && !isSelfSubject(subj, ctx);
  if (!partial && !isSelfSubject(subj, ctx) && !PROMULGATION_SUBJECT.test(subj)) return null;
  // A bare date before the verb (`2021年1月1日施行`) is a header line: it must open the fragment.
  if (g.date !== undefined && g.pre === undefined && g.qi === undefined && subj !== '') return null;
  const days = g.n1 ?? g.n2 ?? g.n3;
  const start: Start =
    g.date !== undefined ? { kind: 'date', date: readDate(g.date, false) } : { kind: 'issued', days: days ? readNumber(days) : 0 };
  return { start, partial, until: g.until !== undefined ? readDate(g.until, true) : null };
}

/**
 * The expiry a fragment states, given what came before it in its sentence: whether it opens the
 * sentence, the document's 施行 clause before it, a 继续实施 of the document it extends.
 */
function expiryOf(f: Fragment, ctx: DocContext, before: { opens: boolean; effective: EffectiveClause | null; continued: boolean }): ExpiryClause | null {
  const from = before.effective?.start ?? null;
  const subjectOk = (subj: string) =>
    subj === '' ? before.opens || before.effective !== null || before.continued : isSelfSubject(subj, ctx);
  let m = EXPIRY_UNTIL.exec(f.text);
  if (m) {
    const extension = m.groups!.ext !== undefined;
    if (!extension && !subjectOk(m.groups!.subj!)) return null;
    if (extension && !(m.groups!.subj === '' || isSelfSubject(m.groups!.subj!, ctx))) return null;
    return { date: readDate(m.groups!.date!, true), term: null, extension, from };
  }
  m = EXPIRY_RANGE.exec(f.text);
  if (m && subjectOk(m.groups!.subj!)) {
    const start: Start | null = m.groups!.from !== undefined ? { kind: 'date', date: readDate(m.groups!.from, false) } : { kind: 'issued', days: 0 };
    return { date: readDate(m.groups!.date!, true), term: null, extension: false, from: start };
  }
  m = EXPIRY_TERM.exec(f.text);
  if (m && subjectOk(m.groups!.subj!)) {
    const n = readNumber(m.groups!.n!);
    if (!(n > 0)) return null;
    const term = m.groups!.unit === '年' ? { years: n, months: 0 } : { years: 0, months: n };
    return { date: null, term, extension: false, from };
  }
  m = EXPIRY_AFTER.exec(f.text);
  if (m && before.effective) return { date: readDate(m.groups!.date!, true), term: null, extension: false, from };
  return null;
}

/** A 《title》 of a paragraph: inner text (normalized) and its span in the normalized text. */
interface TitleSpan {
  norm: string;
  start: number;
  end: number;
  docNumber: string | null;
}

function normalizedDocNumber(s: string): string | null {
  const parts = parseDocNumber(s);
  return parts ? formatDocNumber(parts) : null;
}

function titleSpans(norm: string): TitleSpan[] {
  const out: TitleSpan[] = [];
  for (const m of norm.matchAll(TITLE)) {
    const end = m.index + m[0].length;
    const num = DOC_NUMBER_AFTER.exec(norm.slice(end));
    out.push({ norm: m[1]!, start: m.index, end: num ? end + num[0].length : end, docNumber: num ? normalizedDocNumber(num[1]!) : null });
  }
  return out;
}

/** 文号 written without a title (沪府发〔2015〕3号文件同时废止), outside the given title spans. */
function bareDocNumbers(norm: string, from: number, to: number, titles: readonly TitleSpan[]): Array<{ start: number; end: number; docNumber: string }> {
  const out: Array<{ start: number; end: number; docNumber: string }> = [];
  for (const m of norm.slice(from, to).matchAll(DOC_NUMBER)) {
    const at = from + m.index;
    // 法（研）发〔1987〕32号: a code with a bracket inside is beyond parseDocNumber; not half of it.
    if (titles.some((t) => at >= t.start && at < t.end) || norm[at - 1] === ')') continue;
    const agency = m[1]!.replace(BEFORE_AGENCY, '');
    const docNumber = agency ? normalizedDocNumber(`${agency}[${m[2]}]${m[3]}号`) : null;
    if (docNumber) out.push({ start: at, end: at + m[0].length, docNumber });
  }
  return out;
}

/** The paragraph as read once: normalized text, map back, titles. */
interface ReadParagraph {
  text: string;
  norm: string;
  map: ReturnType<typeof normalizeWithMap>;
  titles: TitleSpan[];
}

function readParagraph(text: string): ReadParagraph {
  const map = normalizeWithMap(text);
  return { text, norm: map.text, map, titles: titleSpans(map.text) };
}

/** A title as written in the stored text (PDF spaces removed). */
function writtenTitle(p: ReadParagraph, t: TitleSpan): string {
  const [s, e] = toOriginalSpan(p.map, t.start + 1, t.start + 1 + t.norm.length, p.text);
  return removePdfSpaces(p.text.slice(s, e)).trim();
}

type Ref = { title: string | null; docNumber: string | null; start: number };

/** Whether a title or 文号 at `at` is the basis of its fragment (根据《…》), not its object. */
function isBasis(p: ReadParagraph, fragmentStart: number, at: number): boolean {
  const before = p.norm.slice(fragmentStart, at);
  // 根据…决定修正的《X》 names X by its history: X is still the object.
  return BASIS.test(before) && !before.endsWith('的');
}

/**
 * References between `from` and `to` (normalized offsets) that are not the basis of the text. A
 * 文号 that issued the title after it (京政发〔1986〕148号文件发布…的《X》) is that title's.
 */
function referencesIn(p: ReadParagraph, from: number, to: number, fragmentStart: number): Ref[] {
  const refs: Ref[] = [];
  const titles = p.titles.filter((t) => t.start >= from && t.start < to);
  const issuedBy = new Map<TitleSpan, string>();
  for (const n of bareDocNumbers(p.norm, from, to, p.titles)) {
    const issuing = ISSUED_BY.exec(p.norm.slice(n.end, to));
    const title = issuing ? titles.find((t) => t.start === n.end + issuing[0].length - 1) : undefined;
    if (title && !title.docNumber) issuedBy.set(title, n.docNumber);
    else if (!isBasis(p, fragmentStart, n.start)) refs.push({ title: null, docNumber: n.docNumber, start: n.start });
  }
  for (const t of titles) {
    if (isBasis(p, fragmentStart, t.start) || PARTIAL.test(p.norm.slice(t.end))) continue;
    refs.push({ title: writtenTitle(p, t), docNumber: t.docNumber ?? issuedBy.get(t) ?? null, start: t.start });
  }
  return refs.sort((a, b) => a.start - b.start);
}

interface RepealFinding {
  refs: Ref[];
  /** A repeal verb with nothing named, introducing a list (废止下列文件：). */
  opensList: boolean;
}

/** The documents a paragraph declares repealed (see the module comment). */
function repealsOf(p: ReadParagraph): RepealFinding {
  const found: RepealFinding = { refs: [], opensList: false };
  const whole = (f: Fragment) => referencesIn(p, f.start, f.start + f.text.length, f.start);
  for (const sentence of sentences(p.norm)) {
    sentence.forEach((f, k) => {
      for (const v of f.text.matchAll(REPEAL_VERB)) {
        const at = f.start + v.index;
        const end = at + v[0].length;
        // 废止 inside a cited title (《国务院关于废止和修改部分行政法规的决定》) is part of its name.
        if (p.titles.some((t) => at > t.start && at < t.start + t.norm.length + 1)) continue;
        // Verb first (废止…印发的《…》): what follows it in the fragment.
        let refs = referencesIn(p, end, f.start + f.text.length, end);
        if (!refs.length) {
          // Verb last (《…》（…）同时废止): what precedes it, and the list of fragments before it
          // naming documents (《A》，《B》，…同时废止); else the nearest fragment before with any.
          refs = referencesIn(p, f.start, at, f.start);
          let j = k - 1;
          if (!refs.length) {
            for (; !refs.length && j >= 0 && !BASIS_FRAGMENT.test(sentence[j]!.text); j--) refs = whole(sentence[j]!);
          }
          for (let more: Ref[]; j >= 0 && !BASIS_FRAGMENT.test(sentence[j]!.text) && (more = whole(sentence[j]!)).length; j--) refs.unshift(...more);
        }
        if (!refs.length) {
          const original = ORIGINAL_NAME.exec(f.text);
          if (original) refs = [{ title: original[1]!, docNumber: original[2] ? normalizedDocNumber(original[2]) : null, start: f.start + original.index }];
        }
        if (refs.length) found.refs.push(...refs);
        else if (v[0].includes('废止') && sentence.some((g) => LIST_INTRO.test(g.text)) && p.norm[f.start + f.text.length] === ':') found.opensList = true;
      }
    });
  }
  return found;
}

/**
 * Every reference of a list item (an entry of a repeal list): its titles and 文号; else the
 * cells of a table row under 名称/文号 headers; else the item itself when it is a bare name
 * (刑法 art. 452: `1．中华人民共和国惩治军人违反职责罪暂行条例`).
 */
function listItemRefs(p: ReadParagraph, para: Paragraph, columns: { title: number; number: number } | null): Ref[] {
  // A table row's cells are read one by one: normalization drops the tabs between them.
  if (para.kind === 'table-row' && columns) {
    const cells = para.text.split('\t');
    const titleCell = readParagraph(columns.title >= 0 ? (cells[columns.title] ?? '') : '');
    const quoted = titleCell.titles[0];
    const title = quoted ? writtenTitle(titleCell, quoted) : removePdfSpaces(titleCell.text).trim();
    const docNumber = (columns.number >= 0 ? normalizedDocNumber(removePdfSpaces(cells[columns.number] ?? '')) : null) ?? quoted?.docNumber ?? null;
    return title || docNumber ? [{ title: title || null, docNumber, start: 0 }] : [];
  }
  const refs = referencesIn(p, 0, p.norm.length, 0);
  if (refs.length || para.kind === 'table-row') return refs;
  const name = removePdfSpaces(para.label && para.text.startsWith(para.label) ? para.text.slice(para.label.length) : para.text).replace(/[。;；]$/u, '');
  return BARE_NAME.test(name) ? [{ title: name, docNumber: null, start: 0 }] : [];
}

// ---------------------------------------------------------------------------------------------
// Public API

interface Clauses {
  effective: EffectiveClause[];
  expiry: ExpiryClause[];
}

/**
 * Whether offset `at` lies in the bracketed note of a cited title: 《…决定》（…通过，2013年1月1日起
 * 施行） dates the cited decision, not this document.
 */
function inCitation(norm: string, at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const c = norm[i];
    if (c === ')') depth++;
    else if (c === '(' && depth-- === 0) return norm[i - 1] === '》';
  }
  return false;
}

/** The 施行 and 有效期 clauses of one paragraph's text. */
function clausesOf(p: ReadParagraph, ctx: DocContext): Clauses {
  const out: Clauses = { effective: [], expiry: [] };
  for (const sentence of sentences(p.norm)) {
    let effective: EffectiveClause | null = null;
    let continued = false;
    sentence.forEach((f, k) => {
      if (inCitation(p.norm, f.start)) return;
      const e = effectiveOf(f, ctx);
      if (e) {
        if (!e.partial) effective = e;
        out.effective.push(e);
        if (e.until) out.expiry.push({ date: e.until, term: null, extension: false, from: e.start });
        return;
      }
      const x = expiryOf(f, ctx, { opens: k === 0, effective, continued });
      if (x) {
        out.expiry.push(x);
        // 有效期自2026年1月1日起至…止 states the 施行日期 too.
        if (x.from && !effective) out.effective.push({ start: x.from, partial: false, until: null });
        return;
      }
      if (/继续(?:实施|执行|有效|施行)$/u.test(f.text)) continued = true;
    });
  }
  return out;
}

/**
 * Whether a paragraph's text states the document's validity: a 施行 clause about the document
 * itself, its 有效期, or a repeal (see the module comment for what is and is not one).
 */
export function isValidityClause(text: string): boolean {
  const p = readParagraph(text);
  const c = clausesOf(p, NO_CONTEXT);
  if (c.effective.length || c.expiry.length) return true;
  const r = repealsOf(p);
  return r.refs.length > 0 || r.opensList;
}

function sameTitle(a: string, b: string): boolean {
  return normalizeWithMap(a).text === b;
}

/** What the document's text says about its own validity (see the module comment). Pure. */
export function extractValidity(paragraphs: readonly Paragraph[], meta: DocumentMeta): ValidityFacts {
  const own = new Set<string>();
  const addTitle = (t: string | null) => {
    if (!t) return;
    const n = normalizeWithMap(t).text;
    own.add(n);
    for (const m of n.matchAll(TITLE)) own.add(m[1]!);
  };
  addTitle(meta.title);
  for (const p of paragraphs) if (p.kind === 'title') addTitle(p.text);
  const ctx: DocContext = { titles: own };
  const issued = meta.issuedDate ?? meta.printedDate;
  const extensionNotice = meta.title !== null && EXTENSION_TITLE.test(meta.title);
  const repealNotice = meta.title !== null && REPEAL_TITLE.test(meta.title);

  let effective: { para: number; clause: EffectiveClause } | null = null;
  const expiries: Array<{ para: number; clause: ExpiryClause }> = [];
  const repeals: DocReference[] = [];
  let listing = false;
  let columns: { title: number; number: number } | null = null;

  const addRepeal = (p: ReadParagraph, para: number, ref: Ref) => {
    if (ref.docNumber !== null && ref.docNumber === meta.docNumber) return;
    if (ref.docNumber === null && ref.title !== null && [...own].some((t) => sameTitle(ref.title!, t)) && !EARLIER.test(p.norm.slice(0, ref.start))) return;
    if (repeals.some((r) => r.title === ref.title && r.docNumber === ref.docNumber)) return;
    repeals.push({ title: ref.title, docNumber: ref.docNumber, para, cue: '废止' });
  };

  for (const [i, para] of paragraphs.entries()) {
    if (para.kind === 'table-header') {
      const cells = para.text.split('\t');
      columns = { title: cells.findIndex((c) => /名称|标题|文件/u.test(c)), number: cells.findIndex((c) => /文号|编号|字号/u.test(c)) };
    }
    if (SKIPPED.has(para.kind)) continue;
    const p = readParagraph(para.text);
    if (para.kind !== 'table-row') {
      const c = clausesOf(p, ctx);
      const last = c.effective.filter((e) => !e.partial).at(-1);
      if (last) effective = { para: i, clause: last };
      for (const x of c.expiry) expiries.push({ para: i, clause: x });
    }
    const r = repealsOf(p);
    const item = para.kind === 'table-row' || para.label !== null || p.norm.startsWith('《');
    if (listing && item && !r.refs.length) {
      for (const ref of listItemRefs(p, para, columns)) addRepeal(p, i, ref);
    } else if (listing && !item && !(para.kind === 'heading' && /废止/u.test(p.norm))) listing = false;
    for (const ref of r.refs) addRepeal(p, i, ref);
    if (r.opensList || (para.kind === 'heading' && /废止/u.test(p.norm) && !r.refs.length)) listing = true;
  }

  // A repeal notice whose body names nothing (关于废止《X》的通知 + 现决定予以废止): its title's 《…》.
  if (repealNotice && !repeals.length && meta.title) {
    const at = paragraphs.findIndex((p) => p.kind === 'title');
    const p = readParagraph(meta.title);
    for (const t of p.titles) repeals.push({ title: writtenTitle(p, t), docNumber: t.docNumber, para: Math.max(at, 0), cue: '废止' });
  }

  const resolve = (start: Start | null): string | null => {
    if (!start) return null;
    if (start.kind === 'date') return start.date;
    if (extensionNotice || issued === null) return null;
    return addToDate(issued, 0, 0, start.days);
  };
  const chosen = effective;
  const effectiveDate = chosen ? resolve(chosen.clause.start) : null;

  const extension = expiries.filter((x) => x.clause.extension).at(-1);
  const beside = chosen ? expiries.filter((x) => x.para === chosen.para).at(-1) : undefined;
  const expiry = extension ?? beside ?? expiries.at(-1);
  let expiryDate: string | null = null;
  if (expiry) {
    const { date, term, from } = expiry.clause;
    if (term) {
      const base = resolve(from) ?? effectiveDate ?? (extensionNotice ? null : issued);
      expiryDate = base ? addToDate(base, term.years, term.months, -1) : null;
    } else expiryDate = date;
  }

  return {
    effectiveDate,
    expiryDate,
    effectivePara: chosen ? chosen.para : null,
    expiryPara: expiry ? expiry.para : null,
    repeals,
  };
}

/**
 * A document's state on `today` (ISO) and the reason shown to readers. `repealedBy` names the
 * repealing document (`《…》（文号）`) when one in force declares this one repealed. A document
 * whose text states nothing is taken as in force, and the reason says the text is silent.
 */
export function validityState(facts: ValidityFacts | undefined, today: string, repealedBy: string | null): { state: ValidityState; reason: string } {
  if (repealedBy !== null) return { state: 'repealed', reason: `被${repealedBy}废止` };
  if (!facts) return { state: 'in-force', reason: '未分析时效信息，按现行有效显示' };
  const { effectiveDate, expiryDate } = facts;
  const parts: string[] = [];
  if (effectiveDate) parts.push(`自${chineseDate(effectiveDate)}起施行`);
  else if (facts.effectivePara !== null) parts.push('施行日期未能从文中确定');
  if (expiryDate) parts.push(`有效期至${chineseDate(expiryDate)}`);
  else if (facts.expiryPara !== null) parts.push('有效期截止日未能从文中确定');
  if (!parts.length) return { state: 'in-force', reason: '文中未载明施行日期和有效期' };
  const stated = parts.join('，');
  if (expiryDate !== null && expiryDate < today) return { state: 'expired', reason: `${stated}，已届满` };
  if (effectiveDate !== null && effectiveDate > today) return { state: 'not-yet', reason: `${stated}，尚未施行` };
  return { state: 'in-force', reason: stated };
}
