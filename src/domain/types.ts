/**
 * Domain types shared by every stage: documents, paragraphs, citations, hits.
 * Offsets are always `[start, end)` UTF-16 indexes into `Paragraph.text` as stored.
 */

/** What a paragraph is, structurally. */
export type ParagraphKind =
  | 'title' // the notice's own title (cover title or the work plan's title)
  | 'docnumber' // 文号 line
  | 'addressee' // 主送机关: "各街道办事处、镇人民政府，……："
  | 'heading' // a section heading: 一、 / （一） / 第一章 / ## …
  | 'clause' // a numbered clause: 1. / （三） with body text / 第五条 …
  | 'table-row' // one row of a flattened table; cells joined by '\t'
  | 'table-header' // the header row of a flattened table
  | 'units' // a line of its own naming 责任单位
  | 'text' // ordinary body text
  | 'signature' // 落款: issuer name and date at the end of the cover letter
  | 'attachment' // 附件 line
  | 'footer'; // 版记: 抄送 / 印发 lines, (此件公开发布)

/** A repair of PDF-extraction damage, so the original wording can always be shown. */
export interface Repair {
  kind: 'line-join' | 'space-removed' | 'and-to-he' | 'line-trim';
  /** Span in the stored (repaired) text that replaced `original` (may be empty: start === end). */
  start: number;
  end: number;
  /** The original characters, exactly as in the file ('\n\n', ' ', ' and '). */
  original: string;
}

/** A time expression found in a paragraph. */
export interface Deadline {
  /** The expression as written, e.g. `2020年9月底前`, `每季度`, `长期坚持`. */
  text: string;
  /** Offsets of `text` in the paragraph text. */
  start: number;
  end: number;
  /** Normalized ISO date (last day of the period) when determinable, else null. */
  date: string | null;
  /** Kind of expression. */
  kind: 'by-date' | 'recurring' | 'ongoing' | 'date';
}

export interface Paragraph {
  /** Stable id: `${docId}-p${index}`; same across rebuilds of the same corpus. */
  id: string;
  docId: string;
  /** 0-based position among the document's paragraphs. */
  index: number;
  /** Stored (repaired) text, original characters kept (no width folding). */
  text: string;
  kind: ParagraphKind;
  /** The paragraph's own label: `（三）`, `5.`, `第五条`, table row `12`; null when none. */
  label: string | null;
  /** Heading depth for headings (1 = 一、 / 第一章), null otherwise. */
  level: number | null;
  /** Texts of the enclosing headings, outermost first (the paragraph itself excluded). */
  section: string[];
  /** Labels of the enclosing headings, parallel to `section` (e.g. ['一、', '（五）']). */
  sectionLabels: string[];
  /** Responsible units named in or for this paragraph, lead unit first. */
  units: string[];
  deadlines: Deadline[];
  repairs: Repair[];
  /** 1-based first and last source line this paragraph came from. */
  lines: [number, number];
}

export interface DocNumberParts {
  /** 机关代字, e.g. `温鹿政办`. */
  agency: string;
  year: number;
  /** 序号, e.g. 35. */
  serial: number;
}

export interface DocumentMeta {
  title: string | null;
  issuer: string | null;
  /** All issuers of a joint issue (联合发文), lead organ first; absent when there is one issuer. */
  issuers?: string[];
  /** Normalized 文号 with 〔〕 brackets, e.g. `温鹿政办〔2020〕35号`. */
  docNumber: string | null;
  docNumberParts: DocNumberParts | null;
  /** 成文日期 (the 落款 date), ISO yyyy-mm-dd. */
  issuedDate: string | null;
  /** 印发日期 from the 版记 line, ISO. */
  printedDate: string | null;
  region: string | null;
  city: string | null;
  province: string | null;
  /** The year the work plan is for. */
  year: number | null;
}

export interface PolicyDocument {
  /** Stable id derived from the corpus-relative file path. */
  id: string;
  /** Corpus-relative file path (forward slashes). */
  file: string;
  /** Detected source encoding, e.g. `UTF-8`, `UTF-8 (BOM)`, `GB18030`. */
  encoding: string;
  /** sha256 of the file bytes. */
  checksum: string;
  meta: DocumentMeta;
  paragraphs: Paragraph[];
}

/** A file that could not be ingested, with the reason. */
export interface SkippedFile {
  file: string;
  code: string;
  reason: string;
}

/** A warning about a file that was ingested anyway. */
export interface IngestWarning {
  file: string;
  message: string;
}

/** The parts of a document shown with each hit. */
export interface DocSummary {
  id: string;
  title: string | null;
  docNumber: string | null;
  issuer: string | null;
  issuedDate: string | null;
  region: string | null;
  year: number | null;
}

/** A citation, e.g. 《title》（文号）一、（五）. */
export interface Citation {
  title: string | null;
  docNumber: string | null;
  /** Labels path: section labels then the paragraph's own label. */
  path: string[];
  /** The ready-to-paste string. */
  text: string;
}

export type Span = [number, number];

export interface Hit {
  id: string;
  docId: string;
  text: string;
  highlights: Span[];
  section: string[];
  label: string | null;
  citation: string;
  url: string;
  score: number;
  doc: DocSummary;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchRequest {
  q: string;
  limit: number;
  offset: number;
  region?: string;
  year?: number;
  unit?: string;
  sort: 'relevance' | 'date';
}

export interface SearchResponse {
  query: string;
  total: number;
  tookMs: number;
  hits: Hit[];
  facets: { region: FacetValue[]; year: FacetValue[]; unit: FacetValue[] };
  /** Alternative queries offered when nothing (or little) was found. */
  suggestions: string[];
}
