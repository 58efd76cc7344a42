/**
 * The PostgreSQL search backend: the SearchServiceApi served from a database that any number of
 * stateless servers share.
 *
 * A server holds no index of its own: it resolves `current_generation` (at most every `pollMs`),
 * keeps the small per-generation tables of that generation in memory (generation.ts: document
 * metadata, per-paragraph kinds, parents, word counts, units; replaced when the pointer moves),
 * and fetches per request what the request touches (fetch.ts). Search, document pages and clause
 * comparison run the embedded engine's own SearchService over that data (see generation.ts for how),
 * so their answers are the embedded engine's. Commitments are read from the records the writer
 * extracted; parallel clauses (`similar`) load the whole generation into memory on first use
 * (full.ts; a per-query form is phase 2).
 */
import { performance } from 'node:perf_hooks';
import { subWords, wordsOfNormalized } from '../../analysis/analyzer.js';
import type { Limits } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import type { ClauseComparison, CommitmentFilter, CommitmentsResponse, SearchRequest, SearchResponse, SimilarResponse } from '../../domain/types.js';
import type { DocDetail, DocListItem, ServiceStats } from '../../search/api.js';
import { queryCommitments, type CommitmentRecord } from '../../search/commitments.js';
import { parseQuery } from '../../search/query.js';
import { localToday } from '../../search/relations.js';
import type { IndexSnapshot, IndexStatusSource, ReloadAttempt } from '../../search/reloader.js';
import { SearchService } from '../../search/service.js';
import type { SearchBackend } from '../backend.js';
import type { Db } from './db.js';
import { fetchDocuments, fetchMisses, fetchParagraphs, fetchTerms, fetchWords } from './fetch.js';
import { loadFullIndex } from './full.js';
import { PgGeneration, QueryScope, StaleGenerationError } from './generation.js';
import { schemaVersion, SCHEMA_VERSION } from './migrations.js';

export interface PostgresBackendOptions {
  db: Db;
  limits: Limits;
  /** How often `current_generation` is re-read, in ms (default 1000; 0: on every request). */
  pollMs?: number;
  /** Close `db` on close() (default true). */
  ownsDb?: boolean;
}

/** Runs of one request before giving up (each run fetches what the previous one missed). */
const MAX_ROUNDS = 8;

/** What /readyz shows about the generation being served. */
export interface GenerationInfo {
  generation: number;
  builtAt: string;
  corpusChecksum: string;
  documents: number;
  paragraphs: number;
}

export class PostgresSearchBackend implements SearchBackend, IndexStatusSource {
  private readonly db: Db;
  private readonly limits: Limits;
  private readonly pollMs: number;
  private gen: PgGeneration | null = null;
  private loadedAt = '';
  private lastSwitch: ReloadAttempt | null = null;
  private checkedAt = -Infinity;
  private resolving: Promise<PgGeneration> | null = null;
  /** Per generation, made on first use: commitment records, and the in-memory index for `similar`. */
  private commitmentRecords = new Map<number, Promise<CommitmentRecord[]>>();
  private fullServices = new Map<number, Promise<SearchService>>();
  /** Final responses (never a run with misses), least recently used first; keyed by generation. */
  private readonly resultCache = new Map<string, SearchResponse>();

  constructor(private readonly opts: PostgresBackendOptions) {
    this.db = opts.db;
    this.limits = opts.limits;
    this.pollMs = opts.pollMs ?? 1000;
  }

  /** Checks the schema and loads the current generation (E_INDEX_MISSING when there is none yet). */
  static async open(opts: PostgresBackendOptions): Promise<PostgresSearchBackend> {
    const version = await schemaVersion(opts.db);
    if (version !== SCHEMA_VERSION) {
      throw new AppError('E_INDEX_MISSING', version === 0 ? '数据库中没有索引：请先运行 SEARCH_BACKEND=postgres npm run index。' : `数据库结构版本 ${version}，程序需要 ${SCHEMA_VERSION}：请先运行 npm run index。`);
    }
    const backend = new PostgresSearchBackend(opts);
    await backend.current();
    return backend;
  }

  /** The generation `current_generation` names (re-read at most every pollMs), loaded. */
  async current(): Promise<PgGeneration> {
    if (this.gen && performance.now() - this.checkedAt < this.pollMs) return this.gen;
    if (this.resolving) return this.resolving;
    this.resolving = (async () => {
      try {
        const { rows } = await this.db.query<{ generation: number }>('SELECT generation FROM current_generation');
        const id = rows[0] ? Number(rows[0].generation) : null;
        if (id === null) throw new AppError('E_INDEX_MISSING', '数据库中没有索引：请先运行 SEARCH_BACKEND=postgres npm run index。');
        if (!this.gen || this.gen.id !== id) {
          const next = await PgGeneration.load(this.db, id, this.limits);
          const old = this.gen?.id;
          this.gen = next;
          this.loadedAt = new Date().toISOString();
          this.lastSwitch = {
            trigger: old === undefined ? 'start' : 'pointer',
            kind: 'reload',
            startedAt: this.loadedAt,
            finishedAt: this.loadedAt,
            ok: true,
            message: `generation ${id} of the database`,
            code: null,
            generation: `pg-${id}`,
          };
          this.resultCache.clear();
          if (old !== undefined) {
            this.commitmentRecords.delete(old);
            this.fullServices.delete(old);
          }
        }
        this.checkedAt = performance.now();
        return this.gen;
      } finally {
        this.resolving = null;
      }
    })();
    return this.resolving;
  }

  /** The generation being served (after the first request or open()). */
  async generationInfo(): Promise<GenerationInfo> {
    const gen = await this.current();
    const builtAt = gen.row.built_at instanceof Date ? gen.row.built_at.toISOString() : String(gen.row.built_at);
    return { generation: gen.id, builtAt, corpusChecksum: gen.row.corpus_checksum, documents: gen.row.documents, paragraphs: gen.row.paragraphs };
  }

  /**
   * IndexStatusSource (/readyz, /status): the generation served, as the embedded reloader reports
   * its own (synchronous: the generation last resolved; null before the first).
   */
  snapshot(): IndexSnapshot | null {
    const gen = this.gen;
    if (!gen) return null;
    return { generation: `pg-${gen.id}`, manifest: gen.row.manifest, corpusChecksum: gen.row.corpus_checksum, loadedAt: this.loadedAt };
  }

  lastReload(): ReloadAttempt | null {
    return this.lastSwitch;
  }

  /**
   * Runs `fn` against the current generation: prefetch, then run, fetch what the run missed, run
   * again, until a run misses nothing (its result read only real data). A generation deleted
   * meanwhile (StaleGenerationError) makes it start over on the current one.
   */
  private async execute<T>(prefetch: (gen: PgGeneration, scope: QueryScope) => Promise<void>, fn: (gen: PgGeneration) => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const gen = await this.current();
      const scope = new QueryScope();
      try {
        await prefetch(gen, scope);
        for (let round = 0; round < MAX_ROUNDS; round++) {
          const out = gen.run(scope, () => fn(gen));
          if (!scope.missed) {
            if ('error' in out) throw out.error;
            return out.value as T;
          }
          await fetchMisses(this.db, gen.id, scope, gen.docStart);
        }
        throw new Error(`postgres backend: request still missing data after ${MAX_ROUNDS} runs`);
      } catch (e) {
        if (e instanceof StaleGenerationError && attempt < 2) {
          this.checkedAt = -Infinity;
          continue;
        }
        throw e;
      }
    }
  }

  /** The terms and words a query's ranking will look up (query.ts, engine.ts planTerm): fetched before the first run. */
  private async prefetchQuery(gen: PgGeneration, scope: QueryScope, q: string): Promise<void> {
    let parsed;
    try {
      parsed = parseQuery(q, this.limits.maxQueryTerms);
    } catch {
      return; // the run throws the same error
    }
    const terms = new Set<string>();
    const words = new Set<string>();
    const question = parsed.question !== null || parsed.optional.length > 0;
    const add = (norm: string, phrase: boolean) => {
      if (!norm) return;
      terms.add(norm);
      let list = phrase ? [norm] : [...new Set(wordsOfNormalized(norm).map((w) => w.text))];
      if (!phrase && !question && list.length === 1) list = [...list, ...subWords(list[0]!)];
      for (const w of list) {
        words.add(w);
        terms.add(w);
      }
      words.add(norm);
    };
    for (const t of [...parsed.clauses.flat(), ...parsed.optional]) {
      if (t.field) continue;
      add(t.norm, t.phrase);
      for (const alt of t.alternatives ?? []) add(alt, false);
    }
    await Promise.all([fetchTerms(this.db, gen.id, scope, terms), fetchWords(this.db, gen.id, scope, words)]);
  }

  async search(req: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const cacheSize = this.limits.resultCacheSize ?? 0;
    const gen = await this.current();
    const today = req.today ?? localToday();
    const key = cacheSize > 0 ? JSON.stringify([gen.id, req.q, req.region, req.year, req.unit, req.issuer, req.docType, req.from, req.to, req.validity, today, req.sort, req.offset, req.limit]) : '';
    const cached = cacheSize > 0 ? this.resultCache.get(key) : undefined;
    let response: SearchResponse;
    if (cached) {
      this.resultCache.delete(key);
      response = cached;
    } else {
      response = await this.execute(
        (g, scope) => this.prefetchQuery(g, scope, req.q),
        (g) => g.service.search({ ...req, today }),
      );
      if (cacheSize > 0) {
        if (this.resultCache.size >= cacheSize) this.resultCache.delete(this.resultCache.keys().next().value!);
      }
    }
    if (cacheSize > 0) this.resultCache.set(key, response);
    return { ...response, tookMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  async listDocs(): Promise<DocListItem[]> {
    const gen = await this.current();
    return gen.service.listDocs();
  }

  async getDoc(id: string, today = localToday()): Promise<DocDetail> {
    return this.execute(
      async (gen, scope) => {
        const d = gen.docs.findIndex((doc) => doc.id === id);
        if (d < 0) return; // the run throws E_DOC_NOT_FOUND
        // The document, and the paragraphs of other documents its page links from (citedBy, repealedBy).
        const rel = gen.service.relations;
        const ns = new Set<number>();
        for (const l of rel.citedBy[d] ?? []) ns.add(gen.docStart[l.doc]! + l.para);
        const by = rel.validity(d, today).repealedBy;
        if (by) ns.add(gen.docStart[by.doc]! + by.para);
        const inRange = [...ns].filter((n) => n < gen.refs.length && gen.refs[n]!.doc !== d);
        await Promise.all([fetchDocuments(this.db, gen.id, scope, [d], gen.docStart), fetchParagraphs(this.db, gen.id, scope, inRange)]);
      },
      (gen) => gen.service.getDoc(id, today),
    );
  }

  /** Paragraph numbers of `${docId}-p${index}` ids (for prefetching; unknown ids are left to the run). */
  private paragraphNumbers(gen: PgGeneration, ids: string[]): number[] {
    const out: number[] = [];
    for (const id of ids) {
      const m = /^(.+)-p(\d{1,9})$/u.exec(id);
      if (!m) continue;
      const d = gen.docs.findIndex((doc) => doc.id === m[1]);
      if (d < 0) continue;
      const n = gen.docStart[d]! + Number(m[2]);
      if (n < gen.docStart[d + 1]!) out.push(n);
    }
    return out;
  }

  async compare(a: string, b: string): Promise<ClauseComparison> {
    return this.execute(
      (gen, scope) => fetchParagraphs(this.db, gen.id, scope, this.paragraphNumbers(gen, [a, b])),
      (gen) => gen.service.compare(a, b),
    );
  }

  /**
   * Parallel clauses: answered by an embedded SearchService over the whole generation, loaded from
   * the database on first use and kept for the generation's life (phase 1; see full.ts).
   */
  async similar(paragraphId: string, limit?: number): Promise<SimilarResponse> {
    const gen = await this.current();
    let service = this.fullServices.get(gen.id);
    if (!service) {
      service = loadFullIndex(this.db, gen).then((built) => new SearchService(built, { ...this.limits, resultCacheSize: 0 }, gen.row.manifest));
      service.catch(() => this.fullServices.delete(gen.id));
      this.fullServices.set(gen.id, service);
    }
    return (await service).similar(paragraphId, limit);
  }

  async commitments(filter: CommitmentFilter): Promise<CommitmentsResponse> {
    const gen = await this.current();
    let records = this.commitmentRecords.get(gen.id);
    if (!records) {
      records = this.db
        .query<{ record: CommitmentRecord }>('SELECT record FROM commitments WHERE generation = $1 ORDER BY i', [gen.id])
        .then(({ rows }) => rows.map((r) => r.record));
      records.catch(() => this.commitmentRecords.delete(gen.id));
      this.commitmentRecords.set(gen.id, records);
    }
    return queryCommitments(await records, filter);
  }

  async stats(): Promise<ServiceStats> {
    const gen = await this.current();
    return gen.service.stats();
  }

  async close(): Promise<void> {
    if (this.opts.ownsDb !== false) await this.db.close();
  }
}
