/**
 * One index generation as a PostgreSQL-backed server sees it.
 *
 * What a server keeps in memory, per generation (immutable once written, so cached by generation
 * id and replaced when `current_generation` changes): the documents' metadata, and per paragraph
 * its kind, parent, word count, units, title paragraphs and the 《…》 spans of its text — about
 * what the embedded engine's `paragraph-kinds.bin`, `paragraph-parents.bin`, `word-counts.bin`
 * and `docs.json` hold, a few tens of bytes per paragraph. The large data — texts, normalized
 * texts, gram and word postings — stays in the database and is fetched per query.
 *
 * How the embedded engine's exact semantics are kept: the *same* SearchService and Ranker run,
 * over a BuiltIndex-shaped view whose ParagraphIndex (ScopedParagraphIndex) answers from a
 * per-request QueryScope filled from the database. Ranking is synchronous and reads data it
 * cannot announce in advance (the texts of the paragraphs it decides to score, the paragraphs
 * of the page it picks), so a request runs optimistically: every read the scope cannot answer is
 * recorded as a miss and answered with a placeholder, the misses are fetched, and the request
 * runs again; the run that records no miss read only real data and is the answer. (Typically
 * three runs: terms were prefetched; the texts of scored paragraphs; the page's paragraphs.)
 * Node runs one synchronous run at a time, so installing the scope on the shared view for the
 * duration of a run is safe under concurrent requests.
 */
import type { Paragraph, ParagraphKind, PolicyDocument } from '../../domain/types.js';
import { paragraphRefs, type BuiltIndex, type ParagraphRef } from '../../indexing/build.js';
import { GramPostings, intersectAscending } from '../../indexing/gram-postings.js';
import { newWordIndex, ParagraphIndex } from '../../indexing/paragraph-index.js';
import type { IndexManifest } from '../../indexing/store.js';
import type { Limits } from '../../config.js';
import { SearchService } from '../../search/service.js';
import type { DbQuery } from './db.js';
import type { StoredDocument } from './writer.js';

/** Thrown by a read the scope cannot answer where a placeholder could be cached (document pages). */
export class MissError extends Error {
  constructor() {
    super('data not fetched yet');
  }
}

/** The generation a server was reading has been deleted (two re-indexes since it resolved it). */
export class StaleGenerationError extends Error {
  constructor(readonly generation: number) {
    super(`generation ${generation} is no longer in the database`);
  }
}

export interface TermAnswer {
  list: Uint32Array;
  tfs: Uint8Array | null;
}

/** Data fetched for one request, and what the last run read without it. */
export class QueryScope {
  readonly terms = new Map<string, TermAnswer>();
  readonly words = new Map<string, Uint32Array>();
  readonly texts = new Map<number, string>();
  readonly paragraphs = new Map<number, Paragraph>();
  readonly docParagraphs = new Map<number, Paragraph[]>();
  readonly missTerms = new Set<string>();
  readonly missWords = new Set<string>();
  readonly missTexts = new Set<number>();
  readonly missParagraphs = new Set<number>();
  readonly missDocs = new Set<number>();

  get missed(): boolean {
    return this.missTerms.size + this.missWords.size + this.missTexts.size + this.missParagraphs.size + this.missDocs.size > 0;
  }
}

const EMPTY_LIST = new Uint32Array(0);
const EMPTY_GRAMS = new GramPostings(new Float64Array(0), new Uint32Array(1), new Uint32Array(0), new Uint8Array(0));

/**
 * A ParagraphIndex whose answers come from the current QueryScope: exact lookups
 * (containingList/containingCounts/termFrequencies) and word postings as computed by the
 * database (see fetch.ts), normalized texts of the paragraphs fetched. Its word counts (BM25
 * lengths and their average) are the real, whole-corpus ones.
 */
export class ScopedParagraphIndex extends ParagraphIndex {
  scope: QueryScope | null = null;
  /**
   * 'cites' while the ranker builds its tables (Ranker.warm): the texts then read are only
   * scanned for 《title》 citations (engine.ts citedBy), so each paragraph's 《…》 spans, kept in
   * memory, stand in for its text and give the same counts.
   */
  mode: 'query' | 'cites' = 'query';

  constructor(
    private readonly count: number,
    wordCounts: Uint32Array,
    private readonly citeSpans: ReadonlyMap<number, string>,
  ) {
    const texts: string[] = [];
    let self: ScopedParagraphIndex | null = null;
    const normalized = new Proxy(texts, {
      get(target, prop, receiver) {
        if (typeof prop === 'string') {
          const c = prop.charCodeAt(0);
          if (c >= 48 && c <= 57) return self!.text(Number(prop));
          if (prop === 'length') return count;
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    super(EMPTY_GRAMS, newWordIndex(), normalized, wordCounts);
    self = this;
  }

  override get size(): number {
    return this.count;
  }

  private need(): QueryScope {
    if (!this.scope) throw new Error('postgres backend: index read outside a request');
    return this.scope;
  }

  /** Normalized text of paragraph n (a placeholder '' and a recorded miss when not fetched). */
  text(n: number): string | undefined {
    if (n < 0 || n >= this.count || !Number.isInteger(n)) return undefined;
    if (this.mode === 'cites') return this.citeSpans.get(n) ?? '';
    const scope = this.need();
    const t = scope.texts.get(n);
    if (t !== undefined) return t;
    scope.missTexts.add(n);
    return '';
  }

  private answer(normTerm: string): TermAnswer {
    const scope = this.need();
    const a = scope.terms.get(normTerm);
    if (a) return a;
    scope.missTerms.add(normTerm);
    return { list: EMPTY_LIST, tfs: null };
  }

  override containingList(normTerm: string): Uint32Array {
    return this.answer(normTerm).list;
  }

  /** As ParagraphIndex: the paragraphs every term's answer holds (each term fetched as its own answer). */
  override containingAll(normTerms: readonly string[]): Uint32Array {
    const lists = normTerms.map((t) => this.containingList(t)).sort((a, b) => a.length - b.length);
    return lists.reduce((acc, l) => intersectAscending(acc, l));
  }

  override containingCounts(normTerm: string): { list: Uint32Array; tfs: Uint8Array | null } {
    const a = this.answer(normTerm);
    return { list: a.list, tfs: a.tfs };
  }

  /** As ParagraphIndex: counts for a term of one character or two different ones, else null. */
  override termFrequencies(normTerm: string): Uint8Array | null {
    const chars = Array.from(normTerm);
    if (chars.length === 0 || chars.length > 2 || (chars.length === 2 && chars[0] === chars[1])) return null;
    return this.answer(normTerm).tfs;
  }

  override postings(word: string): Uint32Array {
    const scope = this.need();
    const p = scope.words.get(word);
    if (p) return p;
    scope.missWords.add(word);
    return EMPTY_LIST;
  }
}

export interface GenerationRow {
  id: number;
  built_at: string | Date;
  corpus_checksum: string;
  documents: number;
  paragraphs: number;
  manifest: IndexManifest;
}

/** A loaded generation: the in-memory tables, the scoped index and the service running over them. */
export class PgGeneration {
  readonly built: BuiltIndex;
  readonly index: ScopedParagraphIndex;
  readonly service: SearchService;
  private readonly titleParagraphs: ReadonlyMap<number, Paragraph>;

  private constructor(
    readonly id: number,
    readonly row: GenerationRow,
    readonly docs: PolicyDocument[],
    readonly refs: ParagraphRef[],
    readonly docStart: Uint32Array,
    readonly kinds: ParagraphKind[],
    readonly units: ReadonlyArray<readonly string[]>,
    parents: Int32Array,
    wordCounts: Uint32Array,
    citeSpans: ReadonlyMap<number, string>,
    titleParagraphs: ReadonlyMap<number, Paragraph>,
    limits: Limits,
  ) {
    this.titleParagraphs = titleParagraphs;
    this.index = new ScopedParagraphIndex(refs.length, wordCounts, citeSpans);
    docs.forEach((doc, d) => this.attachParagraphs(doc, d));
    this.built = { docs, refs, docStart, kinds, units, parents, paragraph: (n) => this.paragraph(n), index: this.index };
    // The result cache must be off: a run that recorded misses computed its response from
    // placeholders. (The backend may cache final responses itself, keyed by generation.)
    this.index.mode = 'cites';
    try {
      this.service = new SearchService(this.built, { ...limits, resultCacheSize: 0 }, row.manifest);
      this.service.warm();
    } finally {
      this.index.mode = 'query';
    }
  }

  /** Loads generation `id`'s in-memory tables. */
  static async load(db: DbQuery, id: number, limits: Limits): Promise<PgGeneration> {
    const [{ rows: gens }, { rows: docRows }, { rows: blobRows }] = await Promise.all([
      db.query<GenerationRow>('SELECT id, built_at, corpus_checksum, documents, paragraphs, manifest FROM generations WHERE id = $1', [id]),
      db.query<{ d: number; para_count: number; doc: StoredDocument }>('SELECT d, para_count, doc FROM documents WHERE generation = $1 ORDER BY d', [id]),
      db.query<{ name: string; data: Uint8Array }>('SELECT name, data FROM generation_blobs WHERE generation = $1', [id]),
    ]);
    const row = gens[0];
    if (!row) throw new StaleGenerationError(id);
    const blobs = new Map(blobRows.map((r) => [r.name, Buffer.from(r.data)]));
    const blob = (name: string) => {
      const b = blobs.get(name);
      if (!b) throw new Error(`generation ${id}: table ${name} missing`);
      return b;
    };
    const json = <T>(name: string) => JSON.parse(blob(name).toString('utf8')) as T;
    const docs = docRows.map((r) => r.doc as PolicyDocument);
    const { refs, docStart } = paragraphRefs(docRows.map((r) => r.para_count));
    const kindTable = json<ParagraphKind[]>('kindTable');
    const kinds = Array.from(blob('kinds'), (c) => kindTable[c]!);
    const units: Array<readonly string[]> = new Array(refs.length).fill(NO_UNITS);
    for (const [n, u] of json<Array<[number, string[]]>>('units')) units[n] = u;
    const parents = aligned(blob('parents'), Int32Array);
    const wordCounts = aligned(blob('wordCounts'), Uint32Array);
    const citeSpans = new Map(json<Array<[number, string]>>('citeSpans'));
    const titles = new Map(json<Array<[number, Paragraph]>>('titleParagraphs'));
    if (kinds.length !== refs.length || parents.length !== refs.length || wordCounts.length !== refs.length || docs.length !== row.documents) {
      throw new Error(`generation ${id}: tables disagree on the paragraph count`);
    }
    return new PgGeneration(Number(row.id), row, docs, refs, docStart, kinds, units, parents, wordCounts, citeSpans, titles, limits);
  }

  /** Paragraph n: fetched, a title, part of a fetched document, else a placeholder and a miss. */
  paragraph(n: number): Paragraph {
    const scope = this.index.scope;
    const got = scope?.paragraphs.get(n) ?? this.titleParagraphs.get(n);
    if (got) return got;
    const ref = this.refs[n]!;
    const whole = scope?.docParagraphs.get(ref.doc);
    if (whole) return whole[ref.para]!;
    if (!scope) throw new Error('postgres backend: paragraph read outside a request');
    scope.missParagraphs.add(n);
    return this.placeholder(n);
  }

  private placeholder(n: number): Paragraph {
    const ref = this.refs[n]!;
    const doc = this.docs[ref.doc]!;
    return {
      id: `${doc.id}-p${ref.para}`,
      docId: doc.id,
      index: ref.para,
      text: '',
      kind: this.kinds[n]!,
      label: null,
      level: null,
      section: [],
      sectionLabels: [],
      units: [...this.units[n]!],
      deadlines: [],
      repairs: [],
      lines: [0, 0],
    };
  }

  /**
   * `doc.paragraphs`: the document's paragraphs when fetched; otherwise an array-like whose
   * elements are read one by one (a paragraph fetched, else a miss) and whose whole-array uses
   * (map, forEach, iteration) record the document as a miss. Both kinds of miss throw MissError:
   * document pages are cached by the service, so no placeholder may reach them.
   */
  private attachParagraphs(doc: PolicyDocument, d: number): void {
    const count = this.docStart[d + 1]! - this.docStart[d]!;
    const first = this.docStart[d]!;
    Object.defineProperty(doc, 'paragraphs', {
      enumerable: false,
      configurable: true,
      get: () => {
        const scope = this.index.scope;
        const whole = scope?.docParagraphs.get(d);
        if (whole) return whole;
        if (!scope) throw new Error('postgres backend: document read outside a request');
        return new Proxy([] as Paragraph[], {
          get: (target, prop, receiver) => {
            if (typeof prop === 'string') {
              const c = prop.charCodeAt(0);
              if (c >= 48 && c <= 57) {
                const i = Number(prop);
                if (i >= count) return undefined;
                const p = scope.paragraphs.get(first + i) ?? this.titleParagraphs.get(first + i);
                if (p) return p;
                scope.missParagraphs.add(first + i);
                throw new MissError();
              }
              if (prop === 'length') return count;
            }
            scope.missDocs.add(d);
            if (typeof Reflect.get(target, prop, receiver) === 'function' || prop === Symbol.iterator) throw new MissError();
            return Reflect.get(target, prop, receiver);
          },
        });
      },
    });
  }

  /** Runs `fn` with `scope` installed (synchronously: no other request runs meanwhile). */
  run<T>(scope: QueryScope, fn: () => T): { value?: T; error?: unknown } {
    this.index.scope = scope;
    try {
      return { value: fn() };
    } catch (error) {
      return { error };
    } finally {
      this.index.scope = null;
    }
  }
}

const NO_UNITS: readonly string[] = Object.freeze([]);

function aligned<T extends Int32Array | Uint32Array>(buf: Buffer, Ctor: { new (b: ArrayBuffer, o: number, l: number): T; BYTES_PER_ELEMENT: number }): T {
  const size = Ctor.BYTES_PER_ELEMENT;
  if (buf.byteLength % size !== 0) throw new Error('generation table has a truncated array');
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new Ctor(copy, 0, buf.byteLength / size);
}
