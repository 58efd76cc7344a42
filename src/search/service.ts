/**
 * The search service: one object shared by the JSON API, the HTML pages and the CLI.
 */
import { performance } from 'node:perf_hooks';
import { normalizeForMatch } from '../analysis/normalize.js';
import type { Limits } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { FacetValue, Hit, PolicyDocument, SearchRequest, SearchResponse } from '../domain/types.js';
import type { BuiltIndex } from '../indexing/build.js';
import { ensureIndex, type EnsureIndexOptions } from '../indexing/pipeline.js';
import type { IndexManifest } from '../indexing/store.js';
import { paragraphUrl, type DocDetail, type DocListItem, type SearchServiceApi, type ServiceStats } from './api.js';
import { renderCitation } from './cite.js';
import { compareScored, Ranker, type ScoredParagraph } from './engine.js';
import { highlightSpans } from './highlight.js';
import { buildOutline } from './outline.js';
import { formatQuery, parseQuery, type ParsedQuery, type QueryTerm } from './query.js';

const FACET_SIZE = { region: 50, year: 50, unit: 30 };

function docListItem(doc: PolicyDocument): DocListItem {
  const m = doc.meta;
  return {
    id: doc.id,
    title: m.title,
    docNumber: m.docNumber,
    issuer: m.issuer,
    issuedDate: m.issuedDate,
    printedDate: m.printedDate,
    region: m.region,
    city: m.city,
    province: m.province,
    year: m.year,
    file: doc.file,
    paragraphCount: doc.paragraphs.length,
  };
}

function countFacet(values: Iterable<string>, size: number): FacetValue[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, 'zh'))
    .slice(0, size);
}

export class SearchService implements SearchServiceApi {
  private readonly ranker: Ranker;
  private readonly byId = new Map<string, number>();
  private readonly unitNorms: string[][];

  constructor(
    private readonly built: BuiltIndex,
    private readonly limits: Limits,
    private readonly manifest: IndexManifest | null = null,
  ) {
    this.ranker = new Ranker(built);
    built.docs.forEach((d, i) => this.byId.set(d.id, i));
    this.unitNorms = built.refs.map((r) => built.docs[r.doc]!.paragraphs[r.para]!.units.map(normalizeForMatch));
  }

  /** Field filters from the query and the URL, as one predicate over paragraph numbers. */
  private filterFor(filters: QueryTerm[], req: SearchRequest, skip?: 'region' | 'year' | 'unit'): (n: number) => boolean {
    const regions = filters.filter((t) => t.field === 'region').map((t) => t.norm);
    const years = filters.filter((t) => t.field === 'year').map((t) => t.norm.replace(/年$/u, ''));
    const units = filters.filter((t) => t.field === 'unit').map((t) => t.norm);
    const titles = filters.filter((t) => t.field === 'title').map((t) => t.norm);
    const docNumbers = filters.filter((t) => t.field === 'docNumber').map((t) => t.norm);
    if (req.region && skip !== 'region') regions.push(normalizeForMatch(req.region));
    if (req.year !== undefined && skip !== 'year') years.push(String(req.year));
    if (req.unit && skip !== 'unit') units.push(normalizeForMatch(req.unit));
    if (!regions.length && !years.length && !units.length && !titles.length && !docNumbers.length) return () => true;
    return (n) => {
      const facts = this.ranker.docFacts(this.built.refs[n]!.doc);
      for (const r of regions) if (!facts.regionNames.some((name) => name === r || name.startsWith(r))) return false;
      for (const y of years) if (facts.year !== y) return false;
      for (const t of titles) if (!facts.title.includes(t)) return false;
      for (const d of docNumbers) if (facts.docNumber !== d) return false;
      for (const u of units) if (!this.unitNorms[n]!.some((x) => x.includes(u))) return false;
      return true;
    };
  }

  private rankAll(q: ParsedQuery, req: SearchRequest): ScoredParagraph[] {
    return this.ranker.rank(q, this.filterFor(q.filters, req));
  }

  private paragraphOf(n: number) {
    const ref = this.built.refs[n]!;
    const doc = this.built.docs[ref.doc]!;
    return { doc, p: doc.paragraphs[ref.para]! };
  }

  private toHit(s: ScoredParagraph, q: ParsedQuery): Hit {
    const { doc, p } = this.paragraphOf(s.n);
    return {
      id: p.id,
      docId: doc.id,
      text: p.text,
      highlights: highlightSpans(p.text, this.ranker.highlightGroups(q)),
      section: p.section,
      label: p.label,
      citation: renderCitation(doc, p).text,
      url: paragraphUrl(doc.id, p.id),
      score: Math.round(s.score * 1000) / 1000,
      doc: {
        id: doc.id,
        title: doc.meta.title,
        docNumber: doc.meta.docNumber,
        issuer: doc.meta.issuer,
        issuedDate: doc.meta.issuedDate,
        region: doc.meta.region,
        year: doc.meta.year,
      },
    };
  }

  private facets(q: ParsedQuery, req: SearchRequest, all: ScoredParagraph[]): SearchResponse['facets'] {
    // Each facet counts the results with every filter except its own, so choices stay visible.
    const withoutOwn = (f: 'region' | 'year' | 'unit') => {
      const own = f === 'region' ? req.region : f === 'year' ? req.year : req.unit;
      return own === undefined || own === '' ? all : this.ranker.rank(q, this.filterFor(q.filters, req, f));
    };
    const docOf = (n: number) => this.built.docs[this.built.refs[n]!.doc]!;
    return {
      region: countFacet(withoutOwn('region').flatMap((s) => (docOf(s.n).meta.region ? [docOf(s.n).meta.region!] : [])), FACET_SIZE.region),
      year: countFacet(withoutOwn('year').flatMap((s) => (docOf(s.n).meta.year ? [String(docOf(s.n).meta.year)] : [])), FACET_SIZE.year),
      unit: countFacet(withoutOwn('unit').flatMap((s) => [...new Set(this.paragraphOf(s.n).p.units)]), FACET_SIZE.unit),
    };
  }

  /** Other queries worth offering when nothing was found: unquoted, fewer terms, no exclusions. */
  private suggestions(q: ParsedQuery, req: SearchRequest): string[] {
    const variants: ParsedQuery[] = [];
    if (q.clauses.some((c) => c.some((t) => t.phrase))) {
      variants.push({ ...q, clauses: q.clauses.map((c) => c.map((t) => ({ ...t, phrase: false }))) });
    }
    if (q.clauses.length > 1) {
      q.clauses.forEach((_, i) => variants.push({ ...q, clauses: q.clauses.filter((__, j) => j !== i) }));
    }
    if (q.excluded.length) variants.push({ ...q, excluded: [] });
    if (q.filters.length && q.clauses.length) variants.push({ ...q, filters: [] });
    const out: string[] = [];
    for (const v of variants) {
      if (v.clauses.length === 0 && v.filters.length === 0) continue;
      const text = formatQuery(v);
      if (out.includes(text)) continue;
      if (this.rankAll(v, { ...req, region: undefined, year: undefined, unit: undefined }).length > 0) out.push(text);
      if (out.length >= 5) break;
    }
    return out;
  }

  search(req: SearchRequest): SearchResponse {
    const started = performance.now();
    if (req.q.length > this.limits.maxQueryLength) {
      throw new AppError('E_QUERY_TOO_LONG', `最多 ${this.limits.maxQueryLength} 个字符。`);
    }
    const q = parseQuery(req.q, this.limits.maxQueryTerms);
    const all = this.rankAll(q, req);
    if (req.sort === 'date') {
      const dateOf = (s: ScoredParagraph) => this.ranker.docFacts(this.built.refs[s.n]!.doc).date;
      all.sort((a, b) => dateOf(b).localeCompare(dateOf(a)) || compareScored(a, b));
    } else {
      all.sort(compareScored);
    }
    const page = all.slice(req.offset, req.offset + req.limit);
    const response: SearchResponse = {
      query: req.q,
      total: all.length,
      tookMs: 0,
      hits: page.map((s) => this.toHit(s, q)),
      facets: this.facets(q, req, all),
      suggestions: all.length === 0 ? this.suggestions(q, req) : [],
    };
    response.tookMs = Math.round((performance.now() - started) * 100) / 100;
    return response;
  }

  listDocs(): DocListItem[] {
    return this.built.docs.map(docListItem);
  }

  getDoc(id: string): DocDetail {
    const i = this.byId.get(id);
    if (i === undefined) throw new AppError('E_DOC_NOT_FOUND');
    const doc = this.built.docs[i]!;
    return {
      ...docListItem(doc),
      meta: doc.meta,
      encoding: doc.encoding,
      paragraphs: doc.paragraphs.map((p) => ({ ...p, url: paragraphUrl(doc.id, p.id), citation: renderCitation(doc, p).text })),
      outline: buildOutline(doc.paragraphs),
    };
  }

  stats(): ServiceStats {
    return {
      documents: this.built.docs.length,
      paragraphs: this.built.refs.length,
      builtAt: this.manifest?.builtAt ?? '',
      skipped: this.manifest?.skipped ?? [],
    };
  }
}

export interface OpenServiceOptions extends Omit<EnsureIndexOptions, 'maxFileBytes'> {
  limits: Limits;
}

/** Builds the index if it is missing or stale, loads it and returns the service. */
export async function openSearchService(opts: OpenServiceOptions): Promise<SearchService> {
  const { built, manifest } = await ensureIndex({ ...opts, maxFileBytes: opts.limits.maxFileBytes });
  return new SearchService(built, opts.limits, manifest);
}
