/**
 * The search service: one object shared by the JSON API, the HTML pages and the CLI.
 */
import { performance } from 'node:perf_hooks';
import { wordsOfNormalized } from '../analysis/analyzer.js';
import { normalizeForMatch } from '../analysis/normalize.js';
import type { Limits } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { FacetValue, Hit, PolicyDocument, SearchFacets, SearchRequest, SearchResponse, ValidityState } from '../domain/types.js';
import type { CommitmentFilter, CommitmentsResponse } from '../domain/types.js';
import type { ClauseComparison, ClauseRef, SimilarHit, SimilarResponse } from '../domain/types.js';
import type { BuiltIndex } from '../indexing/build.js';
import { normalizeUnit, normalizeUnitAll, unitFilter } from '../corpus/unit-aliases.js';
import { ensureIndex, type EnsureIndexOptions } from '../indexing/pipeline.js';
import type { IndexManifest } from '../indexing/store.js';
import { hitDocSummary, paragraphUrl, type DocDetail, type DocListItem, type RelatedDoc, type SearchServiceApi, type ServiceStats, type UnresolvedCitation } from './api.js';
import { renderCitation } from './cite.js';
import { extractCommitments, queryCommitments, type CommitmentRecord } from './commitments.js';
import { diffClauses } from './compare.js';
import { DocumentRelations, localToday, VALIDITY_LABELS, type DocLink } from './relations.js';
import { ClauseSimilarity, DEFAULT_SIMILAR_LIMIT, MAX_SIMILAR_LIMIT } from './similar.js';
import { diversify, DIVERSIFIED, KEYWORD_DIVERSITY, POOL, QUESTION_DIVERSITY } from './diversify.js';
import { ALLOW_ALL, Ranker, type RankedList, type ScoredParagraph } from './engine.js';
import { highlightSpans } from './highlight.js';
import { firstAtLeast } from './postings.js';
import { intersectAscending } from '../indexing/gram-postings.js';
import { buildOutline } from './outline.js';
import { formatQuery, parseQuery, type ParsedQuery, type QueryField, type QueryTerm } from './query.js';

const FACET_SIZE = { region: 50, year: 50, unit: 30, issuer: 30, docType: 30, validity: 4 };
/** Documents kept built for repeated requests (each is immutable once the index is loaded). */
const DOC_CACHE_SIZE = 64;

function docListItem(doc: PolicyDocument, paragraphCount: number): DocListItem {
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
    docType: m.docType ?? null,
    file: doc.file,
    paragraphCount,
  };
}

function topFacet(counts: Map<string, number>, size: number): FacetValue[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, 'zh'))
    .slice(0, size);
}

/**
 * The first `k` items of `list` in `compare` order, without sorting the whole list: a bounded
 * max-heap keeps the k best (O(n log k)); small lists are just sorted.
 */
export function topK<T>(list: ArrayLike<T> & Iterable<T>, k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (list.length <= k * 4 || list.length < 2048) return Array.from(list).sort(compare).slice(0, k);
  const heap: T[] = [];
  const worse = (i: number, j: number) => compare(heap[i]!, heap[j]!) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  for (const item of list) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(l, m)) m = l;
        if (r < heap.length && worse(r, m)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort(compare);
}

/**
 * A document facet's values, numbered, with each document's value numbers (several for the
 * joint issuers of one document): counting a query's matches by value is then array arithmetic
 * over the documents, with no string keys.
 */
class FacetTable {
  private constructor(
    private readonly names: string[],
    /** Document d's values are ids[offsets[d]] … ids[offsets[d + 1] − 1]. */
    private readonly offsets: Uint32Array,
    private readonly ids: Uint32Array,
  ) {}

  static of(docs: readonly PolicyDocument[], values: (d: PolicyDocument) => readonly (string | null)[]): FacetTable {
    const names: string[] = [];
    const number = new Map<string, number>();
    const offsets = new Uint32Array(docs.length + 1);
    const ids: number[] = [];
    docs.forEach((doc, d) => {
      offsets[d] = ids.length;
      for (const v of new Set(values(doc))) {
        if (!v) continue;
        let id = number.get(v);
        if (id === undefined) number.set(v, (id = names.push(v) - 1));
        ids.push(id);
      }
    });
    offsets[docs.length] = ids.length;
    return new FacetTable(names, offsets, Uint32Array.from(ids));
  }

  /** The `size` values with most matches, given the matches per document, as topFacet orders them. */
  top(perDoc: Uint32Array, size: number): FacetValue[] {
    const sums = new Float64Array(this.names.length);
    const { offsets, ids } = this;
    for (let d = 0; d < perDoc.length; d++) {
      const c = perDoc[d]!;
      if (c) for (let k = offsets[d]!; k < offsets[d + 1]!; k++) sums[ids[k]!]! += c;
    }
    const counts = new Map<string, number>();
    sums.forEach((c, id) => {
      if (c) counts.set(this.names[id]!, c);
    });
    return topFacet(counts, size);
  }
}

type UrlFilter = 'region' | 'year' | 'unit' | 'issuer' | 'docType' | 'validity' | 'date';
/** Facets counted per document (all but unit, which is per paragraph). */
type DocFacet = 'region' | 'year' | 'issuer' | 'docType' | 'validity';
const DOC_FACETS: readonly DocFacet[] = ['region', 'year', 'issuer', 'docType', 'validity'];

/** Every issuer of a document: the joint issuers, else the one. */
function issuersOf(doc: PolicyDocument): readonly string[] {
  return doc.meta.issuers ?? (doc.meta.issuer ? [doc.meta.issuer] : []);
}

/** The date a document is filed under: its 成文日期, else its 印发日期. */
export function documentDate(doc: PolicyDocument): string | null {
  return doc.meta.issuedDate ?? doc.meta.printedDate;
}

/**
 * One key per responsible unit, the same as the commitments page's (corpus/unit-aliases.ts): 各乡镇
 * （街道）, 各乡镇<街道> and 各乡镇街道 are one unit, and so are 县府办, 区政府办 and 区政府办公室.
 */
export function unitKey(name: string): string {
  return normalizeUnit(name).key;
}

export class SearchService implements SearchServiceApi {
  private readonly ranker: Ranker;
  private readonly byId = new Map<string, number>();
  /** Canonical unit keys of each paragraph (canonicalUnitKeys), for the unit filter and facet. */
  private readonly unitKeys: string[][];
  /** 1 for a paragraph with units (most have none: the facet loop skips them with one byte read). */
  private readonly hasUnits: Uint8Array;
  /** The paragraphs with responsible units, ascending. */
  private readonly unitParagraphs: Uint32Array;
  /** The canonical name of each unit key (政府办公室 for 县府办 and 区政府办公室), shown in the facet. */
  private readonly unitLabels = new Map<string, string>();
  /** Every canonical unit key of the corpus, so a unit filter knows a unit from a fragment. */
  private readonly knownUnits = new Set<string>();
  /** Each document's region, normalized, and the set of them (the region facet's values). */
  private readonly docRegion: Array<string | null>;
  private readonly docRegions = new Set<string>();
  /** Citations and repeals between documents, and each document's validity. */
  readonly relations: DocumentRelations;

  constructor(
    private readonly built: BuiltIndex,
    private readonly limits: Limits,
    private readonly manifest: IndexManifest | null = null,
  ) {
    this.ranker = new Ranker(built);
    built.docs.forEach((d, i) => this.byId.set(d.id, i));
    this.docRegion = built.docs.map((d) => (d.meta.region ? normalizeForMatch(d.meta.region) : null));
    for (const r of this.docRegion) if (r) this.docRegions.add(r);
    this.docFacetTables = {
      region: FacetTable.of(built.docs, (d) => [d.meta.region]),
      year: FacetTable.of(built.docs, (d) => [d.meta.year === null ? null : String(d.meta.year)]),
      issuer: FacetTable.of(built.docs, issuersOf),
      docType: FacetTable.of(built.docs, (d) => [d.meta.docType ?? null]),
    };
    this.relations = new DocumentRelations(built.docs, (d) => {
      const out = [];
      for (let n = built.docStart[d]!; n < built.docStart[d + 1]!; n++) if (built.kinds[n] === 'title') out.push(built.paragraph(n));
      return out;
    });
    // The commitments page's unit rule: a unit counts under its canonical key and under those of
    // its bracketed second names (县府办<县大数据局>).
    const byName = new Map<string, string[]>();
    const keysOf = (name: string): string[] => {
      let keys = byName.get(name);
      if (!keys) {
        const units = normalizeUnitAll(name);
        for (const u of units) this.unitLabels.set(u.key, u.label);
        byName.set(name, (keys = units.map((u) => u.key)));
      }
      return keys;
    };
    const none: string[] = [];
    this.unitKeys = built.units.map((u) => (u.length ? [...new Set(u.flatMap(keysOf))] : none));
    this.hasUnits = Uint8Array.from(this.unitKeys, (k) => (k.length ? 1 : 0));
    this.unitParagraphs = Uint32Array.from(this.unitKeys.flatMap((k, n) => (k.length ? [n] : [])));
    for (const key of this.unitLabels.keys()) this.knownUnits.add(key);
  }

  private docFactsOf(n: number) {
    return this.ranker.docFacts(this.built.refs[n]!.doc);
  }

  /** Field filters written in the query (地区: 年份: 单位: 标题: 文号:), as one predicate. */
  private queryFilter(filters: QueryTerm[]): (n: number) => boolean {
    if (!filters.length) return ALLOW_ALL;
    const checks = filters.map((t) => this.fieldCheck(t.field!, t.norm));
    return (n) => checks.every((c) => c(n));
  }

  private fieldCheck(field: QueryField, norm: string): (n: number) => boolean {
    switch (field) {
      case 'region':
        return (n) => this.docFactsOf(n).regionNames.some((name) => name === norm || name.startsWith(norm));
      case 'year': {
        const y = norm.replace(/年$/u, '');
        return (n) => this.docFactsOf(n).year === y;
      }
      case 'unit': {
        const matches = unitFilter(norm, this.knownUnits);
        return (n) => matches(this.unitKeys[n]!);
      }
      case 'title':
        return (n) => this.docFactsOf(n).title.includes(norm);
      case 'docNumber':
        return (n) => this.docFactsOf(n).docNumber === norm;
    }
  }

  /**
   * The URL filters that are set, each as a predicate on paragraph numbers. Document-level filters
   * are decided once per document (a mask), so a predicate is one array read.
   *
   * `region` is the facet's value: documents whose most local division is that region. A name
   * that is no document's region (上海, a fragment typed into the API) matches as the query's
   * 地区: field does, on region, city or province.
   */
  private urlFilters(req: SearchRequest): Array<[UrlFilter, (n: number) => boolean]> {
    const out: Array<[UrlFilter, (n: number) => boolean]> = [];
    const docs = this.built.docs;
    const docOf = this.ranker.docOf;
    const byDoc = (name: UrlFilter, keep: (d: number) => boolean) => {
      const mask = new Uint8Array(docs.length);
      for (let d = 0; d < docs.length; d++) mask[d] = keep(d) ? 1 : 0;
      out.push([name, (n) => mask[docOf[n]!] === 1]);
    };
    if (req.region) {
      const norm = normalizeForMatch(req.region);
      if (this.docRegions.has(norm)) byDoc('region', (d) => this.docRegion[d] === norm);
      else out.push(['region', this.fieldCheck('region', norm)]);
    }
    if (req.year !== undefined) out.push(['year', this.fieldCheck('year', String(req.year))]);
    if (req.unit) out.push(['unit', this.fieldCheck('unit', normalizeForMatch(req.unit))]);
    if (req.issuer) {
      const norm = normalizeForMatch(req.issuer);
      byDoc('issuer', (d) => issuersOf(docs[d]!).some((i) => normalizeForMatch(i) === norm));
    }
    if (req.docType) byDoc('docType', (d) => docs[d]!.meta.docType === req.docType);
    if (req.validity) {
      const states = this.relations.states(req.today ?? localToday());
      byDoc('validity', (d) => states[d] === req.validity);
    }
    if (req.from !== undefined || req.to !== undefined) {
      const { from, to } = req;
      byDoc('date', (d) => {
        const date = documentDate(docs[d]!);
        return date !== null && (from === undefined || date >= from) && (to === undefined || date <= to);
      });
    }
    return out;
  }

  private paragraphOf(n: number) {
    const doc = this.built.docs[this.built.refs[n]!.doc]!;
    return { doc, p: this.built.paragraph(n) };
  }

  private toHit(s: ScoredParagraph, needles: string[][][], missing: string[], states: readonly ValidityState[]): Hit {
    const { doc, p } = this.paragraphOf(s.n);
    return {
      id: p.id,
      docId: doc.id,
      text: p.text,
      highlights: highlightSpans(p.text, needles),
      section: p.section,
      label: p.label,
      citation: renderCitation(doc, p).text,
      url: paragraphUrl(doc.id, p.id),
      score: Math.round(s.score * 1000) / 1000,
      doc: { ...hitDocSummary(doc), validity: states[this.ranker.docOf[s.n]!]! },
      missing,
    };
  }

  /**
   * Facet counts over the query's matches. Each facet counts the matches passing every URL filter
   * except its own, so the other choices stay visible. Counting is by integers per document and
   * per paragraph, without allocating per match.
   */
  private facets(base: RankedList, filters: Array<[UrlFilter, (n: number) => boolean]>, today: string): SearchFacets {
    const docs = this.built.docs;
    const docOf = this.ranker.docOf;
    const units = new Map<string, number>();
    const countUnits = (n: number) => {
      for (const u of this.unitKeys[n]!) units.set(u, (units.get(u) ?? 0) + 1);
    };
    // Matches per document, one array per document facet (shared when no filter is set).
    const perDoc = {} as Record<DocFacet, Uint32Array>;
    if (filters.length === 0) {
      const all = new Uint32Array(docs.length);
      const { hasUnits } = this;
      const ns = base.n;
      if (base.ascending) {
        // Matches in paragraph order: a document's are one run, measured by a galloping search
        // for the next document's first paragraph; paragraphs with units are few, found the same way.
        const list = ns.subarray(0, base.length);
        const starts = this.built.docStart;
        for (let a = 0; a < list.length; ) {
          const d = docOf[list[a]!]!;
          const b = firstAtLeast(list, a, starts[d + 1]!);
          all[d] = b - a;
          a = b;
        }
        const withUnits = intersectAscending(list, this.unitParagraphs);
        for (let i = 0; i < withUnits.length; i++) countUnits(withUnits[i]!);
      } else {
        for (let i = 0; i < base.length; i++) {
          const n = ns[i]!;
          all[docOf[n]!]!++;
          if (hasUnits[n]) countUnits(n);
        }
      }
      for (const f of DOC_FACETS) perDoc[f] = all;
    } else {
      for (const f of DOC_FACETS) perDoc[f] = new Uint32Array(docs.length);
      const failed = new Array<UrlFilter | null>(filters.length);
      for (let i = 0; i < base.length; i++) {
        const n = base.n[i]!;
        // The filters a match fails: none → it counts everywhere; one → only in that facet.
        let fails = 0;
        let only: UrlFilter | null = null;
        for (let k = 0; k < filters.length && fails < 2; k++) {
          if (!filters[k]![1](n)) {
            failed[fails++] = filters[k]![0];
            only = filters[k]![0];
          }
        }
        if (fails >= 2) continue;
        const d = docOf[n]!;
        for (const f of DOC_FACETS) if (fails === 0 || only === f) perDoc[f][d]!++;
        if ((fails === 0 || only === 'unit') && this.hasUnits[n]) countUnits(n);
      }
    }
    const states = this.relations.states(today);
    const validity = new Map<string, number>();
    perDoc.validity.forEach((c, d) => {
      if (c) validity.set(states[d]!, (validity.get(states[d]!) ?? 0) + c);
    });
    return {
      region: this.docFacetTables.region.top(perDoc.region, FACET_SIZE.region),
      year: this.docFacetTables.year.top(perDoc.year, FACET_SIZE.year),
      unit: topFacet(this.unitFacetCounts(units), FACET_SIZE.unit),
      issuer: this.docFacetTables.issuer.top(perDoc.issuer, FACET_SIZE.issuer),
      docType: this.docFacetTables.docType.top(perDoc.docType, FACET_SIZE.docType),
      validity: topFacet(validity, FACET_SIZE.validity).map((v) => ({ ...v, label: VALIDITY_LABELS[v.value as ValidityState] })),
    };
  }

  /** The values of the document facets that do not change with the day, as tables (FacetTable). */
  private readonly docFacetTables: Record<'region' | 'year' | 'issuer' | 'docType', FacetTable>;

  /** Unit counts by key → by canonical name, one facet value per unit (counts summed should two keys share a name). */
  private unitFacetCounts(byKey: ReadonlyMap<string, number>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [key, c] of byKey) {
      const label = this.unitLabels.get(key) ?? key;
      out.set(label, (out.get(label) ?? 0) + c);
    }
    return out;
  }

  /** Other queries worth offering when nothing was found: unquoted, fewer terms, no exclusions. */
  private suggestions(q: ParsedQuery): string[] {
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
      if (this.ranker.rank(v, this.queryFilter(v.filters), 0).length > 0) out.push(text);
      if (out.length >= 5) break;
    }
    return out;
  }

  /**
   * Responses to recent requests, least recently used first. An index never changes once
   * loaded (a re-index makes a new service), so an entry stays valid for the service's life.
   */
  private readonly resultCache = new Map<string, SearchResponse>();

  /** Prepares the ranker's lazily built tables before the first request (see Ranker.warm). */
  warm(): void {
    this.ranker.warm();
  }

  search(req: SearchRequest): SearchResponse {
    const started = performance.now();
    if (req.q.length > this.limits.maxQueryLength) {
      throw new AppError('E_QUERY_TOO_LONG', `最多 ${this.limits.maxQueryLength} 个字符。`);
    }
    const cacheSize = this.limits.resultCacheSize ?? 0;
    const today = req.today ?? localToday();
    const key =
      cacheSize > 0
        ? JSON.stringify([req.q, req.region, req.year, req.unit, req.issuer, req.docType, req.from, req.to, req.validity, today, req.sort, req.offset, req.limit])
        : '';
    const cached = cacheSize > 0 ? this.resultCache.get(key) : undefined;
    if (cached) {
      this.resultCache.delete(key);
      this.resultCache.set(key, cached);
      return { ...cached, tookMs: Math.round((performance.now() - started) * 100) / 100 };
    }
    const response = this.searchUncached({ ...req, today }, started);
    if (cacheSize > 0) {
      if (this.resultCache.size >= cacheSize) this.resultCache.delete(this.resultCache.keys().next().value!);
      this.resultCache.set(key, response);
    }
    return response;
  }

  private searchUncached(req: SearchRequest, started: number): SearchResponse {
    const q = parseQuery(req.q, this.limits.maxQueryTerms);
    // Rank once with the query's own filters; URL filters narrow the list and shape the facets.
    const filters = this.urlFilters(req);
    const byDate = req.sort === 'date';
    // Without URL filters or date order, only the matches that can reach this page (after
    // diversification) need scores.
    const need = filters.length === 0 && !byDate ? Math.max(POOL, req.offset + req.limit + DIVERSIFIED) : Infinity;
    const base = this.ranker.rank(q, this.queryFilter(q.filters), need);
    const named = this.ranker.namedDocuments(q);
    // Slots of `base` passing the URL filters (null: every slot); a document named by its 文号
    // once (its best paragraph).
    let all: Uint32Array | null = null;
    if (filters.length > 0 || named.size > 0) {
      const kept = new Uint32Array(base.length);
      let count = 0;
      const namedBest = new Map<number, number>();
      const docOf = this.ranker.docOf;
      for (let i = 0; i < base.length; i++) {
        const n = base.n[i]!;
        if (filters.length && !filters.every(([, ok]) => ok(n))) continue;
        const d = docOf[n]!;
        if (named.has(d)) {
          const prev = namedBest.get(d);
          if (prev === undefined || base.compare(i, prev) < 0) namedBest.set(d, i);
          continue;
        }
        kept[count++] = i;
      }
      for (const i of namedBest.values()) kept[count++] = i;
      all = kept.subarray(0, count);
    }
    const total = all ? all.length : base.length;
    const compare = byDate
      ? (i: number, j: number) => this.docFactsOf(base.n[j]!).date.localeCompare(this.docFactsOf(base.n[i]!).date) || base.compare(i, j)
      : (i: number, j: number) => base.compare(i, j);
    // When every slot is kept, the ranker may say which can make the first `need` (the rest were not scored).
    let ordered = byDate
      ? topK(all ?? Uint32Array.from({ length: base.length }, (_, i) => i), req.offset + req.limit, compare)
      : base.best(all ?? base.bestAmong, Math.max(POOL, req.offset + req.limit + DIVERSIFIED));
    if (!byDate) {
      ordered = diversify(ordered, {
        compare,
        tier: (i) => base.tier[i]!,
        exact: (i) => base.exact[i]!,
        score: (i) => base.score[i]!,
        doc: (i) => this.ranker.documentOf(base.n[i]!),
        unit: (i) => this.ranker.unitOf(base.n[i]!),
      }, q.question ? QUESTION_DIVERSITY : KEYWORD_DIVERSITY);
    }
    const page = ordered.slice(req.offset, req.offset + req.limit);
    const needles = this.ranker.highlightGroups(q);
    const today = req.today ?? localToday();
    const states = this.relations.states(today);
    const slotNames = base.slotNames;
    const missing = (i: number) => slotNames.filter((_, b) => (base.slots[i]! & ((1 << b) >>> 0)) === 0);
    const response: SearchResponse = {
      query: req.q,
      total,
      tookMs: 0,
      hits: page.map((i) => this.toHit(base.at(i), needles, base.partial || q.question !== null ? missing(i) : [], states)),
      facets: this.facets(base, filters, today),
      suggestions: total === 0 ? this.suggestions(q) : [],
      mode: q.question ? 'question' : 'keywords',
      question: q.question ? { terms: [...q.question.terms], dropped: [...new Set(q.question.dropped)], expanded: q.question.expanded.map((e) => ({ term: e.term, also: [...e.also] })) } : null,
      partial: base.partial && total > 0,
    };
    response.tookMs = Math.round((performance.now() - started) * 100) / 100;
    return response;
  }

  // --- parallel clauses and comparison ---
  /** The parallel-clause finder, made on the first request; it memoizes paragraph features. */
  private clauseSimilarity: ClauseSimilarity | null = null;

  /** The paragraph number of `${docId}-p${index}`; E_PARAGRAPH_NOT_FOUND when there is none. */
  private paragraphNumber(id: string): number {
    const m = /^(.+)-p(\d{1,9})$/u.exec(id);
    const d = m ? this.byId.get(m[1]!) : undefined;
    if (m && d !== undefined) {
      const n = this.built.docStart[d]! + Number(m[2]);
      if (n < this.built.docStart[d + 1]!) return n;
    }
    throw new AppError('E_PARAGRAPH_NOT_FOUND');
  }

  private clauseRef(n: number): ClauseRef {
    const { doc, p } = this.paragraphOf(n);
    return {
      id: p.id,
      docId: doc.id,
      text: p.text,
      kind: p.kind,
      label: p.label,
      section: p.section,
      citation: renderCitation(doc, p).text,
      url: paragraphUrl(doc.id, p.id),
      doc: hitDocSummary(doc),
    };
  }

  similar(paragraphId: string, limit = DEFAULT_SIMILAR_LIMIT): SimilarResponse {
    const n = this.paragraphNumber(paragraphId);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SIMILAR_LIMIT) {
      throw new AppError('E_LIMIT_RANGE', `条数应为 1–${MAX_SIMILAR_LIMIT} 之间的整数。`);
    }
    this.clauseSimilarity ??= new ClauseSimilarity(this.built);
    const hits = this.clauseSimilarity.similarTo(n, limit).map((match): SimilarHit => {
      const { id, docId, text, citation, url, doc } = this.clauseRef(match.n);
      return { id, docId, text, score: Math.round(match.score * 1000) / 1000, sharedTerms: match.sharedTerms, citation, url, doc };
    });
    return { paragraph: this.clauseRef(n), hits };
  }

  compare(a: string, b: string): ClauseComparison {
    const left = this.clauseRef(this.paragraphNumber(a));
    const right = this.clauseRef(this.paragraphNumber(b));
    return { a: left, b: right, ...diffClauses(left.text, right.text) };
  }

  /** The corpus' documents, made once: the index never changes for a service's life. Read-only. */
  private docList: DocListItem[] | null = null;

  listDocs(): DocListItem[] {
    const { docStart } = this.built;
    return (this.docList ??= this.built.docs.map((d, i) => docListItem(d, docStart[i + 1]! - docStart[i]!)));
  }

  /** Recently requested documents, least recently used first (a law can have 2,000 paragraphs). */
  private readonly docCache = new Map<number, Omit<DocDetail, 'validity'>>();

  getDoc(id: string, today = localToday()): DocDetail {
    const i = this.byId.get(id);
    if (i === undefined) throw new AppError('E_DOC_NOT_FOUND');
    const validity = this.relations.validity(i, today);
    return {
      ...this.docDetail(i),
      validity: { ...validity, repealedBy: validity.repealedBy && this.relatedDoc(validity.repealedBy.doc, validity.repealedBy.doc, validity.repealedBy.para, validity.repealedBy.cue), asOf: today },
    };
  }

  /** Document `other` as linked from a mention in paragraph `para` of document `at`. */
  private relatedDoc(other: number, at: number, para: number, cue: string | null): RelatedDoc {
    const o = this.built.docs[other]!;
    const host = this.built.docs[at]!;
    const p = host.paragraphs[para];
    return {
      id: o.id,
      title: o.meta.title,
      docNumber: o.meta.docNumber,
      issuedDate: o.meta.issuedDate,
      url: p ? paragraphUrl(host.id, p.id) : `/docs/${encodeURIComponent(host.id)}`,
      cue,
    };
  }

  /** Everything of a document's page that does not depend on the day (cached). */
  private docDetail(i: number): Omit<DocDetail, 'validity'> {
    let detail = this.docCache.get(i);
    if (detail) {
      this.docCache.delete(i);
    } else {
      const doc = this.built.docs[i]!;
      detail = {
        ...docListItem(doc, doc.paragraphs.length),
        meta: doc.meta,
        encoding: doc.encoding,
        paragraphs: doc.paragraphs.map((p) => ({ ...p, url: paragraphUrl(doc.id, p.id), citation: renderCitation(doc, p).text })),
        outline: buildOutline(doc.paragraphs),
        cites: this.firstPerDoc(this.relations.cites[i]!).map((l) => this.relatedDoc(l.doc, i, l.para, l.cue)),
        citedBy: this.relations.citedBy[i]!.map((l) => this.relatedDoc(l.doc, l.doc, l.para, l.cue)),
        repeals: this.relations.repealsOf(i).map((l) => this.relatedDoc(l.doc, i, l.para, l.cue)),
        citesElsewhere: this.citesElsewhere(i),
      };
      if (this.docCache.size >= DOC_CACHE_SIZE) this.docCache.delete(this.docCache.keys().next().value!);
    }
    this.docCache.set(i, detail);
    return detail;
  }

  /** The first link to each document, in text order. */
  private firstPerDoc(links: readonly DocLink[]): DocLink[] {
    const seen = new Set<number>();
    return links.filter((l) => !seen.has(l.doc) && (seen.add(l.doc), true));
  }

  /** Mentions of documents outside the corpus, one per title or 文号, in text order. */
  private citesElsewhere(i: number): UnresolvedCitation[] {
    const doc = this.built.docs[i]!;
    const seen = new Set<string>();
    const out: UnresolvedCitation[] = [];
    for (const r of this.relations.unresolved[i]!) {
      const key = r.docNumber ?? normalizeForMatch(r.title ?? '');
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const p = doc.paragraphs[r.para];
      out.push({ title: r.title, docNumber: r.docNumber, url: p ? paragraphUrl(doc.id, p.id) : `/docs/${encodeURIComponent(doc.id)}` });
    }
    return out;
  }

  // --- commitments ---
  /** Every commitment of the corpus, built on the first request (it reads every paragraph). */
  private commitmentRecords: CommitmentRecord[] | null = null;

  commitments(filter: CommitmentFilter): CommitmentsResponse {
    this.commitmentRecords ??= extractCommitments(this.built.docs);
    return queryCommitments(this.commitmentRecords, filter);
  }

  stats(): ServiceStats {
    return {
      documents: this.built.docs.length,
      paragraphs: this.built.refs.length,
      builtAt: this.manifest?.builtAt ?? '',
      skipped: this.manifest?.skipped ?? [],
      warnings: this.manifest?.warnings ?? [],
    };
  }
}

export interface OpenServiceOptions extends Omit<EnsureIndexOptions, 'maxFileBytes'> {
  limits: Limits;
}

/** Builds the index if it is missing or stale, loads it and returns the service. */
export async function openSearchService(opts: OpenServiceOptions): Promise<SearchService> {
  const { built, manifest } = await ensureIndex({ ...opts, maxFileBytes: opts.limits.maxFileBytes });
  // Load jieba's dictionary now (≈1.5 s) rather than during the first user's query.
  wordsOfNormalized('政务公开');
  const service = new SearchService(built, opts.limits, manifest);
  service.warm();
  return service;
}
