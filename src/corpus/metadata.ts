/**
 * Metadata of one notice, recovered from its text alone: title, issuer (发文机关), 文号, 成文日期,
 * 印发日期, region and year. A field the text does not state is null; the only thing taken from the
 * file name is the publication date of the `title(YYYY-MM-DD).md` convention of the laws corpus,
 * and only when the text states no date at all. Pure: the vocabulary files are read once, lazily,
 * like the analyzer's stopwords.
 *
 * The reading follows the layout of GB/T 9704-2012 (党政机关公文格式):
 *   版头  masthead "XX人民政府办公室文件", 文号 "温鹿政办〔2020〕35号"
 *   标题  "XX关于印发……的通知", possibly over several lines or split by PDF spaces
 *   主送  "各街道办事处、镇人民政府，……：" — the header area ends here (or at the first body line)
 *   正文 … 落款: issuer line(s), then the 成文日期 on a line of its own
 *   版记  "抄送：…", "XX办公室  2020年8月14日印发"
 */
import type { DocNumberParts, DocumentMeta } from '../domain/types.js';
import { readDataLines } from '../analysis/segmenter.js';
import { locateRegion } from './gazetteer.js';

interface Vocabulary {
  issuerSuffixes: string[];
  docTypes: string[];
  webLabels: Set<string>;
}

let vocabulary: Vocabulary | null = null;

function vocab(): Vocabulary {
  vocabulary ??= {
    issuerSuffixes: readDataLines('data/issuer-suffixes.txt'),
    docTypes: readDataLines('data/doc-types.txt'),
    webLabels: new Set(readDataLines('data/web-metadata-labels.txt')),
  };
  return vocabulary;
}

// ---------------------------------------------------------------------------------------------
// 文号

const OPEN = '〔［\\[（(【﹝{';
const CLOSE = '〕］\\]）)】﹞}';
const AGENCY = '[\\u4e00-\\u9fa5A-Za-z]{1,20}?';
/** A 文号 written in full, brackets required: the form used to find a notice's own number. */
const DOC_NUMBER_SOURCE = `(${AGENCY})\\s*[${OPEN}]\\s*((?:19|20)\\d{2})\\s*[${CLOSE}]\\s*第?\\s*(\\d{1,5})\\s*号`;
/** A 文号 as typed in a query: brackets optional (`鼓政办2020 65号`), 号 optional. */
const LOOSE_DOC_NUMBER = new RegExp(
  `^(${AGENCY})\\s*[${OPEN}]?\\s*((?:19|20)\\d{2})\\s*[${CLOSE}]?\\s*第?\\s*(\\d{1,5})\\s*号?$`,
);

function toHalfWidthDigits(s: string): string {
  return s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

function partsFrom(m: RegExpMatchArray): DocNumberParts | null {
  const serial = Number(m[3]);
  if (!m[1] || !serial) return null;
  return { agency: m[1], year: Number(m[2]), serial };
}

/**
 * Parses a 文号 in any common spelling — 〔2020〕, [2020], (2020), 【2020】, ［2020］, 〔 2020 〕,
 * or no brackets at all (`鼓政办2020 65号`) — into its parts. Returns null for anything else.
 * The search layer uses it to normalize a query the same way documents are normalized.
 */
export function parseDocNumber(s: string): DocNumberParts | null {
  const m = toHalfWidthDigits(s.trim()).match(LOOSE_DOC_NUMBER);
  return m ? partsFrom(m) : null;
}

/**
 * The canonical spelling `机关代字〔年份〕序号号`. The serial is written without leading zeros
 * (GB/T 9704-2012 §7.2.4: 序号不编虚位), so 黄府办发〔2016〕028号 becomes 黄府办发〔2016〕28号.
 */
export function formatDocNumber(parts: DocNumberParts): string {
  return `${parts.agency}〔${parts.year}〕${parts.serial}号`;
}

/** A line that is a 文号 and nothing else (a "文号：" label and a trailing 签发人 are allowed). */
function docNumberLine(line: string): DocNumberParts | null {
  const core = toHalfWidthDigits(line)
    .replace(/^(文号|发文字号|文件编号)[:：]?\s*/, '')
    .replace(/\s+签发人[:：].*$/, '');
  const m = core.match(new RegExp(`^${DOC_NUMBER_SOURCE}$`));
  return m ? partsFrom(m) : null;
}

/** A 文号 opening a line that goes on with other text (a title with its number glued in front). */
function leadingDocNumber(line: string): { parts: DocNumberParts; rest: string } | null {
  const m = toHalfWidthDigits(line).match(new RegExp(`^${DOC_NUMBER_SOURCE}`));
  const parts = m ? partsFrom(m) : null;
  return m && parts ? { parts, rest: line.slice(m[0].length).trim() } : null;
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Chinese digits, with the look-alikes used for zero in typed dates (○ U+25CB, Ｏ, O). */
const CN_DIGITS: Record<string, number> = Object.fromEntries(
  [...'〇一二三四五六七八九'].map((c, i) => [c, i] as const).concat([['○', 0], ['零', 0], ['Ｏ', 0], ['O', 0]]),
);
const CN_YEAR = '[〇○零ＯO一二三四五六七八九]{4}';
const CN_SMALL = '[一二三四五六七八九十]{1,3}';
const DATE_SOURCE = `(\\d{4}|${CN_YEAR})\\s*年\\s*(\\d{1,2}|${CN_SMALL})\\s*月\\s*(\\d{1,2}|${CN_SMALL})\\s*日`;
const DATE_ONLY_LINE = new RegExp(`^${DATE_SOURCE}$`);
const PRINTED_LINE = new RegExp(`${DATE_SOURCE}\\s*印发$`);
/** Issuer and date on one line: "上海市某某局  2020年1月1日". */
const SIGNED_DATE_LINE = new RegExp(`^(.+?)[\\s\\u3000]+(${DATE_SOURCE})$`);

/** 十 → 10, 二十八 → 28, 三十一 → 31, 7 → 7. */
function smallNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const [tens, units] = s.split('十') as [string, string | undefined];
  if (units === undefined) return CN_DIGITS[tens] ?? NaN;
  return (tens ? (CN_DIGITS[tens] ?? NaN) : 1) * 10 + (units ? (CN_DIGITS[units] ?? NaN) : 0);
}

/** ISO date from the year/month/day groups of DATE_SOURCE, or null when not a real date. */
function isoDate(y: string, m: string, d: string): string | null {
  const year = /^\d+$/.test(y) ? Number(y) : Number([...y].map((c) => CN_DIGITS[c] ?? NaN).join(''));
  const month = smallNumber(m);
  const day = smallNumber(d);
  if (!(year >= 1949 && year <= 2100 && month >= 1 && month <= 12 && day >= 1)) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null; // 2月30日
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date of a line that is a date and nothing else (`2020年8月14日`, `二〇二一年十月二十八日`). */
function dateOnly(line: string): string | null {
  const m = line.replace(/\s+/g, '').match(DATE_ONLY_LINE);
  return m ? isoDate(m[1]!, m[2]!, m[3]!) : null;
}

// ---------------------------------------------------------------------------------------------
// Lines and their kinds

/**
 * Non-empty lines, trimmed (ASCII and ideographic spaces). A year left alone on its line by PDF
 * extraction is joined to the `年…日` line that follows it ("2015" / "年5月21日").
 */
function logicalLines(text: string): string[] {
  const raw = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/^[\s\u3000\u00a0]+|[\s\u3000\u00a0]+$/g, ''))
    .filter((l) => l.length > 0);
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    const next = raw[i + 1];
    if (/^\d{4}$/.test(line) && next && /^年.{2,10}日$/.test(next)) {
      lines.push(line + next);
      i++;
    } else lines.push(line);
  }
  return lines;
}

/** Removes PDF spaces: all whitespace, except one space kept between two ASCII letters/digits. */
export function removePdfSpaces(s: string): string {
  return s
    .trim()
    .replace(/([A-Za-z0-9])[\s\u3000]+(?=[A-Za-z0-9])/g, '$1\u0000')
    .replace(/[\s\u3000]+/g, '')
    .replace(/\u0000/g, ' ');
}

/** A single organ name: Chinese characters ending with an organ suffix (局, 委员会, 人民政府…). */
function isOrganName(s: string): boolean {
  if (!/^[\u4e00-\u9fa5（）()·]{2,40}$/.test(s)) return false;
  if (/^各|关于|通知|印发|转发|特此|此件/.test(s)) return false;
  return vocab().issuerSuffixes.some((suffix) => s.endsWith(suffix) && s.length > suffix.length);
}

/** The organ names of a line made only of organ names (joint issuers separated by spaces), or null. */
function organLine(line: string): string[] | null {
  const parts = line.split(/[\s\u3000]+/).filter(Boolean);
  return parts.length > 0 && parts.every(isOrganName) ? parts : null;
}

/** 主送机关: "各街道办事处、镇人民政府，区政府直属各单位：" */
function isAddressee(line: string): boolean {
  return /[：:]$/.test(line) && line.length <= 150 && !/[。；]/.test(line) && !/^(附件|抄送|主题词)/.test(line);
}

/** A line of running text, which ends the header area: a sentence, or a long clause. */
function isBodyLine(line: string): boolean {
  return /[。；！？]/.test(line) || (/[，,]/.test(line) && line.length > 30) || line.length > 150;
}

/** Header lines that are neither title nor issuer: 签发人, 份号, 密级, 紧急程度, publication remarks. */
function isHeaderNoise(line: string): boolean {
  return /^(签发人|份号|密级|紧急程度|特急|加急|平急|急件|机密|秘密|绝密)|^[（(]此件.*[)）]$|^\d{6}$/.test(line);
}

type HeaderLine =
  | { kind: 'masthead'; organ: string }
  | { kind: 'docnumber'; parts: DocNumberParts }
  | { kind: 'organ'; organs: string[] }
  | { kind: 'label'; label: string; value: string | null }
  | { kind: 'noise' }
  | { kind: 'fragment'; text: string };

/**
 * Classifies the lines of the header area: everything before the addressee or the first body
 * line. A title with its 文号 glued in front is split into the two.
 */
function readHeader(lines: string[]): { header: HeaderLine[]; end: number } {
  const header: HeaderLine[] = [];
  const { webLabels } = vocab();
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (isAddressee(line) || isBodyLine(line)) break;
    const parts = docNumberLine(line);
    const masthead = line.match(/^(.+?)[\s\u3000]*文件$/);
    const organs = organLine(line);
    if (parts) header.push({ kind: 'docnumber', parts });
    else if (masthead && isOrganName(removePdfSpaces(masthead[1]!))) {
      header.push({ kind: 'masthead', organ: removePdfSpaces(masthead[1]!) });
    } else if (webLabels.has(line)) {
      // The value, if any, is the next line unless that is itself a label.
      const next = lines[i + 1];
      const value = next !== undefined && !webLabels.has(next) && !isAddressee(next) ? next : null;
      header.push({ kind: 'label', label: line, value });
      // A 文号 given as a label's value (文件编号 / 内容描述) is still the notice's own number.
      const valueNumber = value === null ? null : docNumberLine(value);
      if (valueNumber) header.push({ kind: 'docnumber', parts: valueNumber });
      if (value !== null) i++;
    } else if (organs) header.push({ kind: 'organ', organs });
    else if (isHeaderNoise(line)) header.push({ kind: 'noise' });
    else {
      const lead = leadingDocNumber(line);
      if (lead && lead.rest) {
        header.push({ kind: 'docnumber', parts: lead.parts });
        header.push({ kind: 'fragment', text: lead.rest });
      } else header.push({ kind: 'fragment', text: line });
    }
  }
  return { header, end: i };
}

// ---------------------------------------------------------------------------------------------
// Title

/** Whether a title is complete: it ends with a 文种 or the name of a normative document. */
function endsWithDocType(title: string): boolean {
  return vocab().docTypes.some((t) => title.endsWith(t));
}

/** A line that continues the previous title line even though that one looked complete. */
const CONTINUATION = /^[的及和与》）)（(]/;

/**
 * The notice's own title: the first run of title lines in the header, joined across line breaks
 * until it ends with a 文种; a line repeating the title is not appended. When the title opens
 * with 关于 right under an issuer line, the issuer is its head (GB/T 9704: 发文机关+事由+文种).
 */
function readTitle(header: HeaderLine[]): string | null {
  const start = header.findIndex((h) => h.kind === 'fragment');
  if (start < 0) return null;
  let title = '';
  for (let i = start; i < header.length; i++) {
    const h = header[i]!;
    if (h.kind !== 'fragment') break;
    const piece = removePdfSpaces(h.text);
    if (title && (piece === title || (endsWithDocType(title) && !CONTINUATION.test(piece)))) break;
    title += piece;
    if (title.length > 200) break;
  }
  const previous = header[start - 1];
  if (/^关于/.test(title) && previous?.kind === 'organ') title = previous.organs.join('') + title;
  return title || null;
}

/** Issuer named at the head of a title: "上海市交通委员会 上海市公安局关于印发…" → both organs. */
function titleIssuers(rawTitle: string | null): string[] {
  if (!rawTitle) return [];
  const m = rawTitle.match(/^(.+?)(关于|印发|转发|批转|发布|公布)/);
  if (!m) return [];
  const organs = m[1]!.split(/[\s\u3000]+/).filter(Boolean);
  return organs.every(isOrganName) ? organs : [];
}

// ---------------------------------------------------------------------------------------------
// 落款: issuer(s) and 成文日期

interface Signature {
  issuers: string[];
  date: string;
}

/**
 * The first 落款: the first line that is only a date, with the organ lines right above it (or on
 * the same line, "XX局  2020年1月1日"). In a notice that forwards another document the cover
 * letter's 落款 comes first, so the forwarded document's own signature is not taken.
 */
function readSignature(lines: string[]): Signature | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let date = dateOnly(line);
    let issuers: string[] = [];
    if (!date) {
      const m = line.match(SIGNED_DATE_LINE);
      const organs = m ? organLine(m[1]!) : null;
      if (!m || !organs) continue;
      date = dateOnly(m[2]!);
      if (!date) continue;
      issuers = organs;
    }
    // Walk up the column of organ lines right above the date (a joint issue signs on several).
    if (issuers.length === 0) {
      const column: string[][] = [];
      for (let j = i - 1; j >= 0; j--) {
        const organs = organLine(lines[j]!);
        if (!organs) break;
        column.unshift(organs);
      }
      issuers = column.flat();
    }
    return { issuers, date };
  }
  return null;
}

/** 印发日期 from the 版记 line "XX办公室  2020年8月14日印发" (the last one, at the end of the 版记). */
function readPrintedDate(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = lines[i]!.replace(/\s+/g, '').match(PRINTED_LINE);
    if (m) {
      const d = isoDate(m[1]!, m[2]!, m[3]!);
      if (d) return d;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Year

/**
 * The year the document is about: the first year written in its title (a work plan's
 * "2020年…工作要点", a plan's "（2019—2021）"), else the year of the 成文日期, else null.
 * Years inside a 文号 glued to the title are ignored.
 */
function readYear(title: string | null, issuedDate: string | null): number | null {
  const bare = (title ?? '').replace(new RegExp(DOC_NUMBER_SOURCE, 'g'), '');
  const m = bare.match(/(?<!\d)((?:19|20)\d{2})(?!\d)/);
  if (m) return Number(m[1]);
  return issuedDate ? Number(issuedDate.slice(0, 4)) : null;
}

// ---------------------------------------------------------------------------------------------
// File name

/** `标题(2023-12-29).md`: the date the laws corpus writes at the end of a file name (ASCII or full-width brackets). */
const FILE_NAME_DATE = /[(（](\d{4})-(\d{2})-(\d{2})[)）]\.(?:md|txt)$/i;

/**
 * The publication date of the laws corpus's file-name convention `title(YYYY-MM-DD).md`, or null.
 * Used only when the text itself states no date: the corpus publisher's date is then the best
 * evidence there is, and the file name is the only place that carries it.
 */
export function fileNameDate(file: string): string | null {
  const m = file.normalize('NFC').match(FILE_NAME_DATE);
  return m ? isoDate(m[1]!, m[2]!, m[3]!) : null;
}

// ---------------------------------------------------------------------------------------------
// Markdown (laws corpus): "# title", promulgation lines, "<!-- INFO END -->". The 成文日期 is the
// latest date of the promulgation lines; there is no 文号 or 落款 to read.

function extractMarkdownMeta(lines: string[], file: string): DocumentMeta {
  const title = removePdfSpaces(lines[0]!.replace(/^#\s*/, '')) || null;
  const infoEnd = lines.findIndex((l) => l.startsWith('<!-- INFO END'));
  const info = infoEnd > 0 ? lines.slice(1, infoEnd) : [];
  // The promulgation lines list the adoption and every amendment; the text is that of the latest.
  // Some are typed with full-width digits (２００２年６月２９日).
  let issuedDate: string | null = null;
  for (const m of toHalfWidthDigits(info.join('\n')).matchAll(new RegExp(DATE_SOURCE, 'g'))) {
    const d = isoDate(m[1]!, m[2]!, m[3]!);
    if (d && (!issuedDate || d > issuedDate)) issuedDate = d;
  }
  issuedDate ??= fileNameDate(file);
  const region = locateRegion([title], '');
  return {
    title,
    issuer: null,
    docNumber: null,
    docNumberParts: null,
    issuedDate,
    printedDate: null,
    ...region,
    year: readYear(title, issuedDate),
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Extracts the metadata of one notice from its text. `file` (the corpus-relative path) is read only
 * for the `title(YYYY-MM-DD).md` publication date, and only when the text states no date.
 *
 * Issuer, in order of preference: the masthead (XX文件), the 落款 of the cover letter, a website
 * "发布机构" label, an issuer line above the title, the organ at the head of the title. Joint
 * issuers: `issuer` is the lead (first) organ and `issuers` lists all of them.
 */
export function extractMetadata(text: string, file: string): DocumentMeta {
  const lines = logicalLines(text);
  if (lines.length === 0) return emptyMeta();
  if (/^#\s/.test(lines[0]!)) return extractMarkdownMeta(lines, file);

  const { header } = readHeader(lines);
  const title = readTitle(header);
  const rawTitleLine = header.find((h): h is { kind: 'fragment'; text: string } => h.kind === 'fragment')?.text ?? null;
  const docParts = header.find((h): h is { kind: 'docnumber'; parts: DocNumberParts } => h.kind === 'docnumber')?.parts;
  const signature = readSignature(lines);

  const masthead = header.find((h): h is { kind: 'masthead'; organ: string } => h.kind === 'masthead');
  const label = header.find(
    (h): h is { kind: 'label'; label: string; value: string } =>
      h.kind === 'label' && /^(发布机构|发文机关)$/.test(h.label) && !!h.value && isOrganName(removePdfSpaces(h.value)),
  );
  const headerOrgan = header.find((h): h is { kind: 'organ'; organs: string[] } => h.kind === 'organ');
  // The raw line keeps the spaces that separate joint issuers ("上海市交通委员会 上海市公安局关于…").
  const fromTitle = titleIssuers(rawTitleLine);
  let signed = signature?.issuers ?? [];
  // A 落款 in short form ("市交通委  市公安局") names the same organs as a title that spells them
  // out in full ("上海市交通委员会 上海市公安局关于…"): keep the full names.
  if (signed.length > 0 && signed.every((o) => /^[市区县镇]/.test(o)) && fromTitle.length === signed.length) {
    signed = fromTitle;
  }
  const candidates: string[][] = [
    masthead ? [masthead.organ] : [],
    signed,
    label ? [removePdfSpaces(label.value)] : [],
    headerOrgan?.organs ?? [],
    fromTitle,
  ];
  const issuers = candidates.find((c) => c.length > 0) ?? [];
  const issuer = issuers[0] ?? null;
  const issuedDate = signature?.date ?? fileNameDate(file);

  const meta: DocumentMeta = {
    title,
    issuer,
    docNumber: docParts ? formatDocNumber(docParts) : null,
    docNumberParts: docParts ?? null,
    issuedDate,
    printedDate: readPrintedDate(lines),
    ...locateRegion([issuer, title], text),
    year: readYear(title, issuedDate),
  };
  if (issuers.length > 1) meta.issuers = issuers;
  return meta;
}

/** Metadata with every field null: what a text that says nothing yields. */
export function emptyMeta(): DocumentMeta {
  return {
    title: null,
    issuer: null,
    docNumber: null,
    docNumberParts: null,
    issuedDate: null,
    printedDate: null,
    region: null,
    city: null,
    province: null,
    year: null,
  };
}
