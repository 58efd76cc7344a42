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
  /**
   * 'effective': the day a text takes effect (…起施行); 'expiry': the day it stops applying
   * (有效期至…). Neither is anyone's deadline.
   */
  kind: 'by-date' | 'recurring' | 'ongoing' | 'date' | 'effective' | 'expiry';
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
  /**
   * The most local division known: county-level (鹿城区), else the city of a city-level document
   * (上海市 for 上海市人民政府办公厅); null for provincial or national documents.
   */
  region: string | null;
  city: string | null;
  province: string | null;
  /** The year the work plan is for. */
  year: number | null;
  /** 文种 read from the title (通知, 意见, 办法, 规定, 条例, 解释…); null when the title names none. */
  docType?: string | null;
  /** 时效性 facts stated in the text (validity.ts); absent on documents parsed before they existed. */
  validity?: ValidityFacts;
  /** Other documents this one cites by 《title》 or 文号 (citations.ts), in text order. */
  references?: DocReference[];
}

/**
 * A mention of another document: 根据《…》, 依照《…》（沪府发〔2015〕3号）, 《…》同时废止. The title is
 * the text inside 《》 as written (book-title marks removed); either part may be null, not both.
 */
export interface DocReference {
  title: string | null;
  /** Normalized 文号 with 〔〕 brackets, as formatDocNumber writes it. */
  docNumber: string | null;
  /** Index into the citing document's paragraphs. */
  para: number;
  /** The word that introduces the mention (根据, 依照, 依据, 按照, 贯彻, 转发, 印发, 废止…), or null. */
  cue: string | null;
}

/** What a document's text says about its own validity (时效性). Dates ISO yyyy-mm-dd. */
export interface ValidityFacts {
  /** 施行日期: 自…起施行/实施/执行/试行 (or 自印发之日起 = the 成文日期). */
  effectiveDate: string | null;
  /** Last day in force: 有效期至…, or 施行日期 + 有效期N年 − 1 day. */
  expiryDate: string | null;
  /** Paragraph indexes that state them (null when not stated). */
  effectivePara: number | null;
  expiryPara: number | null;
  /** Documents this one declares repealed or no longer applied (《…》同时废止, 废止…的决定). */
  repeals: DocReference[];
}

/** A document's validity as of a day: 现行有效, 尚未生效, 已失效, 已废止. */
export type ValidityState = 'in-force' | 'not-yet' | 'expired' | 'repealed';

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
  docType?: string | null;
  /** 时效性 on the day of the search (search hits only). */
  validity?: ValidityState;
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
  /**
   * Query terms this paragraph does not match (a question's content words, or the terms of a
   * keyword query when the hits are partial matches); empty when it matches them all.
   */
  missing: string[];
}

export interface FacetValue {
  value: string;
  count: number;
  /** How the value reads when it is a code (validity: 现行有效 for in-force). */
  label?: string;
}

export interface SearchRequest {
  q: string;
  limit: number;
  offset: number;
  region?: string;
  year?: number;
  unit?: string;
  /** 发文机关: documents issued (or jointly issued) by this organ, by its name as the facet lists it. */
  issuer?: string;
  /** 文种 (docTypeOf): 通知, 意见, 办法… */
  docType?: string;
  /** Date range on the document's 成文日期 (else 印发日期), ISO days, both ends included. */
  from?: string;
  to?: string;
  /** 时效性 as of `today`: in-force keeps 现行有效 documents only. */
  validity?: ValidityState;
  /** The day validity is judged on (ISO); absent = the server's date. */
  today?: string;
  sort: 'relevance' | 'date';
}

/** Facets of a search, each counted over the matches passing every other filter. */
export interface SearchFacets {
  region: FacetValue[];
  year: FacetValue[];
  unit: FacetValue[];
  issuer: FacetValue[];
  docType: FacetValue[];
  /** Values are ValidityState codes; `label` says them in Chinese. */
  validity: FacetValue[];
}

export interface SearchResponse {
  query: string;
  total: number;
  tookMs: number;
  hits: Hit[];
  facets: SearchFacets;
  /** Alternative queries offered when nothing (or little) was found. */
  suggestions: string[];
  /**
   * How the query was read: `keywords` (every term required) or `question` (a question or
   * sentence: its content words ranked as optional terms, see `question`).
   */
  mode: 'keywords' | 'question';
  /**
   * For a question: the content words searched, the question words left out, and the words also
   * searched under the law's terms for them (`expanded`: 别人 → 他人).
   */
  question: { terms: string[]; dropped: string[]; expanded: Array<{ term: string; also: string[] }> } | null;
  /**
   * No paragraph matched the whole query (every keyword; enough of a question's content words):
   * `hits` and `total` are the best partial matches instead.
   */
  partial: boolean;
}

// --- Commitments (承诺事项): who does what by when ---

/** A responsible unit of a commitment: the document's own wording and its normalized identity. */
export interface CommitmentUnit {
  /** As the document writes it, e.g. `县府办<县大数据局>`. */
  name: string;
  /** Normalized key for filtering and counting (see data/unit-aliases.txt), e.g. `政府办公室`. */
  key: string;
  /** Readable canonical name for the key, e.g. `政府办公室`. */
  label: string;
  /** A lead unit (牵头): written before 牵头 or after 牵头单位：, else the first named unit that is not a collective name (各有关部门). */
  lead: boolean;
  /** Second names in brackets (`<县大数据局>`), normalized; the unit also counts under these. */
  aliases: Array<{ key: string; label: string }>;
}

/**
 * Where a deadline stands on a given day. The documents record promises, not their completion,
 * so a date in the past is 'passed' (已到期), never "overdue":
 * - 'upcoming': a date on or after today (未到期);
 * - 'passed': a date before today (已到期);
 * - 'recurring': a cycle (每季度, 每年一季度前), with its next due day when the text pins one;
 * - 'ongoing': no end (长期坚持, 持续推进);
 * - 'unknown': no trustworthy date: the year is not written and none is known, or a date read
 *   with the document's year falls before the document itself was written.
 */
export type DeadlineStatus = 'upcoming' | 'passed' | 'recurring' | 'ongoing' | 'unknown';

/** A commitment's status: that of its most pressing deadline (see queryCommitments), or 'none' without any. */
export type CommitmentStatus = DeadlineStatus | 'none';

export interface CommitmentDeadline {
  /** As written, e.g. `2020年9月底前`. */
  text: string;
  /** Normalized ISO date (last day of the period), or null (`每季度`, `长期坚持`). */
  date: string | null;
  kind: Deadline['kind'];
}

/** A deadline with where it stands on the query's day (CommitmentFilter.today). */
export interface DatedCommitmentDeadline extends CommitmentDeadline {
  status: DeadlineStatus;
  /** A recurring deadline's next due day on or after today (每年一季度前 → 3月31日), else null. */
  next: string | null;
  /** Days from today to `date` (upcoming) or to `next` (recurring); null otherwise. */
  daysLeft: number | null;
  /**
   * Why the date needs a second look: 'before-issue' (it falls before the document's own 成文/印发
   * date), 'no-year' (no year written and none known); null when there is no doubt.
   */
  doubt: 'before-issue' | 'no-year' | null;
}

/** A clause (or table row, or other paragraph) that names responsible units or deadlines. */
export interface Commitment {
  /** Paragraph id. */
  id: string;
  docId: string;
  kind: ParagraphKind;
  /** The paragraph text as stored (a table row's cells joined by '\t'). */
  text: string;
  /** What is to be done: the 任务 cell of a table row, else the text without its label. */
  task: string;
  /** The heading sentence of a long task (`加强权力配置信息公开`), else null. */
  heading: string | null;
  label: string | null;
  section: string[];
  /** Lead units first. */
  units: CommitmentUnit[];
  deadlines: DatedCommitmentDeadline[];
  /** The status of its most pressing deadline: upcoming, else recurring, ongoing, passed, unknown. */
  status: CommitmentStatus;
  /**
   * The day that status refers to: the soonest upcoming date, the soonest next occurrence of a
   * recurring deadline, or the latest passed date; null otherwise.
   */
  due: string | null;
  region: string | null;
  citation: string;
  url: string;
  doc: DocSummary;
}

/** Filters of the commitments view; dates are ISO `YYYY-MM-DD`, both bounds inclusive. */
export interface CommitmentFilter {
  region?: string;
  /** Any spelling of a unit (`县府办`) or a normalized key; matched by normalized key. */
  unit?: string;
  /** Some dated deadline on or before this day… */
  before?: string;
  /** …and on or after this day (the same deadline satisfies both). */
  after?: string;
  /** Keywords: each whitespace-separated piece must occur in the text (matching normalization). */
  q?: string;
  /** Only commitments with this status. */
  status?: CommitmentStatus;
  /** The day statuses are computed for (ISO), given by the caller: the service reads no clock. */
  today: string;
  /**
   * `status` (the default): upcoming (soonest first), then recurring, ongoing, passed (most recent
   * first), unknown, none; `deadline`: dated first, earliest first, then undated; `document`:
   * corpus order.
   */
  sort: 'status' | 'deadline' | 'document';
  /** Page size; absent = every match (the CSV export). */
  limit?: number;
  offset: number;
}

export interface UnitCount {
  key: string;
  label: string;
  count: number;
}

export interface CommitmentsResponse {
  total: number;
  items: Commitment[];
  /**
   * Counts over the matches of every filter except the counted one (as in the search facets):
   * regions without the region filter, units without the unit filter, months (YYYY-MM of
   * deadline dates) and `undated` without the date filter.
   */
  counts: {
    regions: FacetValue[];
    units: UnitCount[];
    months: FacetValue[];
    undated: number;
    /** Commitments per status (without the status filter), every status listed. */
    statuses: Record<CommitmentStatus, number>;
  };
}

// --- Parallel clauses and wording comparison ---

/** A clause as shown on the similar-clauses and comparison pages, with its citation. */
export interface ClauseRef {
  id: string;
  docId: string;
  text: string;
  kind: ParagraphKind;
  label: string | null;
  section: string[];
  citation: string;
  url: string;
  doc: DocSummary;
}

/** One parallel clause in another document (GET /api/similar/:paragraphId). */
export interface SimilarHit {
  id: string;
  docId: string;
  text: string;
  /**
   * 0–1: word tf-idf cosine, character-bigram cosine, sentence-by-sentence alignment and heading
   * similarity combined; a second, third… hit from one document is discounted. Only hits above
   * the thresholds of search/similar.ts are returned (SIMILAR_MIN_SCORE for the closest clause of
   * a parallel document, SIMILAR_MORE_MIN_SCORE otherwise), so there may be fewer than the limit.
   */
  score: number;
  /** Shared jieba words, the most telling first; each occurs in both normalized texts. */
  sharedTerms: string[];
  citation: string;
  url: string;
  doc: DocSummary;
}

export interface SimilarResponse {
  paragraph: ClauseRef;
  /** Clauses of other documents only, best first. */
  hits: SimilarHit[];
}

/** A run of the word-level diff: wording in both texts, only in B (added) or only in A (removed). */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface DiffSummary {
  /** 2 × common characters / characters of both texts (whitespace not counted); 1 when identical. */
  sharedRatio: number;
  sameWords: number;
  addedWords: number;
  removedWords: number;
  sameChars: number;
  addedChars: number;
  removedChars: number;
  /** One line, e.g. `相同 62%，新增 12 词，删去 8 词`. */
  text: string;
}

/** GET /api/compare?a=&b=: B's wording against A's. */
export interface ClauseComparison {
  a: ClauseRef;
  b: ClauseRef;
  /** same + removed parts concatenate to a.text; same + added parts to b.text. */
  parts: DiffPart[];
  summary: DiffSummary;
}
