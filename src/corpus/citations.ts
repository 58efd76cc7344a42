/**
 * Citations between documents: which other documents a document mentions (根据《…》, 依照《…》
 * （国办发〔2019〕3号）, 依照刑法第X条), and which documents of a corpus those mentions name.
 * Both stages are pure: `extractReferences` reads one document's paragraphs, `resolveReferences`
 * links the documents of a corpus by their stored `meta.references`.
 *
 * What counts as a mention of another document:
 * - a title in 《》 that names a document by its ending (法, 条例, 办法, 意见, 通知, 方案, 标准…),
 *   not a newspaper, form, licence or column (《人民日报》, 《…申请表》, 《…许可证》);
 *   nested marks (《关于落实〈…〉的实施细则》) are one title, the outer one;
 * - a 文号 (国办发〔2019〕3号, brackets 〔〕 [] () 【】 ﹝﹞ alike): in the parentheses right after a
 *   title it belongs to that title, elsewhere it is a mention of its own;
 * - a law named without 《》 after a cue (根据宪法, 依照刑法, 适用民事诉讼法) or before an article
 *   (在刑法第三十七条后增加…): how laws and 修正案 cite each other;
 * - an abbreviation introduced by 以下简称 (《中华人民共和国政府信息公开条例》（以下简称《条例》）)
 *   stands for the full title afterwards: the reference carries the full title, not 条例.
 *
 * Never a citation: the document's own title or 文号; the attachment a cover notice prints
 * (关于印发《X》的通知 and 现将《X》印发给你们, 《X》已经区政府同意，现转发给你们), which is the
 * document itself; 本《办法》; a bare genre word (《意见》) that no abbreviation defines.
 */
import { normalizeForMatch } from '../analysis/normalize.js';
import type { DocReference, DocumentMeta, Paragraph } from '../domain/types.js';
import { formatDocNumber, parseDocNumber, removePdfSpaces } from './metadata.js';

// ---------------------------------------------------------------------------------------------
// Keys

/**
 * The key two spellings of one title share: matching normalization (width, brackets, spaces),
 * book-title marks and quotes removed, the 中华人民共和国 prefix dropped (laws are cited both
 * ways), 、 between joint issuers dropped (最高人民法院、最高人民检察院关于… is filed without it).
 */
export function referenceKey(title: string): string {
  return normalizeForMatch(title)
    .replace(/[《》〈〉<>«»‹›"'「」『』、]/gu, '')
    .replace(/^中华人民共和国/u, '');
}

// ---------------------------------------------------------------------------------------------
// Which 《…》 name a document

/**
 * Endings of document titles: the 文种 of 《党政机关公文处理工作条例》 art. 8, the names of laws,
 * regulations, rules and plans, and standards (a 标准 or 规范 is cited like a regulation).
 */
const DOCUMENT_ENDINGS =
  '法典|法|修正案|条例|规定|办法|细则|规则|守则|准则|章程|解释|解答|批复|答复|复函|函|决定|决议|命令|令|公报|公告|通告|通报|通知|' +
  '意见|意见稿|方案|预案|规划|计划|要点|纲要|大纲|指南|指引|导则|标准|规范|规程|措施|制度|目录|名录|报告|请示|议案|纪要|' +
  '安排|提示|协定|条约|公约|议定书|政策|草案';
const DOCUMENT_ENDING = new RegExp(`(?:${DOCUMENT_ENDINGS})$`, 'u');
/** Titles that end like a document but name a periodical: 《国务院公报》, 《人民日报》. */
const NOT_DOCUMENT = /(?:政府公报|国务院公报|人民政府公报|常务委员会公报|日报|晚报|周报|杂志)$/u;
/** Trailing notes after the name: （试行）, （2019—2021）, （年本）, （征求意见稿）, （二）. */
const TRAILING_NOTE = /(?:\s*[（(][^（）()]{0,24}[）)])+\s*$/u;
/** A genre word alone names no document unless an abbreviation defined it: 《条例》, 《实施细则》. */
const GENRE_ONLY = new RegExp(`^(?:实施|管理|工作|指导|技术|若干|暂行|试行|行动|专项|总体)?(?:${DOCUMENT_ENDINGS})$`, 'u');

/** Whether the text inside 《》 names a document (not a book, newspaper, form or column). */
export function namesDocument(title: string): boolean {
  const core = title.replace(TRAILING_NOTE, '');
  return core.length >= 2 && DOCUMENT_ENDING.test(core) && !NOT_DOCUMENT.test(core);
}

// ---------------------------------------------------------------------------------------------
// The document's own titles

/** Verbs by which a cover notice carries its attachment: 关于印发《X》的通知. */
const CARRIER_VERB = /(?:印发|转发|批转|发布|颁发|公布)(?:修订后的|修订)?[^《》]*$/u;
/** 关于印发X的通知 written without 《》: X is what follows the verb (after 制订的…). */
const CARRIER_BARE = /(?:印发|转发|批转|发布|颁发|公布)(?:修订后的|修订)?(.+?)的(?:通知|决定|命令|令|公告)$/u;

/**
 * Keys under which a document is cited: its title, and the title of the document it carries
 * when it is a cover notice (关于印发《X》的通知 → X; 转发区规划土地局关于X的通知 → 区规划土地局关于X
 * and X). A notice about another document it does not carry (关于废止《X》的通知, 关于延长《X》有效期
 * 的通知) is not cited as X.
 */
export function ownTitleKeys(meta: Pick<DocumentMeta, 'title'>): string[] {
  const title = meta.title;
  if (!title) return [];
  const keys = new Set<string>([referenceKey(title)]);
  let carriedInMarks = false;
  for (const span of bookTitleSpans(title)) {
    if (CARRIER_VERB.test(title.slice(0, span.start))) {
      keys.add(referenceKey(title.slice(span.start + 1, span.end - 1)));
      carriedInMarks = true;
    }
  }
  const bare = carriedInMarks ? null : CARRIER_BARE.exec(title);
  if (bare) {
    const carried = bare[1]!.replace(/^.*?(?:制订|制定|拟定|起草)的/u, '');
    keys.add(referenceKey(carried));
    const afterAbout = carried.match(/^[^《》]{1,40}?关于(.+)$/u);
    if (afterAbout) keys.add(referenceKey(afterAbout[1]!));
  }
  keys.delete('');
  return [...keys];
}

/**
 * Keys a document answers to: `ownTitleKeys` of its title and of every paragraph the parser
 * took for a title. A file that prints a second document under its own heading (关于延长《X》
 * 有效期的通知 followed by X's full text, headed X) is that document too: mentions of X in it are
 * self-mentions, and others citing X are citing this file.
 */
export function documentKeys(doc: { meta: Pick<DocumentMeta, 'title'>; paragraphs?: readonly Paragraph[] }): string[] {
  const keys = new Set(ownTitleKeys(doc.meta));
  for (const p of doc.paragraphs ?? []) {
    if (p.kind === 'title') for (const k of ownTitleKeys({ title: removePdfSpaces(p.text) })) keys.add(k);
  }
  return [...keys];
}

/**
 * The 文号 a document carries: `meta.docNumber`, and every 文号 of a paragraph the parser took for
 * a 文号 line (a judicial interpretation's 法释〔2024〕1号 under its heading, which the Markdown
 * metadata does not read).
 */
export function documentNumbers(doc: { meta: Pick<DocumentMeta, 'docNumber'>; paragraphs?: readonly Paragraph[] }): string[] {
  const numbers = new Set<string>();
  if (doc.meta.docNumber) numbers.add(doc.meta.docNumber);
  for (const p of doc.paragraphs ?? []) {
    if (p.kind !== 'docnumber') continue;
    for (const m of p.text.matchAll(NUMBER_CORE)) {
      const found = docNumberAt(p.text, m);
      if (found) numbers.add(found.number);
    }
  }
  return [...numbers];
}

// ---------------------------------------------------------------------------------------------
// Scanning one paragraph

interface Span {
  start: number;
  end: number;
}

/** Top-level 《…》 spans (marks included), nested 《》 counted; an unclosed 《 (a title split over paragraphs) is dropped. */
function bookTitleSpans(text: string): Span[] {
  const out: Span[] = [];
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '《') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '》' && depth > 0) {
      depth--;
      if (depth === 0) out.push({ start: open, end: i + 1 });
    }
  }
  return out;
}

/** The bracketed part of a 文号: 〔2019〕3号, [2019] 3 号, （2019）第3号, full-width digits allowed. */
const NUMBER_CORE = /[〔［[（(【﹝{]\s*((?:19|20)\d{2}|[１２][０-９]{3})\s*[〕］\]）)】﹞}]\s*第?\s*([0-9０-９]{1,5})\s*号/gu;
/**
 * Words that can precede a 机关代字 without a break: cues (根据国发〔2019〕3号), issuers (市人民
 * 政府京政发…, 我院法〔1998〕86号), dates (…5日市…). The 机关代字 starts after the last of them.
 */
const BEFORE_AGENCY =
  /^.*(?:根据|依照|依据|按照|参照|遵照|贯彻|落实|执行|印发|转发|批转|废止|即|和|及|与|或|的|见|号|按|依|以|为|于|在|将|政府|办公厅|办公室|委员会|法院|检察院|我院|本院|日|月|年)/u;

/** The 文号 ending at the bracketed core `m`, normalized, or null when no 机关代字 precedes it. */
function docNumberAt(text: string, m: RegExpMatchArray): { start: number; number: string } | null {
  let start = m.index!;
  let letters = 0;
  while (start > 0 && letters < 14) {
    const c = text[start - 1]!;
    if (/[\u4e00-\u9fa5A-Za-z]/u.test(c)) letters++;
    else if (!/[ \u3000]/u.test(c)) break;
    start--;
  }
  const run = text.slice(start, m.index!).replace(/[ \u3000]/gu, '');
  const agency = run.replace(BEFORE_AGENCY, '');
  if (!agency || agency.length > 10) return null;
  const parts = parseDocNumber(`${agency}〔${m[1]}〕${m[2]}号`);
  if (!parts) return null;
  // Where the 机关代字 starts in the text (spaces inside it skipped).
  let at = m.index!;
  for (let n = 0; n < agency.length; at--) if (!/[ \u3000]/u.test(text[at - 1]!)) n++;
  return { start: at, number: formatDocNumber(parts) };
}

const NUMERAL = '[一二三四五六七八九十百千零〇两\\d]+';
/**
 * Words before a law named without 《》: cues (根据宪法, 依照刑法第…, 适用民事诉讼法), and verbs
 * that name a law without introducing it (认定为刑法第X条规定的…), reported with no cue.
 */
const BARE_CUE = /根据|依照|依据|按照|适用|违反|遵守|参照|执行|认定为|属于|符合|构成|比照|实施/gu;
const WEAK_CUE = new Set(['认定为', '属于', '符合', '构成', '比照', '实施']);
/** 法 or 法典 ending a name: before an article, 的, 规定, a list or punctuation. */
const LAW_END = new RegExp(`法典?(?:(?=第${NUMERAL}条)|(?=的|规定|和|与|及|、|，|,|。|；|;|：|制定|有关|等|中|）|\\)|”|"|$))`, 'gu');
const BEFORE_ARTICLE = new RegExp(`^第${NUMERAL}条`, 'u');
/**
 * Words no bare law name contains (function words: 在, 有, 以, 对, 了, 或者, 有关…): the name
 * starts after the last of them (当事人在民事诉讼法第… → 民事诉讼法), except where the character
 * is part of a name (中华人民共和国, 国有资产, 对外贸易, 突发事件应对, 自由贸易港, 普及).
 */
const NAME_BREAK = /或者|有关|以及|及其|指定|[在有以对了但将把按依由向从于与和及或没是为到过去虑删具达超、]/gu;
const NAME_PAIRS = new Set(['共和', '国有', '反有', '所有', '对外', '应对', '自由', '普及']);
const MODIFIER = /^(?:修正后的?|修改后的?|修订后的?|修正前的?|修改前的?|新修订的|现行)/u;
const HAN = /[\u4e00-\u9fa5]/u;

/** Names that end in 法 without naming a law, or that point at the document itself (本法). */
const NOT_LAW_END =
  /(?:办法|方法|做法|立法|司法|执法|违法|合法|守法|依法|非法|说法|手法|算法|写法|用法|无法|设法|想法|看法|疗法|犯法|不法|变法|上位法|下位法|特别法|一般法|成文法)$/u;
/** Starts of a phrase, not of a law's name: determiners (本, 该, 上述), adverbs, verbs. */
const NOT_LAW_START =
  /^(?:本|该|此|上述|前款|前述|其他|其|有关|相关|法律|下列|这|那|每|所|如|若|即|并|已|均|都|也|还|再|另|经|被|应|可|须|需|予|不|具有|除|发现|同时|单位|维护|宣传|学习|尊重|遵守|执行)/u;
const NOT_LAW_PART = /的|规定|有关|法律|法规|条例|办法|之|本法|该法/u;

function plausibleLawName(name: string): boolean {
  const core = name.replace(/^中华人民共和国/u, '');
  return core.length >= 2 && !NOT_LAW_END.test(core) && !NOT_LAW_START.test(core) && !NOT_LAW_PART.test(core);
}

/**
 * Laws named without 《》. The name runs back from 法 over Han characters to the last cue word
 * or NAME_BREAK character; a name with neither a cue before it nor an article after it is not
 * taken (坚持…法 is too often not a law). A list shares its cue: 根据宪法和教育法.
 */
function bareLawMentions(text: string, isTaken: (s: number, e: number) => boolean): Mention[] {
  const out: Mention[] = [];
  for (const m of text.matchAll(LAW_END)) {
    const at = m.index!;
    const end = at + m[0].length;
    if (isTaken(at, end)) continue;
    let s = at;
    while (s > 0 && at - s < 30 && HAN.test(text[s - 1]!) && !isTaken(s - 1, s)) s--;
    const prefix = text.slice(s, at);
    let cue: string | null = null;
    let start = 0;
    for (const c of prefix.matchAll(BARE_CUE)) {
      cue = c[0];
      start = c.index! + c[0].length;
    }
    for (const b of prefix.matchAll(NAME_BREAK)) {
      const i = b.index!;
      const inName = b[0].length === 1 && (NAME_PAIRS.has((prefix[i - 1] ?? '') + b[0]) || NAME_PAIRS.has(b[0] + (prefix[i + 1] ?? '')));
      if (!inName && i + b[0].length > start) start = i + b[0].length;
    }
    start += MODIFIER.exec(prefix.slice(start))?.[0].length ?? 0;
    if (cue === null && !BEFORE_ARTICLE.test(text.slice(end))) continue;
    const name = text.slice(s + start, end);
    if (!plausibleLawName(name)) continue;
    const paren = parentheticalAfter(text, end);
    const abbreviation = paren ? (ABBREVIATION.exec(text.slice(paren.start + 1, paren.end - 1))?.[1] ?? null) : null;
    out.push({
      start: s + start,
      end: paren && abbreviation ? paren.end : end,
      title: name,
      docNumber: null,
      cue: cue === null || WEAK_CUE.has(cue) ? null : cue,
      bare: true,
      abbreviation,
    });
  }
  return out;
}

/**
 * Cue words, compounds first so that 贯彻落实 reads as 贯彻 and 停止执行 as 废止. The value is the
 * cue reported.
 */
const CUES: ReadonlyArray<readonly [string, string]> = [
  ['贯彻落实', '贯彻'],
  ['贯彻执行', '贯彻'],
  ['贯彻实施', '贯彻'],
  ['停止执行', '废止'],
  ['根据', '根据'],
  ['依照', '依照'],
  ['依据', '依据'],
  ['按照', '按照'],
  ['遵照', '遵照'],
  ['参照', '参照'],
  ['对照', '对照'],
  ['对标', '对标'],
  ['贯彻', '贯彻'],
  ['落实', '落实'],
  ['执行', '执行'],
  ['转发', '转发'],
  ['批转', '批转'],
  ['印发', '印发'],
  ['废止', '废止'],
  ['修改', '修改'],
  ['修订', '修订'],
  ['延长', '延长'],
  ['违反', '违反'],
  ['适用', '适用'],
  ['遵守', '遵守'],
  ['实施', '实施'],
  ['履行', '履行'],
];
const CUE_WORD = new RegExp(CUES.map(([w]) => w).join('|'), 'gu');
const CUE_OF = new Map(CUES);
/** How far back a cue may stand from the 《 it introduces, within the clause. */
const CUE_WINDOW = 40;
const CLAUSE_BREAK = /[。；;！？!?：:，,\n]/u;
/** What may stand between two mentions of one list: 《A》、《B》和《C》. */
const LIST_GAP = /^[\s、和及与或并以及]*$/u;
/** After a mention: it is repealed (《…》同时废止, 予以废止, 停止执行). */
const REPEAL_AFTER = /^\s*(?:同时|予以|即行|自即日起|自行)?(?:废止|停止执行|失效)/u;
/** After a mention, in its sentence: the cover letter's formula that prints the mention (现印发给你们). */
const PRINTED_AFTER = /^[^《。]*?(?:(?:现予|予以|现)(?:印发|转发|批转|发布)|(?:印发|转发|批转)给你们)/u;
/** Cues of a mention the document relies on rather than prints: such a mention is never the attachment. */
const RELYING_CUES = new Set(['根据', '依照', '依据', '按照', '遵照', '参照', '贯彻', '落实', '执行', '对照', '对标', '违反', '适用', '遵守']);
/** `（文号，以下简称《条例》）`: the abbreviation a mention is given. */
const ABBREVIATION = /以下(?:简称|称)\s*为?\s*[《〈“"「]?([^《》〈〉“”"」，,；;：:（）()]{1,30}?)[》〉”"」]?\s*(?=[）)，,；;]|$)/u;

interface Mention {
  start: number;
  /** End of the mention with its parenthetical (文号, abbreviation), for what follows it. */
  end: number;
  title: string | null;
  docNumber: string | null;
  /** Cue already known (bare laws carry theirs). */
  cue: string | null;
  bare: boolean;
  abbreviation: string | null;
}

/** The parenthetical right after a title, `（国办发〔2019〕3号，以下简称《意见》）`, as a span, or null. */
function parentheticalAfter(text: string, at: number): Span | null {
  let i = at;
  while (i < text.length && /[ \u3000]/u.test(text[i]!)) i++;
  if (text[i] !== '（' && text[i] !== '(') return null;
  let depth = 0;
  for (let j = i; j < text.length && j < i + 120; j++) {
    const c = text[j];
    if (c === '（' || c === '(') depth++;
    else if (c === '）' || c === ')') {
      depth--;
      if (depth === 0) return { start: i, end: j + 1 };
    }
  }
  return null;
}

/** Every mention of a paragraph, in text order, before cues, abbreviations and self are settled. */
function scanMentions(text: string): Mention[] {
  const mentions: Mention[] = [];
  const taken: Span[] = [];
  const isTaken = (s: number, e: number) => taken.some((t) => s < t.end && e > t.start);

  if (text.includes('《')) {
    for (const span of bookTitleSpans(text)) {
      const inner = text.slice(span.start + 1, span.end - 1);
      const title = removePdfSpaces(inner);
      const paren = parentheticalAfter(text, span.end);
      let docNumber: string | null = null;
      let abbreviation: string | null = null;
      if (paren) {
        const body = text.slice(paren.start + 1, paren.end - 1);
        for (const m of body.matchAll(NUMBER_CORE)) {
          const found = docNumberAt(body, m);
          if (found) {
            docNumber = found.number;
            break;
          }
        }
        abbreviation = ABBREVIATION.exec(body)?.[1] ?? null;
      }
      taken.push({ start: span.start, end: paren?.end ?? span.end });
      if (title.length < 2 || title.length > 200) continue;
      if (!namesDocument(title) && !docNumber) continue;
      mentions.push({ start: span.start, end: paren?.end ?? span.end, title, docNumber, cue: null, bare: false, abbreviation });
    }
  }

  if (text.includes('号')) {
    for (const m of text.matchAll(NUMBER_CORE)) {
      const found = docNumberAt(text, m);
      const end = m.index! + m[0].length;
      if (!found || isTaken(found.start, end)) continue;
      taken.push({ start: found.start, end });
      mentions.push({ start: found.start, end, title: null, docNumber: found.number, cue: null, bare: false, abbreviation: null });
    }
  }

  if (text.includes('法')) mentions.push(...bareLawMentions(text, isTaken));

  return mentions.sort((a, b) => a.start - b.start);
}

/** The cue before a mention: the last cue word of its clause, at most CUE_WINDOW characters back. */
function cueBefore(text: string, from: number, at: number): string | null {
  let start = Math.max(from, at - CUE_WINDOW);
  for (let i = at - 1; i >= start; i--) {
    if (CLAUSE_BREAK.test(text[i]!)) {
      start = i + 1;
      break;
    }
  }
  const window = text.slice(start, at);
  let cue: string | null = null;
  for (const m of window.matchAll(CUE_WORD)) {
    // 新修订的《…》, 联合印发的《…》: a participle describing the document, not the clause's verb;
    // 第二次修订: a date line's event.
    if (/^后?的/u.test(window.slice(m.index! + m[0].length)) || window[m.index! - 1] === '次') continue;
    cue = CUE_OF.get(m[0]) ?? null;
  }
  // 废止2021年1月8日印发的《…》: the repeal is what the clause does.
  if (cue !== null && cue !== '废止' && /废止|停止执行/u.test(window)) cue = '废止';
  return cue;
}

// ---------------------------------------------------------------------------------------------
// Extraction

interface Abbreviated {
  title: string | null;
  docNumber: string | null;
  /** The abbreviation stands for the document itself (本办法 written as 《办法》). */
  self: boolean;
}

/**
 * The other documents a document mentions, in text order (paragraph, then position). One
 * reference per document and paragraph: a paragraph that names 《刑法》 three times cites it once
 * there (its first cue kept), so `para` lists every paragraph that cites it. The title is written
 * as in the text with PDF spaces removed and inner marks kept (《关于落实〈…〉的细则》), except
 * that an abbreviation (《条例》 after 以下简称《条例》) is replaced by the title it stands for.
 *
 * Self-mentions are dropped (see the file comment): a title whose key is one of `ownTitleKeys`
 * unless it carries a 文号 other than the document's own (a revision naming the edition it
 * replaces: 《X》（杨府办发〔2022〕6号）同时废止), the document's own 文号, a mention the cover
 * letter prints (现将《X》印发给你们; 《X》已经…同意，现转发给你们) unless a relying cue
 * (根据, 按照…) introduces it, and 本《X》.
 */
export function extractReferences(paragraphs: readonly Paragraph[], meta: DocumentMeta): DocReference[] {
  const ownKeys = new Set(documentKeys({ meta, paragraphs }));
  const ownNumbers = new Set(documentNumbers({ meta, paragraphs }));
  const abbreviations = new Map<string, Abbreviated>();
  const out: DocReference[] = [];

  for (const p of paragraphs) {
    const text = p.text;
    if (!/[《号法]/u.test(text)) continue;
    const mentions = scanMentions(text);
    if (mentions.length === 0) continue;
    const seen = new Set<string>();
    let prevEnd = 0;
    let prevCue: string | null = null;
    let first = true;
    for (const m of mentions) {
      // The cue: a bare law's own; the list's when only 、/和 separate it from the previous
      // mention; else the clause's last cue word; else 废止 written after it.
      let cue = m.cue;
      const gap = first ? '' : text.slice(prevEnd, m.start);
      if (cue === null && !first && LIST_GAP.test(gap)) cue = prevCue;
      cue ??= cueBefore(text, first ? 0 : prevEnd, m.start);
      // 根据《A》《B》等法律法规和国务院《C》: still the clause of the previous mention's cue.
      if (cue === null && !first && !CLAUSE_BREAK.test(gap)) cue = prevCue;
      if (cue === null && REPEAL_AFTER.test(text.slice(m.end))) cue = '废止';
      first = false;
      prevEnd = m.end;
      prevCue = cue;

      // Abbreviations stand for the full title from here on.
      let { title, docNumber } = m;
      let self = false;
      const known = title === null ? undefined : abbreviations.get(referenceKey(title));
      if (known) {
        ({ title, docNumber } = known);
        self = known.self;
      } else if (title !== null && !m.bare && GENRE_ONLY.test(title.replace(TRAILING_NOTE, '')) && !m.abbreviation) {
        // 《意见》 with nothing to stand for names no document; its 文号, if any, still does.
        if (docNumber === null) continue;
        title = null;
      }
      const key = title === null ? null : referenceKey(title);
      if (!self) {
        const ownNumber = docNumber !== null && ownNumbers.has(docNumber);
        const ownTitle = key !== null && ownKeys.has(key) && (docNumber === null || ownNumber);
        const printed = !m.bare && (cue === null || !RELYING_CUES.has(cue)) && PRINTED_AFTER.test(text.slice(m.end));
        const thisOne = text[m.start - 1] === '本';
        self = ownNumber || ownTitle || printed || thisOne;
      }
      if (m.abbreviation) abbreviations.set(referenceKey(m.abbreviation), { title, docNumber, self });
      if (self) continue;

      if (key !== null ? seen.has(key) : seen.has(`#${docNumber}`)) continue;
      if (key !== null) seen.add(key);
      if (docNumber !== null) seen.add(`#${docNumber}`);
      out.push({ title, docNumber, para: p.index, cue });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Resolution

/** A reference resolved to a document of the corpus (an index into the `docs` given). */
export interface ResolvedCitation {
  ref: DocReference;
  target: number;
}

/** A document citing another: which one, and every paragraph of it that does. */
export interface CitingDocument {
  source: number;
  /** Paragraph indexes in the citing document, ascending, each once. */
  paras: number[];
}

export interface ResolvedReferences {
  /**
   * By citing document: its references that name documents of the corpus, in text order. A
   * reference to a document stored as several files of one title and date (民法典's 编) yields
   * one entry per file.
   */
  cites: ResolvedCitation[][];
  /** By cited document: the documents citing it, one entry per citing document, by index. */
  citedBy: CitingDocument[][];
  /** By citing document: the references that name no other document of the corpus. */
  unresolved: DocReference[][];
}

interface Version {
  doc: number;
  date: string | null;
  /** The part of a code stored one file per part (民法典's 总则, 物权编…), else null. */
  part: string | null;
}

/** A second title naming a part of a code (`# 中华人民共和国民法典` then `# 物权编`), or null. */
function partOf(paragraphs: readonly Paragraph[] | undefined): string | null {
  const second = paragraphs?.[1];
  if (paragraphs?.[0]?.kind !== 'title' || second?.kind !== 'title') return null;
  const name = removePdfSpaces(second.text);
  return /^(?:[\u4e00-\u9fa5]{1,8}编|总则|附则)$/u.test(name) ? name : null;
}

/** Dated versions first, oldest first; undated after them, in corpus order. */
function byDate(a: Version, b: Version): number {
  if (a.date !== b.date) {
    if (a.date === null) return 1;
    if (b.date === null) return -1;
    return a.date < b.date ? -1 : 1;
  }
  return a.doc - b.doc;
}

/**
 * The version of a title a document dated `date` cites: the latest version dated on or before
 * it (the text in force when it was written); when every version is later, the earliest (the
 * corpus lacks the older text, the nearest one stands in); when the citing document is undated,
 * the latest (the current text). Every file of the chosen date is returned (one edition stored
 * in several files). A code stored one file per part is cited whole: the version is chosen for
 * each part (民法典's 婚姻家庭编 carries an earlier date than its other 编 in the laws corpus).
 */
function versionFor(versions: readonly Version[], date: string | null): number[] {
  const parts = new Map<string | null, Version[]>();
  for (const v of versions) parts.set(v.part, [...(parts.get(v.part) ?? []), v]);
  const out: number[] = [];
  for (const list of parts.values()) {
    const dated = list.filter((v) => v.date !== null);
    let chosen: Version;
    if (dated.length === 0) chosen = list[0]!;
    else if (date === null) chosen = dated[dated.length - 1]!;
    else {
      let pick = -1;
      for (let i = 0; i < dated.length; i++) if (dated[i]!.date! <= date) pick = i;
      chosen = dated[Math.max(pick, 0)]!;
    }
    if (chosen.date === null) out.push(chosen.doc);
    else for (const v of list) if (v.date === chosen.date) out.push(v.doc);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Resolves every document's `meta.references` against the corpus: by 文号 first (exact
 * normalized match: the surest identity), else by title key (`referenceKey`, also matching a
 * cover notice under the title it carries, see `ownTitleKeys`), choosing among same-titled
 * versions with `versionFor` by the citing document's 成文日期 (else 印发日期). The citing
 * document itself is never a target; a reference naming only the citing document is dropped.
 * Linear in documents plus references: two Map lookups per reference.
 */
export function resolveReferences(docs: ReadonlyArray<{ meta: DocumentMeta; paragraphs?: readonly Paragraph[] }>): ResolvedReferences {
  const byNumber = new Map<string, number[]>();
  const byKey = new Map<string, Version[]>();
  docs.forEach((d, doc) => {
    const meta = d.meta;
    for (const number of documentNumbers(d)) {
      const list = byNumber.get(number);
      if (list) list.push(doc);
      else byNumber.set(number, [doc]);
    }
    const part = partOf(d.paragraphs);
    for (const key of documentKeys(d)) {
      const list = byKey.get(key);
      const version = { doc, date: meta.issuedDate ?? meta.printedDate, part };
      if (list) list.push(version);
      else byKey.set(key, [version]);
    }
  });
  for (const list of byKey.values()) list.sort(byDate);

  const cites: ResolvedCitation[][] = docs.map(() => []);
  const unresolved: DocReference[][] = docs.map(() => []);
  const citing: Array<Map<number, number[]>> = docs.map(() => new Map());

  docs.forEach(({ meta }, source) => {
    const date = meta.issuedDate ?? meta.printedDate;
    for (const ref of meta.references ?? []) {
      let targets: number[] = [];
      let namedSelf = false;
      const numbered = ref.docNumber ? byNumber.get(ref.docNumber) : undefined;
      if (numbered) {
        const other = numbered.find((d) => d !== source);
        if (other !== undefined) targets = [other];
        else namedSelf = true;
      }
      if (targets.length === 0 && !namedSelf && ref.title) {
        const versions = byKey.get(referenceKey(ref.title));
        if (versions) {
          const others = versions.filter((v) => v.doc !== source);
          if (others.length > 0) targets = versionFor(others, date);
          // Only the citing document has this title: it names itself, unless the 文号 is another
          // one (an earlier edition the corpus lacks: 《X》（杨府办发〔2022〕6号）同时废止).
          else namedSelf = ref.docNumber === null || ref.docNumber === meta.docNumber;
        }
      }
      if (targets.length === 0) {
        if (!namedSelf) unresolved[source]!.push(ref);
        continue;
      }
      for (const target of targets) {
        cites[source]!.push({ ref, target });
        const paras = citing[target]!.get(source);
        if (paras) paras.push(ref.para);
        else citing[target]!.set(source, [ref.para]);
      }
    }
  });

  const citedBy = citing.map((bySource) =>
    [...bySource.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([source, paras]) => ({ source, paras: [...new Set(paras)].sort((a, b) => a - b) })),
  );
  return { cites, citedBy, unresolved };
}
