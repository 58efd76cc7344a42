/**
 * The search service contract shared by the JSON API, the HTML pages and the CLI.
 * Implemented by SearchService in service.ts.
 */
import type { DocumentMeta, Hit, Paragraph, PolicyDocument, SearchRequest, SearchResponse, ValidityState } from '../domain/types.js';
import type { CommitmentFilter, CommitmentsResponse } from '../domain/types.js';
import type { ClauseComparison, SimilarResponse } from '../domain/types.js';

/** One row of GET /api/docs: the document's metadata (without 文号 parts) plus where it came from. */
export type DocListItem = Omit<DocumentMeta, 'docNumberParts' | 'issuers' | 'validity' | 'references'> & {
  id: string;
  file: string;
  paragraphCount: number;
};

/** A node of a document's outline (section tree). */
export interface OutlineNode {
  /** Paragraph id of the heading or clause. */
  id: string;
  label: string | null;
  text: string;
  level: number;
  children: OutlineNode[];
}

/** Another document of the corpus linked from this one (cited, citing, repealing). */
export interface RelatedDoc {
  id: string;
  title: string | null;
  docNumber: string | null;
  issuedDate: string | null;
  /** Where the mention is: a paragraph URL (in this document for `cites`, in the other for `citedBy`). */
  url: string;
  /** The introducing word (根据, 依照, 废止…), or null. */
  cue: string | null;
}

/** A mention of a document the corpus does not hold. */
export interface UnresolvedCitation {
  title: string | null;
  docNumber: string | null;
  /** The paragraph of this document that mentions it. */
  url: string;
}

/** 时效性 of a document on a day. */
export interface ValidityView {
  state: ValidityState;
  /** 现行有效, 尚未生效, 已失效, 已废止. */
  label: string;
  /** Why, in Chinese: 自2018年1月1日起施行，有效期至2022年12月31日 / 文中未载明施行日期和有效期. */
  reason: string;
  effectiveDate: string | null;
  expiryDate: string | null;
  /** The document that repeals this one, in force on `asOf`. */
  repealedBy: RelatedDoc | null;
  /** The day judged on. */
  asOf: string;
}

/** GET /api/docs/:id: the list item plus full metadata, paragraphs, outline and links to other documents. */
export type DocDetail = DocListItem & {
  meta: DocumentMeta;
  encoding: string;
  paragraphs: Array<Paragraph & { url: string; citation: string }>;
  outline: OutlineNode[];
  validity: ValidityView;
  /** Documents of the corpus this one cites, one per document, in order of first mention. */
  cites: RelatedDoc[];
  /** Documents of the corpus that cite this one. */
  citedBy: RelatedDoc[];
  /** Documents this one repeals. */
  repeals: RelatedDoc[];
  /** Cited documents the corpus does not hold (one per title or 文号). */
  citesElsewhere: UnresolvedCitation[];
};

export interface ServiceStats {
  documents: number;
  paragraphs: number;
  builtAt: string;
  skipped: Array<{ file: string; code: string; reason: string }>;
  /** Files indexed with a note (read as a legacy encoding, no Chinese text). */
  warnings?: Array<{ file: string; message: string }>;
}

export interface SearchServiceApi {
  /** Runs a query; throws AppError (E_QUERY_EMPTY, E_QUERY_TOO_LONG, E_TOO_MANY_TERMS, E_BAD_PARAM). */
  search(req: SearchRequest): SearchResponse;
  listDocs(): DocListItem[];
  /** Throws AppError('E_DOC_NOT_FOUND') for an unknown id. Validity is judged on `today` (default: the server's date). */
  getDoc(id: string, today?: string): DocDetail;
  /**
   * The clauses of other documents most like paragraph `paragraphId`, best first (default 10).
   * Throws AppError('E_PARAGRAPH_NOT_FOUND') for an unknown id.
   */
  similar(paragraphId: string, limit?: number): SimilarResponse;
  /** Word-level diff of paragraph `b` against paragraph `a`; E_PARAGRAPH_NOT_FOUND for an unknown id. */
  compare(a: string, b: string): ClauseComparison;
  /**
   * Commitments (clauses with responsible units or deadlines) matching the filter, with counts per
   * region, unit and month. Throws AppError('E_DATE_RANGE') when `after` is later than `before`.
   */
  commitments(filter: CommitmentFilter): CommitmentsResponse;
  stats(): ServiceStats;
}

/**
 * SearchServiceApi with every method allowed to answer with a promise: what the web layer calls.
 * The embedded SearchService (synchronous) and the PostgreSQL backend (src/backends) both are one.
 */
export type AsyncSearchServiceApi = {
  [K in keyof SearchServiceApi]: (...args: Parameters<SearchServiceApi[K]>) => ReturnType<SearchServiceApi[K]> | Promise<ReturnType<SearchServiceApi[K]>>;
};

/** Permalink of a paragraph in its document page. */
export function paragraphUrl(docId: string, paragraphId: string): string {
  return `/docs/${encodeURIComponent(docId)}#${encodeURIComponent(paragraphId)}`;
}

/** The document fields every hit, similar clause and commitment carries. */
export function hitDocSummary(doc: PolicyDocument): Hit['doc'] {
  const m = doc.meta;
  return { id: doc.id, title: m.title, docNumber: m.docNumber, issuer: m.issuer, issuedDate: m.issuedDate, region: m.region, year: m.year, docType: m.docType ?? null };
}
