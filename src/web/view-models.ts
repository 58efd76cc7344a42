/**
 * Shapes service results into what the templates print: snippets cut and split into segments,
 * filter links with counts, pagination, document paragraphs with table cells and repairs.
 * Pure; no HTML is produced here (the templates escape every string they print).
 */
import type { Limits } from '../config.js';
import type { FacetValue, Hit, Paragraph, SearchRequest, SearchResponse, Span } from '../domain/types.js';
import type { DocDetail, OutlineNode } from '../search/api.js';
import { isClauseLike } from '../search/similar.js';
import { cutSnippet } from '../search/snippet.js';
import { paginate, searchHref, withQuery, type Pagination } from './links.js';
import { buildSegments, sectionPath, splitCells, type Segment } from './render.js';

export interface FacetLink {
  value: string;
  /** What the page prints (the value, or its Chinese name for a code such as in-force). */
  label: string;
  count: number;
  href: string;
  active: boolean;
}

export type FacetKey = 'validity' | 'region' | 'year' | 'docType' | 'issuer' | 'unit';

export interface FacetGroup {
  key: FacetKey;
  label: string;
  /** Currently selected value (as printed), if any, and the link that removes it. */
  selected: { value: string; clearHref: string } | null;
  values: FacetLink[];
}

export interface HitView {
  hit: Hit;
  segments: Segment[];
  leadingEllipsis: boolean;
  trailingEllipsis: boolean;
  sectionText: string;
  /** hit.url with the query carried along, so the document page highlights it too. */
  href: string;
  /** Link to 其他地区的相似条款, for hits inside a document's body (labelled or under a heading). */
  similarHref: string | null;
  /** A badge for a document no longer (or not yet) in force; null for 现行有效. */
  validity: { state: string; label: string } | null;
}

export interface SearchPageModel {
  request: SearchRequest;
  response: SearchResponse | null;
  hits: HitView[];
  facets: FacetGroup[];
  pagination: Pagination | null;
  hrefFor: (overrides: Parameters<typeof searchHref>[1]) => string;
  sortLinks: Array<{ label: string; href: string; active: boolean }>;
  suggestions: Array<{ text: string; href: string }>;
  /** The query as one quoted phrase (a question read as words can still be found verbatim). */
  quotedHref: string;
  firstShown: number;
  lastShown: number;
  /** The date range as set (shown in the range form and as a removable chip). */
  dateRange: { from: string; to: string; clearHref: string } | null;
  /** Hidden inputs that keep the other filters when the date form is submitted. */
  keep: Array<{ name: string; value: string }>;
}

const FACET_LABELS: Record<FacetKey, string> = { validity: '时效性', region: '地区', year: '年份', docType: '文种', issuer: '发文机关', unit: '责任单位' };
/** Facets in the order the page lists them. */
const FACET_ORDER: readonly FacetKey[] = ['validity', 'region', 'year', 'docType', 'issuer', 'unit'];
const VALIDITY_NAMES: Record<string, string> = { 'in-force': '现行有效', 'not-yet': '尚未生效', expired: '已失效', repealed: '已废止' };
/** Most values listed per facet; the rest are reachable by typing a filter. */
const FACET_MAX_VALUES = 12;

export function searchPageModel(request: SearchRequest, response: SearchResponse | null, limits: Limits): SearchPageModel {
  const base = {
    q: request.q,
    region: request.region,
    year: request.year,
    unit: request.unit,
    issuer: request.issuer,
    docType: request.docType,
    from: request.from,
    to: request.to,
    validity: request.validity,
    today: request.today,
    sort: request.sort,
    limit: request.limit,
  };
  const hrefFor = (overrides: Parameters<typeof searchHref>[1]) => searchHref(base, overrides);

  const hits = (response?.hits ?? []).map((hit): HitView => {
    const snip = cutSnippet(hit.text, hit.highlights, { maxLength: 160 });
    return {
      hit,
      // A table row's cells are joined by tabs; show a visible separator instead of a blank.
      segments: buildSegments(snip.text, snip.highlights).map((seg) => (seg.text.includes('\t') ? { ...seg, text: seg.text.replace(/\t/g, ' ｜ ') } : seg)),
      leadingEllipsis: snip.leadingEllipsis,
      trailingEllipsis: snip.trailingEllipsis,
      sectionText: sectionPath(hit.section),
      href: withQuery(hit.url, request.q),
      similarHref: hit.label !== null || hit.section.length > 0 ? similarHref(hit.id) : null,
      validity: hit.doc.validity && hit.doc.validity !== 'in-force' ? { state: hit.doc.validity, label: VALIDITY_NAMES[hit.doc.validity]! } : null,
    };
  });

  const facets: FacetGroup[] = response
    ? FACET_ORDER.map((key) => facetGroup(key, response.facets[key], request, hrefFor))
    : [];

  const sortLinks = [
    { label: '相关度', href: hrefFor({ sort: 'relevance', offset: undefined }), active: request.sort === 'relevance' },
    { label: '日期', href: hrefFor({ sort: 'date', offset: undefined }), active: request.sort === 'date' },
  ];

  const suggestions = (response?.suggestions ?? []).map((text) => ({ text, href: hrefFor({ q: text, offset: undefined }) }));
  const total = response?.total ?? 0;
  return {
    request,
    response,
    hits,
    facets,
    pagination: response && total > 0 ? paginate(total, request.offset, request.limit, limits.maxOffset) : null,
    hrefFor,
    sortLinks,
    suggestions,
    quotedHref: hrefFor({ q: `"${request.q.replace(/["“”]/gu, '')}"`, offset: undefined }),
    firstShown: hits.length ? request.offset + 1 : 0,
    lastShown: request.offset + hits.length,
    dateRange:
      request.from !== undefined || request.to !== undefined
        ? { from: request.from ?? '', to: request.to ?? '', clearHref: hrefFor({ from: undefined, to: undefined, offset: undefined }) }
        : null,
    keep: Object.entries(base)
      .filter(([k, v]) => v !== undefined && v !== '' && !['from', 'to', 'q'].includes(k))
      .map(([name, value]) => ({ name, value: String(value) })),
  };
}

function facetGroup(key: FacetKey, values: readonly FacetValue[], request: SearchRequest, hrefFor: SearchPageModel['hrefFor']): FacetGroup {
  const current = request[key];
  const shown = (v: string) => (key === 'validity' ? (VALIDITY_NAMES[v] ?? v) : v);
  const selected = current === undefined ? null : { value: shown(String(current)), clearHref: hrefFor({ [key]: undefined, offset: undefined }) };
  // Years read as a timeline, newest first; other facets by count.
  const ordered = key === 'year' ? [...values].sort((a, b) => Number(b.value) - Number(a.value)) : values;
  const links = ordered.slice(0, FACET_MAX_VALUES).map((v): FacetLink => {
    const value = key === 'year' ? Number(v.value) : v.value;
    return {
      value: v.value,
      label: v.label ?? shown(v.value),
      count: v.count,
      href: hrefFor({ [key]: value, offset: undefined }),
      active: current !== undefined && String(current) === v.value,
    };
  });
  return { key, label: FACET_LABELS[key], selected, values: links };
}

type DocParagraph = DocDetail['paragraphs'][number];

export interface ParagraphView {
  p: DocParagraph;
  /** Segments of the whole text (for non-table paragraphs). */
  segments: Segment[];
  /** Table cells for table rows and headers, else null. */
  cells: Segment[][] | null;
  /** Deadlines with a normalized date, shown as badges. */
  deadlines: Array<{ text: string; date: string | null }>;
  hasRepairs: boolean;
  matched: boolean;
  /** Show the badge row (permalink, units, deadlines, citation); otherwise just a ¶ anchor. */
  showMeta: boolean;
  /** Link to 其他地区的相似条款, for clause-like paragraphs (see isClauseLike). */
  similarHref: string | null;
}

export interface DocPageModel {
  doc: DocDetail;
  paragraphs: ParagraphView[];
  outline: OutlineNode[];
  q: string;
  /** How many paragraphs matched `q` (null when no query was given). */
  matchedCount: number | null;
}

/** Paragraph views for a document page; `highlights` maps paragraph id → spans for `?q=`. */
export function docPageModel(doc: DocDetail, q: string, highlights: ReadonlyMap<string, Span[]> | null): DocPageModel {
  const paragraphs = doc.paragraphs.map((p): ParagraphView => {
    const spans = highlights?.get(p.id) ?? [];
    const repairs = visibleRepairs(p);
    const segments = buildSegments(p.text, spans, repairs);
    const isTable = p.kind === 'table-row' || p.kind === 'table-header';
    return {
      p,
      segments,
      cells: isTable ? splitCells(segments) : null,
      deadlines: p.deadlines.map((d) => ({ text: d.text, date: d.date })),
      hasRepairs: repairs.length > 0,
      matched: spans.length > 0,
      showMeta: CITABLE_KINDS.has(p.kind) || p.units.length > 0 || p.deadlines.length > 0,
      similarHref: isClauseLike(p) ? similarHref(p.id) : null,
    };
  });
  return {
    doc,
    paragraphs,
    outline: doc.outline,
    q,
    matchedCount: highlights ? paragraphs.filter((v) => v.matched).length : null,
  };
}

/**
 * Repairs worth showing a reader. A flattened table's cells were joined from separate lines into
 * tab-separated text; those joins are structure, not changed wording, so they are not marked.
 */
function visibleRepairs(p: Paragraph): Paragraph['repairs'] {
  return p.repairs.filter((r) => !(r.end > r.start && /^\t+$/u.test(p.text.slice(r.start, r.end))));
}

/** Paragraph kinds a reader cites; the cover letter's boilerplate only gets a ¶ anchor. */
const CITABLE_KINDS = new Set<Paragraph['kind']>(['clause', 'table-row', 'text', 'units']);

/** Paragraph kinds shown as a heading on the document page. */
export function isHeadingKind(kind: Paragraph['kind']): boolean {
  return kind === 'heading' || kind === 'title';
}

/** The similar-clauses page of a paragraph (其他地区的相似条款). */
export function similarHref(paragraphId: string): string {
  return `/similar/${encodeURIComponent(paragraphId)}`;
}

/** The word-level comparison page of two paragraphs. */
export function compareHref(a: string, b: string): string {
  return `/compare?${new URLSearchParams({ a, b })}`;
}

/** What the corpus holds, for the start page: counts, places, years and issuers of several documents. */
export interface CorpusSummary {
  documents: number;
  paragraphs: number;
  /** Places (county-level or else city/province), most documents first, at most `MAX_PLACES`. */
  places: Array<{ name: string; count: number }>;
  morePlaces: number;
  firstYear: number | null;
  lastYear: number | null;
  issuers: Array<{ name: string; count: number }>;
}

const MAX_PLACES = 8;
const MAX_ISSUERS = 3;

function topCounts(names: ReadonlyArray<string | null>): Array<{ name: string; count: number }> {
  const counts = new Map<string, number>();
  for (const n of names) if (n) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh'));
}

export function corpusSummary(docs: ReadonlyArray<{ region: string | null; city: string | null; province: string | null; year: number | null; issuer: string | null; paragraphCount: number }>): CorpusSummary {
  const places = topCounts(docs.map((d) => d.region ?? d.city ?? d.province));
  const years = docs.map((d) => d.year).filter((y): y is number => y !== null);
  return {
    documents: docs.length,
    paragraphs: docs.reduce((n, d) => n + d.paragraphCount, 0),
    places: places.slice(0, MAX_PLACES),
    morePlaces: Math.max(0, places.length - MAX_PLACES),
    firstYear: years.length ? Math.min(...years) : null,
    lastYear: years.length ? Math.max(...years) : null,
    // Only issuers of several documents say something about the corpus.
    issuers: topCounts(docs.map((d) => d.issuer)).filter((i) => i.count > 1).slice(0, MAX_ISSUERS),
  };
}
