/**
 * Retrieval and ranking over a built index. Pure given the index: no I/O, no clock.
 *
 * A query is a set of slots: each required clause (a disjunction of terms; keyword queries) and
 * each optional term (the content words of a question). A term matches a paragraph
 *   - in its own text: the whole term occurs in the normalized text (quoted phrases: only this),
 *     or (unquoted) all of the term's jieba words do;
 *   - in its context (unquoted terms of queries with several slots): an enclosing heading or
 *     article lead-in contains the term;
 *   - through its document (unquoted): region/city/province (also without 县/区/市), year, 文号,
 *     or the title. Metadata only completes a match: every paragraph found also matches some
 *     term in its text or context, except the title paragraphs of a document named by its 文号,
 *     and, when no term occurs anywhere, the paragraphs of documents matching every clause.
 *
 * Results. Keyword queries: paragraphs matching every clause. Questions: paragraphs matching the
 * required clauses (quoted phrases) and at least `minimumShouldMatch` of the findable content
 * words. When nothing qualifies, the paragraphs matching anything are returned instead, marked
 * partial.
 *
 * Order. Keyword queries: more clauses matched, then more matched verbatim, then score; questions:
 * score. Score = Σ over slots of BM25F (the best term of an OR clause) + phrase, metadata,
 * proximity and (questions) coverage boosts, × a weight by paragraph kind (scoring.ts).
 *
 * Work. Phase 1 marks, for every paragraph any term's postings reach, which slots it matches
 * (typed arrays; exact totals and facets need nothing more). Phase 2 scores: paragraphs are grouped
 * by the slots they match, groups are visited best bound first, and once `need` paragraphs are
 * kept a group whose upper bound cannot beat the worst of them is left unscored (MaxScore-style
 * pruning: the first `need` are exactly those an exhaustive scoring would give).
 */
import { subWords, wordsOfNormalized } from '../analysis/analyzer.js';
import { normalizeForMatch } from '../analysis/normalize.js';
import type { BuiltIndex } from '../indexing/build.js';
import { clauseUnits, contextRanges, enclosingOnly, forEachEnclosedRange, RangeCursor, scopeEnds } from './context.js';
import { EMPTY_POSTINGS, firstAtLeast, PostingCursor, unionAscending } from './postings.js';
import type { ParsedQuery, QueryTerm } from './query.js';
import {
  bm25,
  bm25Bound,
  coverage,
  COVERAGE_BOOST,
  docFacts,
  FIELD_WEIGHT,
  KIND_WEIGHT,
  lengthNorm,
  MAX_KIND_WEIGHT,
  META_BOOST,
  metadataBoost,
  PARTIAL_WORD_WEIGHT,
  PHRASE_BOOST,
  proximity,
  PROXIMITY_BOOST,
  type DocFacts,
} from './scoring.js';

export { docFacts, KIND_WEIGHT, type DocFacts } from './scoring.js';

/** A question's paragraph gets up to this much for the share of the question in its own text. */
const OWN_SHARE = 1.0;
/**
 * A question word found in more than this share of paragraphs (and more than COMMON_MIN of them)
 * only scores the units rarer words find: it does not add candidates of its own. This bounds the
 * work of a question like 需要承担什么责任 on a large corpus (责任 is in 20,000 law paragraphs);
 * below COMMON_MIN scoring every match is cheap, so a small corpus ranks all words fully.
 */
const COMMON_SHARE = 0.02;
const COMMON_MIN = 5000;
/**
 * A question that names no place prefers nationwide documents (laws, State Council rules) to a
 * province's or county's: their paragraphs' scores are multiplied by this.
 */
const NATIONWIDE_PRIOR = 1.3;
/**
 * Authority: a document that many others cite by title (《中华人民共和国民法典》) is the one a
 * question most likely needs; up to this much more for the most cited, log-scaled.
 */
const CITATION_PRIOR = 0.3;
/** See minimumShouldMatch. */
const MSM_SHARE = 0.1;
/**
 * The law's word for a question's everyday word (别人 → 他人, question.ts) counts this much of
 * the word as typed: a close paraphrase, not the user's own word.
 */
export const ALTERNATIVE_WEIGHT = 0.7;

/** Title without the 中华人民共和国 prefix laws are often cited without. */
const citeKey = (title: string) => normalizeForMatch(title).replace(/^中华人民共和国/u, '');

/** How many other documents cite each document by its title in 《》. Pure. */
export function citedBy(titles: readonly string[], normalized: readonly string[], docStart: Uint32Array): Uint32Array {
  const byTitle = new Map<string, number>();
  titles.forEach((t, d) => {
    const k = citeKey(t);
    if (k.length >= 2 && !byTitle.has(k)) byTitle.set(k, d);
  });
  const out = new Uint32Array(titles.length);
  const seen = new Int32Array(titles.length).fill(-1);
  for (let d = 0; d < titles.length; d++) {
    for (let n = docStart[d]!; n < docStart[d + 1]!; n++) {
      const text = normalized[n]!;
      if (!text.includes('《')) continue;
      for (const m of text.matchAll(/《([^《》]{2,80})》/gu)) {
        const c = byTitle.get(citeKey(m[1]!));
        if (c !== undefined && c !== d && seen[c] !== d) {
          seen[c] = d;
          out[c] = out[c]! + 1;
        }
      }
    }
  }
  return out;
}

/** Per paragraph and per unit arrays for question ranking; scratch arrays are cleared after use. */
interface UnitTables {
  /** The unit each paragraph is scored in: its clause unit's first paragraph, or itself. */
  head: Uint32Array;
  /** 1 when the paragraph belongs to a clause unit. */
  isUnit: Uint8Array;
  /** By unit head: BM25's length normalization of the unit's word count. */
  norm: Float64Array;
  kindWeight: Float64Array;
  /** By document: NATIONWIDE_PRIOR or 1. */
  prior: Float64Array;
  tf: Float64Array;
  score: Float64Array;
  mask: Uint32Array;
  /** -1: not a candidate unit; -2 candidate; -3 full match; >= 0 touched by that plan. */
  stamp: Int32Array;
  touched: Uint32Array;
  heads: Uint32Array;
}

/** Slots are bits of a 32-bit mask. */
const MAX_SLOTS = 32;

export interface ScoredParagraph {
  n: number;
  /** Slots matched (in text, context or metadata); 0 for questions (ranked by score alone). */
  tier: number;
  /** Slots whose whole term occurs in the paragraph text; 0 for questions. */
  exact: number;
  score: number;
}

/** Result order: more clauses matched, then more exact clauses, then score, then corpus order. */
export function compareScored(a: ScoredParagraph, b: ScoredParagraph): number {
  return b.tier - a.tier || b.exact - a.exact || b.score - a.score || a.n - b.n;
}

/**
 * Matches as parallel typed arrays, one slot per match: a query with 250,000 matches costs
 * four arrays, not 250,000 objects for the collector to trace.
 */
export class RankedList {
  length = 0;
  n: Uint32Array;
  tier: Uint8Array;
  exact: Uint8Array;
  score: Float64Array;
  /** The query slots each match matched (bit i: clause or optional term i, see slotTerms). */
  slots: Uint32Array;
  /** No paragraph matched the whole query: these are the best partial matches. */
  partial = false;
  /** The query's slots as shown to users, in bit order: a clause's terms joined by OR, or an optional term. */
  slotNames: string[] = [];
  /**
   * When set, the entries that can be among the first `need` the ranker was asked for (ascending):
   * every other entry ranks after all of those (it was not scored). Null: any entry can.
   */
  bestAmong: Uint32Array | null = null;
  /** The entries are in ascending paragraph order. */
  ascending = false;

  constructor(capacity: number) {
    const c = Math.max(1, capacity);
    this.n = new Uint32Array(c);
    this.tier = new Uint8Array(c);
    this.exact = new Uint8Array(c);
    this.score = new Float64Array(c);
    this.slots = new Uint32Array(c);
  }

  push(n: number, tier: number, exact: number, score: number, slots = 0): void {
    if (this.length === this.n.length) this.grow();
    const i = this.length++;
    this.n[i] = n;
    this.slots[i] = slots;
    this.tier[i] = Math.min(tier, 255);
    this.exact[i] = Math.min(exact, 255);
    this.score[i] = score;
  }

  private grow(): void {
    const c = this.n.length * 2;
    const n = new Uint32Array(c);
    n.set(this.n);
    const tier = new Uint8Array(c);
    tier.set(this.tier);
    const exact = new Uint8Array(c);
    exact.set(this.exact);
    const score = new Float64Array(c);
    score.set(this.score);
    const slots = new Uint32Array(c);
    slots.set(this.slots);
    Object.assign(this, { n, tier, exact, score, slots });
  }

  /** Slot i as an object (for the few matches that become hits). */
  at(i: number): ScoredParagraph {
    return { n: this.n[i]!, tier: this.tier[i]!, exact: this.exact[i]!, score: this.score[i]! };
  }

  /** `compareScored` on slots i and j. */
  compare(i: number, j: number): number {
    return this.tier[j]! - this.tier[i]! || this.exact[j]! - this.exact[i]! || this.score[j]! - this.score[i]! || this.n[i]! - this.n[j]!;
  }

  /**
   * The first `k` of the slots `among` (null: every slot) in `compare` order, sorted: a bounded
   * heap whose worst kept slot is its root, so most slots of a long list are turned away by one
   * comparison (the comparisons inlined on the arrays: this runs over every match of a query).
   */
  best(among: Uint32Array | null, k: number): number[] {
    if (k <= 0) return [];
    const { tier, exact, score, n } = this;
    // Positive when slot i ranks after slot j.
    const after = (i: number, j: number) => tier[j]! - tier[i]! || exact[j]! - exact[i]! || score[j]! - score[i]! || n[i]! - n[j]!;
    const heap: number[] = [];
    const down = (from: number) => {
      for (let i = from; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && after(heap[l]!, heap[m]!) > 0) m = l;
        if (r < heap.length && after(heap[r]!, heap[m]!) > 0) m = r;
        if (m === i) return;
        const t = heap[i]!;
        heap[i] = heap[m]!;
        heap[m] = t;
        i = m;
      }
    };
    // The worst kept slot's keys, held in locals while the heap is full (re-read after a change).
    let wt = -1;
    let we = 0;
    let ws = 0;
    let wn = 0;
    const size = among ? among.length : this.length;
    for (let a = 0; a < size; a++) {
      const s = among ? among[a]! : a;
      if (wt < 0) {
        heap.push(s);
        for (let i = heap.length - 1; i > 0; ) {
          const parent = (i - 1) >> 1;
          if (after(heap[i]!, heap[parent]!) <= 0) break;
          const t = heap[i]!;
          heap[i] = heap[parent]!;
          heap[parent] = t;
          i = parent;
        }
      } else {
        // Turned away unless it ranks before the worst kept.
        const ts = tier[s]!;
        if (ts < wt) continue;
        if (ts === wt) {
          const es = exact[s]!;
          if (es < we) continue;
          if (es === we) {
            const ss = score[s]!;
            if (ss < ws || (ss === ws && n[s]! > wn)) continue;
          }
        }
        heap[0] = s;
        down(0);
      }
      if (heap.length >= k) {
        const w = heap[0]!;
        wt = tier[w]!;
        we = exact[w]!;
        ws = score[w]!;
        wn = n[w]!;
      }
    }
    return heap.sort(after);
  }
}

/** One query term, ready to match and score: its posting cursors and per-document facts. */
interface TermPlan {
  term: QueryTerm;
  /** The bit of its slot (a clause's terms share one); 0 for a term that only adds score. */
  bit: number;
  words: string[];
  idfs: Float64Array;
  /** The whole term is its only word: counts come from the exact postings. */
  simple: boolean;
  /** Paragraphs containing the whole term, with counts when the gram postings carry them. */
  exact: PostingCursor;
  /** Paragraphs containing every word of a multi-word unquoted term, else null. */
  loose: PostingCursor | null;
  /** Paragraphs enclosed by a heading containing the term, else null (keyword queries). */
  context: RangeCursor | null;
  /** Questions: the paragraphs containing the term that enclose others (their scope is context). */
  contextHeads: Uint32Array | null;
  /** Some document's title or metadata names the term. */
  namesDocuments: boolean;
  /** Per word: paragraphs where it is a whole jieba word. */
  whole: PostingCursor[];
  /** Per document: region, year or 文号 boost. */
  meta: Float64Array;
  /** Per document: the title contains the term. */
  titled: Uint8Array;
  phraseBonus: number;
  /** No paragraph can get more from this term (before the kind weight). */
  bound: number;
  /**
   * The term finds candidates. A question's very common words (应当, 或者, 规定) only add score
   * to the units its rarer words found (COMMON_SHARE).
   */
  generates: boolean;
  /** Its score counts this much: 1, or ALTERNATIVE_WEIGHT for the law's word for a question's word. */
  weight: number;
}

/** A query ready to run: its plans, slots and what counts as a full match. */
interface QueryPlan {
  plans: TermPlan[];
  /** Plans by slot (a required clause may hold several, OR'd; an optional term one). */
  slots: TermPlan[][];
  requiredBits: number;
  optionalBits: number;
  /** Optional slots that occur somewhere (a word found nowhere cannot count against a paragraph). */
  findableBits: number;
  /** Optional slots a full match needs. */
  minimumShouldMatch: number;
  question: boolean;
  /** Each slot's idf weight, for coverage. */
  slotIdf: Float64Array;
  totalIdf: number;
  /** Per document: the slots it matches by metadata or title. */
  docBits: Uint32Array;
  slotNames: string[];
  /** A term names a region of some document (no nationwide preference then). */
  namesPlace: boolean;
}

/** A filter that lets every paragraph through: the ranker skips calling it. */
export const ALLOW_ALL = (): boolean => true;

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Optional slots a question's full match needs out of `findable` content words: a tenth,
 * rounded up (one of up to ten words, two of eleven to twenty…). People ask in their own words and
 * the law answers in its own: a relevant article often shares only a few of a question's words,
 * so a stricter rule loses answers (measured on the STARD questions, README).
 */
export function minimumShouldMatch(findable: number): number {
  return Math.ceil(findable * MSM_SHARE);
}

function rangeList(from: number, to: number): Uint32Array {
  const out = new Uint32Array(to - from);
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

/** Non-overlapping occurrences of `w` in `text`, the first known to be at `from` (or -1: find it). */
function countIn(text: string, w: string, from = text.indexOf(w)): number {
  let tf = 0;
  for (let at = from; at !== -1; at = text.indexOf(w, at + w.length)) tf++;
  return tf;
}

function swapAt(a: number[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** The `need` best (tier, exact, score) seen so far, worst on top of a binary heap. */
class BestKept {
  private readonly tier: number[] = [];
  private readonly exact: number[] = [];
  private readonly score: number[] = [];
  constructor(private readonly need: number) {}

  get full(): boolean {
    return this.tier.length >= this.need;
  }

  /** Order of (tier, exact, score) triples: negative when the first is worse. */
  private static cmp(t1: number, e1: number, s1: number, t2: number, e2: number, s2: number): number {
    return t1 - t2 || e1 - e2 || s1 - s2;
  }

  /** Entry a is worse than entry b. */
  private worse(a: number, b: number): boolean {
    return BestKept.cmp(this.tier[a]!, this.exact[a]!, this.score[a]!, this.tier[b]!, this.exact[b]!, this.score[b]!) < 0;
  }

  private swap(i: number, j: number): void {
    swapAt(this.tier, i, j);
    swapAt(this.exact, i, j);
    swapAt(this.score, i, j);
  }

  /** Whether a paragraph of (tier, exact, score) ranks strictly below every kept one (none is kept while not full). */
  below(tier: number, exact: number, score: number): boolean {
    return this.full && BestKept.cmp(tier, exact, score, this.tier[0]!, this.exact[0]!, this.score[0]!) < 0;
  }

  /** Whether a paragraph of (tier, exact, score) would be kept. */
  beats(tier: number, exact: number, score: number): boolean {
    if (!this.full) return true;
    return BestKept.cmp(tier, exact, score, this.tier[0]!, this.exact[0]!, this.score[0]!) > 0;
  }

  add(tier: number, exact: number, score: number): void {
    if (this.need <= 0) return;
    if (!this.full) {
      this.tier.push(tier);
      this.exact.push(exact);
      this.score.push(score);
      for (let i = this.tier.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    if (!this.beats(tier, exact, score)) return;
    this.tier[0] = tier;
    this.exact[0] = exact;
    this.score[0] = score;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.tier.length && this.worse(l, m)) m = l;
      if (r < this.tier.length && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
}

export class Ranker {
  private readonly facts: DocFacts[];
  /** Scope ends of the heading context (context.ts), made on first use. */
  private ends: Uint32Array | null = null;
  /** Clause units (context.ts), made on first use. */
  private units: Int32Array | null = null;
  /** Scratch per paragraph, cleared after every query: slots matched, slots matched verbatim. */
  private readonly slotMask: Uint32Array;
  private readonly exactMask: Uint32Array;
  /** Document of each paragraph, as a typed array (read for every candidate). */
  /** The document of each paragraph number. */
  readonly docOf: Uint32Array;
  /** Documents by region name (and every prefix of two characters or more), year and 文号. */
  private readonly docsByName = new Map<string, number[]>();
  /** Every title, joined by a separator no term contains, and where each starts. */
  private readonly titles: string;
  private readonly titleStart: Uint32Array;

  /**
   * @param options.fastPaths prune groups that cannot reach the requested page (default on; tests
   *   turn it off to check that pruning changes no result).
   */
  constructor(
    private readonly built: BuiltIndex,
    private readonly options: { fastPaths?: boolean } = {},
  ) {
    this.facts = built.docs.map(docFacts);
    this.slotMask = new Uint32Array(built.refs.length);
    this.exactMask = new Uint32Array(built.refs.length);
    this.docOf = new Uint32Array(built.refs.length);
    for (let d = 0; d < built.docs.length; d++) this.docOf.fill(d, built.docStart[d]!, built.docStart[d + 1]!);
    const name = (key: string, d: number) => {
      const list = this.docsByName.get(key);
      if (!list) this.docsByName.set(key, [d]);
      else if (list[list.length - 1] !== d) list.push(d);
    };
    this.facts.forEach((f, d) => {
      for (const r of f.regionNames) for (let k = 2; k <= r.length; k++) name(r.slice(0, k), d);
      if (f.year) {
        name(f.year, d);
        name(`${f.year}年`, d);
      }
      if (f.docNumber) name(f.docNumber, d);
    });
    this.titleStart = new Uint32Array(this.facts.length + 1);
    let at = 0;
    this.facts.forEach((f, d) => {
      this.titleStart[d] = at;
      at += f.title.length + 1;
    });
    this.titleStart[this.facts.length] = at;
    this.titles = this.facts.map((f) => f.title).join('\n') + '\n';
    const ix = built.index;
    this.norms = new Float64Array(built.refs.length);
    this.kindWeights = new Float64Array(built.refs.length);
    for (let n = 0; n < built.refs.length; n++) {
      this.norms[n] = lengthNorm(ix.wordCounts[n]!, ix.avgWordCount);
      this.kindWeights[n] = KIND_WEIGHT[built.kinds[n]!] ?? 1;
    }
  }

  /** Per paragraph: BM25's length normalization and the weight of its kind (scoreParagraph's constants). */
  private readonly norms: Float64Array;
  private readonly kindWeights: Float64Array;

  /**
   * Scratch arrays of scoreCandidates, kept between queries (the largest query would otherwise
   * allocate, and the collector free, several megabytes each time). Never returned to callers.
   */
  private scratch = { masks: new Uint32Array(0), kept: new Uint8Array(0), groupOf: new Int32Array(0), members: new Uint32Array(0) };

  private scratchFor(size: number): typeof this.scratch {
    if (this.scratch.masks.length < size) {
      const c = Math.max(size, this.scratch.masks.length * 2);
      this.scratch = { masks: new Uint32Array(c), kept: new Uint8Array(c), groupOf: new Int32Array(c), members: new Uint32Array(c) };
    }
    return this.scratch;
  }

  /** Per document: the metadata boost of term t (region, year, 文号). */
  private metaOf(t: QueryTerm): Float64Array {
    const out = new Float64Array(this.facts.length);
    if (t.phrase || t.field) return out;
    for (const d of this.docsByName.get(t.norm) ?? []) out[d] = metadataBoost(this.facts[d]!, t);
    return out;
  }

  /** Per document: 1 when its title contains term t. */
  private titledBy(t: QueryTerm): Uint8Array {
    const out = new Uint8Array(this.facts.length);
    if (t.phrase || t.field || t.norm.length < 2 || t.norm.includes('\n')) return out;
    const starts = this.titleStart;
    for (let at = this.titles.indexOf(t.norm); at !== -1; at = this.titles.indexOf(t.norm, at + 1)) {
      // The document whose title holds offset `at`: binary search over the starts.
      let lo = 0;
      let hi = starts.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      out[lo] = 1;
    }
    return out;
  }

  docFacts(doc: number): DocFacts {
    return this.facts[doc]!;
  }

  /** `containing`: how many paragraphs contain `word`, when the caller has that list already. */
  private idf(word: string, containing?: number): number {
    const N = this.built.index.size;
    let df = this.built.index.postings(word).length;
    if (df === 0) df = containing ?? this.built.index.containingList(word).length;
    return Math.log(1 + (N - df + 0.5) / (df + 0.5));
  }

  /**
   * Builds the tables question ranking makes on first use (heading scopes, clause units, unit
   * lengths, document priors: about a second on the laws corpus), so that no request pays for them.
   */
  warm(): void {
    this.unitTables();
    this.scopeEnds();
  }

  private scopeEnds(): Uint32Array {
    return (this.ends ??= scopeEnds(this.built.parents));
  }

  private clauseUnits(): Int32Array {
    return (this.units ??= clauseUnits(this.built.parents, (n) => this.built.kinds[n] === 'clause'));
  }

  /** A term's cursors, idfs and per-document facts. */
  private planTerm(t: QueryTerm, bit: number, withContext: boolean, idfOf: (w: string, containing?: number) => number, question: boolean): TermPlan {
    const ix = this.built.index;
    let words = t.phrase ? [t.norm] : [...new Set(wordsOfNormalized(t.norm).map((w) => w.text))];
    // A single compound word (`决策公开`) also matches through the words inside it; a question's
    // content words are already words, matched as themselves.
    if (!t.phrase && !question && words.length === 1) words = [...words, ...subWords(words[0]!)];
    if (!words.length) words = [t.norm];
    const simple = words.length === 1 && words[0] === t.norm;
    const found = t.field ? { list: EMPTY_POSTINGS, tfs: null } : simple ? ix.containingCounts(t.norm) : { list: ix.containingList(t.norm), tfs: null };
    const exactList = found.list;
    const tfs = found.tfs;
    let loose: PostingCursor | null = null;
    const parts = words.filter((w) => w !== t.norm);
    if (!t.phrase && !t.field && parts.length) {
      // A paragraph holding only some of the words can never match the term: intersect.
      loose = new PostingCursor(ix.containingAll(parts));
    }
    let context: RangeCursor | null = null;
    let contextHeads: Uint32Array | null = null;
    if (withContext && !t.phrase && !t.field && Array.from(t.norm).length >= 2) {
      // Questions are scored by clause unit already: their context is the enclosing headings.
      if (question) {
        const heads = enclosingOnly(exactList, this.scopeEnds());
        if (heads.length) contextHeads = heads;
      } else {
        const ranges = contextRanges(exactList, this.scopeEnds(), this.clauseUnits());
        if (ranges.total) context = new RangeCursor(ranges);
      }
    }
    // The term's own paragraphs are known already: its idf need not find them again.
    const idfs = Float64Array.from(words, (w) => (w === t.norm && !t.field ? idfOf(w, exactList.length) : idfOf(w)));
    const idfSum = idfs.reduce((x, y) => x + y, 0);
    const phraseBonus = words.length > 1 ? PHRASE_BOOST * idfSum : 0;
    const meta = this.metaOf(t);
    const titled = this.titledBy(t);
    let metaMax = 0;
    for (const v of meta) if (v > metaMax) metaMax = v;
    return {
      term: t,
      bit,
      words,
      idfs,
      simple,
      exact: new PostingCursor(exactList, tfs && tfs.length === exactList.length ? tfs : null),
      loose,
      context,
      contextHeads,
      namesDocuments: metaMax > 0 || titled.some((v) => v > 0),
      whole: words.map((w) => new PostingCursor(ix.postings(w))),
      meta,
      titled,
      phraseBonus,
      bound: words.reduce((s, _, i) => s + bm25Bound(idfs[i]!), 0) + phraseBonus + metaMax,
      generates: true,
      weight: 1,
    };
  }

  private planQuery(q: ParsedQuery): QueryPlan {
    const idfCache = new Map<string, number>();
    const idfOf = (w: string, containing?: number) => {
      let v = idfCache.get(w);
      if (v === undefined) idfCache.set(w, (v = this.idf(w, containing)));
      return v;
    };
    const question = q.question !== null || q.optional.length > 0;
    const slotCount = q.clauses.length + q.optional.length;
    const withContext = slotCount > 1;
    const plans: TermPlan[] = [];
    const slots: TermPlan[][] = [];
    let requiredBits = 0;
    q.clauses.slice(0, MAX_SLOTS).forEach((clause, i) => {
      const bit = (1 << i) >>> 0;
      requiredBits = (requiredBits | bit) >>> 0;
      slots.push(clause.map((t) => this.planTerm(t, bit, withContext, idfOf, question)));
    });
    // Optional terms beyond the slots left: the rarest are kept.
    const room = MAX_SLOTS - slots.length;
    let optional = q.optional;
    if (optional.length > room) {
      const rarest = new Set([...optional].sort((a, b) => idfOf(b.norm) - idfOf(a.norm)).slice(0, room));
      optional = optional.filter((t) => rarest.has(t));
    }
    let optionalBits = 0;
    let findableBits = 0;
    for (const t of optional) {
      const bit = (1 << slots.length) >>> 0;
      const slot = [this.planTerm(t, bit, withContext, idfOf, question)];
      // The law's words for a question's word, in the same slot, scoring a little less.
      for (const alt of t.alternatives ?? []) {
        const plan = this.planTerm({ raw: alt, norm: alt, phrase: false, field: null }, bit, withContext, idfOf, question);
        plan.weight = ALTERNATIVE_WEIGHT;
        slot.push(plan);
      }
      optionalBits = (optionalBits | bit) >>> 0;
      if (slot.some((plan) => plan.exact.length || plan.loose?.length || plan.meta.some((v) => v > 0) || plan.titled.some((v) => v > 0))) findableBits = (findableBits | bit) >>> 0;
      slots.push(slot);
    }
    for (const s of slots) plans.push(...s);
    if (question) {
      // Very common words score but do not find: unless every word is common (then the rarest finds).
      const reach = (p: TermPlan) => {
        let n = p.exact.length + (p.loose?.length ?? 0);
        if (p.contextHeads) forEachEnclosedRange(p.contextHeads, this.scopeEnds(), (from, to) => (n += to - from));
        return n;
      };
      const limit = Math.max(COMMON_MIN, COMMON_SHARE * this.built.refs.length);
      const optionalPlans = plans.filter((p) => (p.bit & optionalBits) !== 0 && reach(p) > 0);
      const common = optionalPlans.filter((p) => reach(p) > limit);
      if (common.length === optionalPlans.length && common.length) common.splice(common.indexOf(common.reduce((a, b) => (reach(a) <= reach(b) ? a : b))), 1);
      for (const p of common) p.generates = false;
    }
    const slotIdf = Float64Array.from(slots, (s) => Math.max(...s.map((p) => p.weight * p.idfs.reduce((x, y) => x + y, 0))));
    let totalIdf = 0;
    slots.forEach((s, i) => {
      if ((s[0]!.bit & (requiredBits | findableBits)) !== 0) totalIdf += slotIdf[i]!;
    });
    const docBits = new Uint32Array(this.facts.length);
    for (const p of plans) {
      if (!p.bit) continue;
      for (let d = 0; d < docBits.length; d++) if (p.meta[d]! > 0 || p.titled[d]) docBits[d] = (docBits[d]! | p.bit) >>> 0;
    }
    return {
      plans,
      slots,
      requiredBits,
      optionalBits,
      findableBits,
      minimumShouldMatch: minimumShouldMatch(popcount(findableBits)),
      question,
      slotIdf,
      totalIdf,
      docBits,
      // A question's slot is named by its word as typed, not by the law's words searched beside it.
      slotNames: slots.map((plans) => (plans.length > 1 && plans[1]!.weight !== 1 ? plans[0]!.term.raw : plans.map((p) => p.term.raw).join(' OR '))),
      namesPlace: plans.some((p) => (this.docsByName.get(p.term.norm) ?? []).some((d) => metadataBoost(this.facts[d]!, p.term) === META_BOOST.region)),
    };
  }

  /**
   * Paragraph numbers passing the excluded terms and field filters. An excluded term removes
   * paragraphs containing it, and whole documents it names by region, year or 文号 (`-天台`).
   */
  private allowed(q: ParsedQuery, extra: (n: number) => boolean): ((n: number) => boolean) | null {
    const ix = this.built.index;
    const excluded = q.excluded;
    if (excluded.length === 0 && extra === ALLOW_ALL) return null;
    const excludedDocs = new Set<number>();
    this.facts.forEach((f, d) => {
      if (excluded.some((t) => metadataBoost(f, t) >= META_BOOST.year)) excludedDocs.add(d);
    });
    return (n) => {
      if (excludedDocs.has(this.docOf[n]!)) return false;
      for (const e of excluded) if (ix.normalized[n]!.includes(e.norm)) return false;
      return extra(n);
    };
  }

  /**
   * Phase 1: every paragraph a term reaches in its text or context, with the slots it matches
   * there (slotMask) and verbatim (exactMask); returned ascending. The caller clears the masks.
   */
  private markCandidates(qp: QueryPlan): Uint32Array {
    const { slotMask, exactMask } = this;
    const touched: Uint32Array[] = [];
    let total = 0;
    const mark = (list: Uint32Array, bit: number, verbatim: boolean) => {
      const fresh = new Uint32Array(list.length);
      let k = 0;
      for (let i = 0; i < list.length; i++) {
        const n = list[i]!;
        if (slotMask[n] === 0) fresh[k++] = n;
        slotMask[n] = (slotMask[n]! | bit) >>> 0;
        if (verbatim) exactMask[n] = (exactMask[n]! | bit) >>> 0;
      }
      if (k) {
        touched.push(fresh.subarray(0, k));
        total += k;
      }
    };
    for (const p of qp.plans) {
      if (!p.bit || !p.generates) continue;
      mark(p.exact.list, p.bit, true);
      if (p.loose) mark(p.loose.list, p.bit, false);
      if (p.context) mark(p.context.list, p.bit, false);
      if (p.contextHeads) forEachEnclosedRange(p.contextHeads, this.scopeEnds(), (from, to) => mark(rangeList(from, to), p.bit, false));
    }
    if (touched.length === 1) return touched[0]!;
    // Many candidates: one pass over the mask is cheaper than sorting them.
    if (total > slotMask.length / 16) {
      const out = new Uint32Array(total);
      let k = 0;
      for (let n = 0; n < slotMask.length; n++) if (slotMask[n] !== 0) out[k++] = n;
      return out;
    }
    return unionAscending(touched);
  }

  /**
   * The full matches of a keyword query of several clauses, found from its smallest clause that
   * only text matches (no title or metadata): that clause's paragraphs (text, loose words,
   * context) are the only possible ones, and each is checked against the other clauses — their
   * cursors, or their documents' titles and metadata — so a common word's paragraphs and context
   * are walked by seeks, never listed or marked. Marks the matches as markCandidates would (the
   * clauses matched in the text, the verbatim ones), so scoreCandidates ranks them exactly as it
   * ranks the full matches among all candidates. Null when the general path must run: a
   * question, 文号 matches, every clause matched by some document's metadata, no full match, or
   * none that `ok` keeps (the answer is then the best partial matches).
   */
  private fullMatches(qp: QueryPlan, ok: ((n: number) => boolean) | null): Uint32Array | null {
    if (qp.question || qp.slots.length < 2 || qp.optionalBits !== 0) return null;
    if (this.admittedByDocNumber(qp).length) return null;
    const slots = qp.slots.map((plans) => plans.filter((p) => p.bit !== 0 && p.generates));
    if (slots.some((plans) => plans.length === 0)) return null;
    const bits = qp.slots.map((plans) => plans[0]!.bit);
    let metaBits = 0;
    for (let d = 0; d < qp.docBits.length; d++) metaBits = (metaBits | qp.docBits[d]!) >>> 0;
    const reach = (plans: TermPlan[]) => plans.reduce((n, p) => n + p.exact.length + (p.loose?.length ?? 0) + (p.context?.length ?? 0), 0);
    let driver = -1;
    for (let i = 0; i < slots.length; i++) {
      if ((bits[i]! & metaBits) !== 0) continue;
      if (driver < 0 || reach(slots[i]!) < reach(slots[driver]!)) driver = i;
    }
    if (driver < 0) return null;
    const lists: Uint32Array[] = [];
    for (const p of slots[driver]!) {
      lists.push(p.exact.list);
      if (p.loose) lists.push(p.loose.list);
      if (p.context) lists.push(p.context.list);
    }
    const from = unionAscending(lists);
    const { docOf, slotMask, exactMask } = this;
    const docBits = qp.docBits;
    for (const p of qp.plans) this.resetCursors(p);
    const out = new Uint32Array(from.length);
    const inText = new Uint32Array(from.length);
    let size = 0;
    let kept = 0;
    next: for (let i = 0; i < from.length; i++) {
      const n = from[i]!;
      const meta = docBits[docOf[n]!]!;
      let m = bits[driver]!;
      for (let s = 0; s < slots.length; s++) {
        if (s === driver) continue;
        let hit = false;
        // Every cursor of the clause is advanced to n (they are walked in ascending order).
        for (const p of slots[s]!) if (p.exact.seek(n) || p.loose?.seek(n) || p.context?.seek(n)) hit = true;
        if (hit) m = (m | bits[s]!) >>> 0;
        else if ((meta & bits[s]!) === 0) continue next;
      }
      inText[size] = m;
      out[size++] = n;
      if (!ok || ok(n)) kept++;
    }
    for (const p of qp.plans) this.resetCursors(p);
    if (kept === 0) return null;
    const matches = out.subarray(0, size);
    for (let i = 0; i < size; i++) slotMask[matches[i]!] = inText[i]!;
    for (const p of qp.plans) {
      if (!p.bit || !p.generates) continue;
      for (let i = 0; i < size; i++) {
        const n = matches[i]!;
        if (p.exact.seek(n)) exactMask[n] = (exactMask[n]! | p.bit) >>> 0;
      }
    }
    for (const p of qp.plans) this.resetCursors(p);
    return matches;
  }

  /** Paragraphs admitted by metadata alone: title paragraphs of a document named by its 文号. */
  private admittedByDocNumber(qp: QueryPlan): number[] {
    const out: number[] = [];
    const { docStart, kinds } = this.built;
    for (const p of qp.plans) {
      if (p.term.phrase || p.term.field || !/号$/u.test(p.term.norm)) continue;
      for (const d of this.docsByName.get(p.term.norm) ?? []) {
        if (this.facts[d]!.docNumber !== p.term.norm) continue;
        for (let n = docStart[d]!; n < docStart[d + 1]!; n++) if (kinds[n] === 'title') out.push(n);
      }
    }
    return out;
  }

  /**
   * Finds and scores every matching paragraph. `filter` applies field filters and URL filters.
   * @param need how many of the best matches the caller will look at (offset + limit); matches
   *   that cannot be among them keep their tier and exact count but are not scored (score 0).
   *   Default: all.
   */
  rank(q: ParsedQuery, filter: (n: number) => boolean, need = Infinity): RankedList {
    const { refs, docStart } = this.built;
    const ok = this.allowed(q, filter);
    // A query of field filters only lists the filtered documents' paragraphs in document order.
    if (q.clauses.length === 0 && q.optional.length === 0) {
      const all = new RankedList(ok ? 1024 : refs.length);
      for (let n = 0; n < refs.length; n++) if (!ok || ok(n)) all.push(n, 0, 0, 0);
      all.ascending = true;
      return all;
    }
    const qp = this.planQuery(q);
    const single = this.options.fastPaths !== false ? this.singleTerm(qp) : null;
    if (single) return this.rankSingleTerm(qp, single, ok, need);
    const full = this.options.fastPaths !== false ? this.fullMatches(qp, ok) : null;
    if (full) {
      try {
        return this.scoreCandidates(qp, full, ok, need);
      } finally {
        for (let i = 0; i < full.length; i++) {
          this.slotMask[full[i]!] = 0;
          this.exactMask[full[i]!] = 0;
        }
      }
    }
    let candidates = this.markCandidates(qp);
    try {
      const admitted = this.admittedByDocNumber(qp);
      if (candidates.length === 0 && !qp.question) {
        // No term occurs in any text: documents that match every clause by metadata.
        for (let d = 0; d < this.facts.length; d++) {
          if ((qp.docBits[d]! & qp.requiredBits) !== qp.requiredBits) continue;
          for (let n = docStart[d]!; n < docStart[d + 1]!; n++) admitted.push(n);
        }
      }
      if (admitted.length) candidates = unionAscending([candidates, Uint32Array.from(admitted).sort()]);
      return qp.question ? this.rankByUnits(qp, candidates, ok) : this.scoreCandidates(qp, candidates, ok, need);
    } finally {
      for (let i = 0; i < candidates.length; i++) {
        this.slotMask[candidates[i]!] = 0;
        this.exactMask[candidates[i]!] = 0;
      }
    }
  }

  /**
   * The plan of a query that is one simple term (a quoted phrase, or a word without sub-words),
   * else null. Its matches are the term's exact postings, all in one group (one slot, matched
   * verbatim: a document whose title or metadata names the term adds no slot), so rankSingleTerm
   * scores them straight from the postings, with scoreParagraph's title and metadata weights,
   * without the slot masks and grouping of the general path. Not when a named document is matched
   * by its metadata alone: no text holds the term (its documents are then the matches), or the
   * term is a 文号 (its title paragraphs are admitted).
   */
  private singleTerm(qp: QueryPlan): TermPlan | null {
    if (qp.question || qp.plans.length !== 1 || qp.slots.length !== 1) return null;
    const p = qp.plans[0]!;
    if (!p.simple || !p.bit || !p.generates || p.loose || p.context || p.contextHeads) return null;
    if (p.namesDocuments && (p.exact.length === 0 || this.admittedByDocNumber(qp).length > 0)) return null;
    return p;
  }

  /**
   * rank() for a single simple term: the same matches, order and scores as scoreCandidates
   * (scoreParagraph of one slot: the term's BM25 with its whole-word and title weights plus its
   * metadata boost, times the kind weight; no proximity), computed in one pass over the term's
   * postings, or over its impact head and named documents when they decide the first `need`.
   */
  private rankSingleTerm(qp: QueryPlan, p: TermPlan, ok: ((n: number) => boolean) | null, need: number): RankedList {
    const list = p.exact.list;
    const tfs = p.exact.tfs;
    const idf = p.idfs[0]!;
    const titleWeight = FIELD_WEIGHT.title;
    const { docOf, norms, kindWeights } = this;
    const normalized = this.built.index.normalized;
    const out = new RankedList(list.length);
    out.slotNames = qp.slotNames;
    // The score of entry i of the list (whole-word postings walked with a cursor, in ascending order).
    const whole = p.whole[0]!;
    whole.reset();
    const scoreAt = (i: number, n: number) => {
      let tf = tfs ? tfs[i]! : 255;
      if (tf === 255) tf = countIn(normalized[n]!, p.term.norm);
      if (!whole.seek(n)) tf *= PARTIAL_WORD_WEIGHT;
      const doc = docOf[n]!;
      const field = p.titled[doc] ? titleWeight : 0;
      const s = p.meta[doc]! + bm25(tf + field, idf, norms[n]!);
      return (s > 0 ? s : 0) * kindWeights[n]!;
    };
    const k = !ok && this.options.fastPaths !== false ? this.scoreHead(p, out, scoreAt, need) : -1;
    if (k < 0) {
      // The result arrays are written directly (their size is known).
      whole.reset();
      let m = 0;
      for (let i = 0; i < list.length; i++) {
        const n = list[i]!;
        if (ok && !ok(n)) continue;
        out.n[m] = n;
        out.score[m] = scoreAt(i, n);
        m++;
      }
      out.length = m;
      out.bestAmong = null;
    }
    out.tier.fill(1, 0, out.length);
    out.exact.fill(1, 0, out.length);
    out.slots.fill(p.bit, 0, out.length);
    out.partial = out.length === 0;
    out.ascending = true;
    return out;
  }

  /**
   * rankSingleTerm from the term's impact head (indexing/impacts.ts), when it has one and it
   * decides the first `need`: every match is listed (totals and facets count them); the head's
   * and those of documents whose title or metadata name the term (they score above their impact)
   * are scored, and are `bestAmong`; the others keep score 0. Returns the number of matches, or
   * -1 when the head cannot decide (then nothing is written that the full loop does not overwrite).
   */
  private scoreHead(p: TermPlan, out: RankedList, scoreAt: (i: number, n: number) => number, need: number): number {
    const list = p.exact.list;
    if (need > list.length) return -1;
    const head = this.built.index.impactHead(p.term.norm);
    if (!head || head.positions.length < need || head.positions[head.positions.length - 1]! >= list.length) return -1;
    let among = head.positions;
    if (p.namesDocuments) {
      const named: number[] = [];
      const { docStart } = this.built;
      for (let d = 0; d < p.titled.length; d++) {
        if (!p.titled[d] && !(p.meta[d]! > 0)) continue;
        const from = firstAtLeast(list, 0, docStart[d]!);
        const to = firstAtLeast(list, from, docStart[d + 1]!);
        for (let i = from; i < to; i++) named.push(i);
      }
      among = unionAscending([among, Uint32Array.from(named)]);
    }
    // Every other paragraph scores idf · its impact, at most idf · bound: `need` scores above
    // that decide the first `need` (a relative margin covers the rounding of the two computations).
    const ceiling = p.idfs[0]! * head.bound * (1 + 1e-9) + 1e-12;
    const score = out.score;
    let above = 0;
    for (let j = 0; j < among.length; j++) {
      const i = among[j]!;
      const s = scoreAt(i, list[i]!);
      score[i] = s;
      if (s > ceiling) above++;
    }
    if (above < need) return -1;
    out.n.set(list);
    out.length = list.length;
    out.bestAmong = among;
    return list.length;
  }

  /** Whether slots `m` make a full match. */
  private isFull(qp: QueryPlan, m: number): boolean {
    if ((m & qp.requiredBits) !== qp.requiredBits) return false;
    return popcount(m & qp.optionalBits & qp.findableBits) >= qp.minimumShouldMatch;
  }

  /** Upper bound of `scoreParagraph` for a paragraph matching slots `m`. */
  private bound(qp: QueryPlan, m: number): number {
    let s = 0;
    let idf = 0;
    qp.slots.forEach((plans, i) => {
      if ((plans[0]!.bit & m) === 0) return;
      s += Math.max(...plans.map((p) => p.bound));
      idf += qp.slotIdf[i]!;
    });
    if (qp.question) s += coverage(idf, qp.totalIdf);
    return (s + PROXIMITY_BOOST) * MAX_KIND_WEIGHT;
  }

  /**
   * Phase 2: classify the candidates (full or partial), group them by matched slots, and score
   * the groups that can reach the first `need`.
   */
  private scoreCandidates(qp: QueryPlan, candidates: Uint32Array, ok: ((n: number) => boolean) | null, need: number): RankedList {
    const { slotMask, exactMask, docOf } = this;
    const { masks, kept, groupOf, members } = this.scratchFor(candidates.length);
    kept.fill(0, 0, candidates.length);
    let full = 0;
    for (let i = 0; i < candidates.length; i++) {
      const n = candidates[i]!;
      if (ok && !ok(n)) continue;
      const m = (slotMask[n]! | qp.docBits[docOf[n]!]!) >>> 0;
      masks[i] = m;
      kept[i] = 1;
      if (this.isFull(qp, m)) {
        kept[i] = 2;
        full++;
      }
    }
    const partial = full === 0;
    // Groups: matched slots and verbatim slots (keyword order needs both). Each kept candidate
    // gets its group's number (neighbours usually share one: the last key is remembered), then a
    // counting sort lays the groups' members out in one typed array, each group in corpus order.
    groupOf.fill(-1, 0, candidates.length);
    const groupKey = new Map<number, Map<number, number>>();
    const groups: Array<{ m: number; e: number; size: number; start: number }> = [];
    let lastM = -1;
    let lastE = -1;
    let lastG = -1;
    for (let i = 0; i < candidates.length; i++) {
      if (kept[i] === 0 || (!partial && kept[i] !== 2)) continue;
      const m = masks[i]!;
      const e = qp.question ? 0 : exactMask[candidates[i]!]!;
      if (m !== lastM || e !== lastE) {
        let byExact = groupKey.get(m);
        if (!byExact) groupKey.set(m, (byExact = new Map()));
        let g = byExact.get(e);
        if (g === undefined) {
          g = groups.length;
          byExact.set(e, g);
          groups.push({ m, e, size: 0, start: 0 });
        }
        lastM = m;
        lastE = e;
        lastG = g;
      }
      groupOf[i] = lastG;
      groups[lastG]!.size++;
    }
    let at = 0;
    for (const g of groups) {
      g.start = at;
      at += g.size;
    }
    const fill = groups.map((g) => g.start);
    for (let i = 0; i < candidates.length; i++) {
      const g = groupOf[i]!;
      if (g >= 0) members[fill[g]!++] = i;
    }
    const order = groups.map((g) => ({
      tier: qp.question ? 0 : popcount(g.m),
      exact: qp.question ? 0 : popcount(g.e),
      bound: this.bound(qp, g.m),
      start: g.start,
      end: g.start + g.size,
    }));
    order.sort((a, b) => b.tier - a.tier || b.exact - a.exact || b.bound - a.bound);

    const out = new RankedList(partial ? candidates.length : full);
    out.partial = partial;
    out.slotNames = qp.slotNames;
    const best = new BestKept(need === Infinity ? Infinity : need);
    const prune = this.options.fastPaths !== false && need !== Infinity;
    const positions = qp.slots.length > 1;
    let stopped = false;
    for (const g of order) {
      if (!stopped && prune && best.full && !best.beats(g.tier, g.exact, g.bound)) stopped = true;
      if (stopped) {
        for (let k = g.start; k < g.end; k++) out.push(candidates[members[k]!]!, g.tier, g.exact, 0, masks[members[k]!]!);
        continue;
      }
      for (const p of qp.plans) this.resetCursors(p);
      for (let k = g.start; k < g.end; k++) {
        const i = members[k]!;
        const n = candidates[i]!;
        // Once the page is full, a paragraph is first scored without positions (no text scan for
        // terms whose counts the postings carry) plus the most proximity could add: when even
        // that ranks below the worst kept, it is left unscored (score 0, as a pruned group's).
        if (prune && positions && best.full) {
          const bound = (this.scoreParagraph(qp, n, masks[i]!, false) + PROXIMITY_BOOST * this.kindWeights[n]!) * (1 + 1e-12);
          if (best.below(g.tier, g.exact, bound)) {
            out.push(n, g.tier, g.exact, 0, masks[i]!);
            continue;
          }
        }
        const score = this.scoreParagraph(qp, n, masks[i]!, positions);
        out.push(n, g.tier, g.exact, score, masks[i]!);
        if (prune) best.add(g.tier, g.exact, score);
      }
    }
    return out;
  }

  /** Question ranking's per paragraph and per unit tables (unitTables), made on first use. */
  private units2: UnitTables | null = null;

  /**
   * Questions: BM25F over clause units (a law's article with its items and later paragraphs, a
   * notice's clause), term at a time. A question's words are spread over an article's paragraphs,
   * so the article is the unit that answers it; each of its paragraphs is then ranked by the
   * unit's score and its own share of the question, and the page shows the best paragraph of a
   * unit first (diversify.ts). Every candidate is scored exactly: a pass over each term's postings
   * with typed arrays, no per-paragraph text scan except counting terms longer than a gram pair.
   */
  private rankByUnits(qp: QueryPlan, candidates: Uint32Array, ok: ((n: number) => boolean) | null): RankedList {
    const { slotMask, docOf } = this;
    const u = this.unitTables();
    const { head: headOf, kindWeight, prior } = u;
    const { tf: tfU, score: scoreU, mask: maskU, stamp } = u;
    // The units of the candidates, each once, with the slots they match (text, context, document).
    let unitCount = 0;
    const heads = u.heads;
    for (let i = 0; i < candidates.length; i++) {
      const n = candidates[i]!;
      const h = headOf[n]!;
      if (stamp[h] === -1) {
        stamp[h] = -2;
        heads[unitCount++] = h;
        maskU[h] = qp.docBits[docOf[h]!]!;
      }
      maskU[h] = (maskU[h]! | slotMask[n]!) >>> 0;
    }
    const bitIdf = new Float64Array(32);
    qp.slots.forEach((s, i) => (bitIdf[31 - Math.clz32(s[0]!.bit)] = qp.slotIdf[i]!));
    const idfOfMask = (m: number) => {
      let sum = 0;
      for (; m !== 0; m &= m - 1) sum += bitIdf[31 - Math.clz32(m & -m)]!;
      return sum;
    };
    try {
      qp.plans.forEach((p, pi) => {
        if (p.bit) this.addTermToUnits(p, pi, unitCount);
      });
      // Each unit's score with its coverage; which units are full matches (stamp -3).
      let full = 0;
      for (let i = 0; i < unitCount; i++) {
        const h = heads[i]!;
        scoreU[h] = scoreU[h]! + coverage(idfOfMask(maskU[h]!), qp.totalIdf);
        if (this.isFull(qp, maskU[h]!)) {
          stamp[h] = -3;
          full++;
        } else stamp[h] = -2;
      }
      // Every candidate paragraph of a qualifying unit: the unit's score and its own share.
      const partial = full === 0;
      const out = new RankedList(partial ? candidates.length : Math.min(candidates.length, 1024));
      out.partial = partial;
      out.slotNames = qp.slotNames;
      const share = qp.totalIdf ? OWN_SHARE / qp.totalIdf : 0;
      const nationwide = qp.namesPlace ? null : prior;
      for (let i = 0; i < candidates.length; i++) {
        const n = candidates[i]!;
        const h = headOf[n]!;
        if (!partial && stamp[h] !== -3) continue;
        if (ok && !ok(n)) continue;
        const d = docOf[n]!;
        const own = (slotMask[n]! | qp.docBits[d]!) >>> 0;
        let score = (scoreU[h]! + share * idfOfMask(own)) * kindWeight[n]!;
        if (nationwide) score *= nationwide[d]!;
        out.push(n, 0, 0, score, own);
      }
      return out;
    } finally {
      for (let i = 0; i < unitCount; i++) {
        const h = heads[i]!;
        stamp[h] = -1;
        scoreU[h] = 0;
        maskU[h] = 0;
        tfU[h] = 0;
      }
    }
  }

  /**
   * One term's BM25F contribution to the candidate units (stamped >= -3 by rankByUnits): its
   * occurrences in their text (whole-word ones above those inside longer words), once its heading
   * context, and the document's title and metadata. A term that does not generate candidates
   * (COMMON_SHARE) also records its slot on the units and paragraphs it reaches.
   */
  private addTermToUnits(p: TermPlan, pi: number, unitCount: number): void {
    const ix = this.built.index;
    const { slotMask, exactMask, docOf } = this;
    const u = this.unitTables();
    const { head: headOf, norm: normU, isUnit, tf: tfU, score: scoreU, mask: maskU, stamp, touched, heads } = u;
    const scoresOnly = !p.generates;
    let touchedCount = 0;
    const list = p.exact.list;
    const tfs = p.exact.tfs;
    const whole = p.whole[0]!.list;
    const norm = p.term.norm;
    let w = 0;
    for (let i = 0; i < list.length; i++) {
      const n = list[i]!;
      const h = headOf[n]!;
      const st = stamp[h]!;
      if (st === -1) continue;
      if (scoresOnly) {
        maskU[h] = (maskU[h]! | p.bit) >>> 0;
        if (slotMask[n] !== 0) {
          slotMask[n] = (slotMask[n]! | p.bit) >>> 0;
          exactMask[n] = (exactMask[n]! | p.bit) >>> 0;
        }
      }
      let tf = tfs ? tfs[i]! : 255;
      if (tf === 255) tf = countIn(ix.normalized[n]!, norm);
      while (w < whole.length && whole[w]! < n) w++;
      if (w >= whole.length || whole[w] !== n) tf *= PARTIAL_WORD_WEIGHT;
      if (st !== pi) {
        stamp[h] = pi;
        tfU[h] = tf;
        touched[touchedCount++] = h;
      } else tfU[h] = tfU[h]! + tf;
    }
    // Heading context: the ranges its headings enclose, a unit at a time, counted once per unit.
    if (p.contextHeads) {
      const ctx = FIELD_WEIGHT.context;
      forEachEnclosedRange(p.contextHeads, this.scopeEnds(), (from, to) => {
        for (let n = from; n < to; ) {
          const h = headOf[n]!;
          n = isUnit[n] ? Math.max(n + 1, this.scopeEnds()[h]!) : n + 1;
          const st = stamp[h]!;
          if (st === -1) continue;
          if (scoresOnly) maskU[h] = (maskU[h]! | p.bit) >>> 0;
          if (st !== pi) {
            stamp[h] = pi;
            tfU[h] = ctx;
            touched[touchedCount++] = h;
          } else if (tfU[h]! < ctx) tfU[h] = tfU[h]! + ctx;
        }
      });
    }
    const idf = p.simple ? p.idfs[0]! : Math.max(...p.idfs);
    const titled = p.titled;
    const meta = p.meta;
    const weight = p.weight;
    for (let i = 0; i < touchedCount; i++) {
      const h = touched[i]!;
      const d = docOf[h]!;
      scoreU[h] = scoreU[h]! + weight * (bm25(tfU[h]! + (titled[d] ? FIELD_WEIGHT.title : 0), idf, normU[h]!) + meta[d]!);
    }
    // Units that match the term only through their document (title, region, year).
    if (p.namesDocuments) {
      for (let i = 0; i < unitCount; i++) {
        const h = heads[i]!;
        if (stamp[h] === pi) continue;
        const d = docOf[h]!;
        if (titled[d]) scoreU[h] = scoreU[h]! + weight * bm25(FIELD_WEIGHT.title, idf, normU[h]!);
        scoreU[h] = scoreU[h]! + weight * meta[d]!;
      }
    }
    // Back to "a candidate unit" for the next term.
    for (let i = 0; i < touchedCount; i++) stamp[touched[i]!] = -2;
  }

  /** Per paragraph and per unit tables of question ranking, built on first use. */
  private unitTables(): UnitTables {
    if (this.units2) return this.units2;
    const size = this.built.refs.length;
    const units = this.clauseUnits();
    const head = Uint32Array.from(units, (x, n) => (x >= 0 ? x : n));
    const isUnit = Uint8Array.from(units, (x) => (x >= 0 ? 1 : 0));
    const counts = this.built.index.wordCounts;
    const len = new Float64Array(size);
    let unitCount = 0;
    let sum = 0;
    for (let n = 0; n < size; n++) {
      const h = head[n]!;
      if (h === n) unitCount++;
      len[h] = len[h]! + counts[n]!;
      sum += counts[n]!;
    }
    const avg = unitCount ? sum / unitCount : 1;
    const norm = new Float64Array(size);
    for (let n = 0; n < size; n++) if (head[n] === n) norm[n] = lengthNorm(len[n]!, avg);
    const kinds = this.built.kinds;
    const kindWeight = Float64Array.from({ length: size }, (_, n) => KIND_WEIGHT[kinds[n]!] ?? 1);
    const cited = citedBy(this.facts.map((f) => f.title), this.built.index.normalized, this.built.docStart);
    let maxCited = 1;
    for (const c of cited) if (c > maxCited) maxCited = c;
    const prior = Float64Array.from(this.facts, (f, d) => (!f.province && !f.region && !f.city ? NATIONWIDE_PRIOR : 1) * (1 + CITATION_PRIOR * Math.log1p(cited[d]!) / Math.log1p(maxCited)));
    return (this.units2 = {
      head,
      isUnit,
      norm,
      kindWeight,
      prior,
      tf: new Float64Array(size),
      score: new Float64Array(size),
      mask: new Uint32Array(size),
      stamp: new Int32Array(size).fill(-1),
      touched: new Uint32Array(size),
      heads: new Uint32Array(size),
    });
  }

  private resetCursors(p: TermPlan): void {
    p.exact.reset();
    p.loose?.reset();
    p.context?.reset();
    for (const c of p.whole) c.reset();
  }

  /**
   * The score of paragraph n matching slots m: per slot the best of its terms' BM25F, plus
   * proximity of the slots found in the text, plus (questions) coverage, times the kind weight.
   * Paragraphs of one call to this function must come in ascending order within a group (the
   * cursors only move forward).
   */
  private scoreParagraph(qp: QueryPlan, n: number, m: number, positions = true): number {
    const text = this.built.index.normalized[n]!;
    const doc = this.docOf[n]!;
    const norm = this.norms[n]!;
    let score = 0;
    let matchedIdf = 0;
    let first = Infinity;
    let last = -1;
    let inTextSlots = 0;
    for (let si = 0; si < qp.slots.length; si++) {
      const plans = qp.slots[si]!;
      if ((plans[0]!.bit & m) === 0) continue;
      let best = 0;
      let pos = -1;
      for (const p of plans) {
        const s = this.termScore(p, n, text, doc, norm, positions);
        if (s > best) best = s;
        const at = this.termAt;
        if (at !== -1 && (pos === -1 || at < pos)) pos = at;
      }
      score += best;
      matchedIdf += qp.slotIdf[si]!;
      if (pos !== -1) {
        inTextSlots++;
        if (pos < first) first = pos;
        if (pos > last) last = pos;
      }
    }
    if (inTextSlots > 1) score += proximity(last - first);
    if (qp.question) score += coverage(matchedIdf, qp.totalIdf);
    return score * this.kindWeights[n]!;
  }

  /**
   * One term's BM25F in paragraph n: each of its words' frequency in the text (whole-word
   * occurrences above occurrences inside longer words) plus the context and title fields, and
   * the phrase and metadata boosts. `at`: where the term (or its first word) occurs, or -1.
   */
  private termScore(p: TermPlan, n: number, text: string, doc: number, norm: number, positions: boolean): number {
    const inBody = p.exact.seek(n);
    const inLoose = !inBody && p.loose !== null && p.loose.seek(n);
    const field = (p.context?.seek(n) ? FIELD_WEIGHT.context : 0) + (p.titled[doc] ? FIELD_WEIGHT.title : 0);
    let score = p.meta[doc]!;
    let at = -1;
    if (p.simple) {
      let tf = 0;
      if (inBody) {
        tf = p.exact.tf();
        // The position serves proximity only (queries of several slots); finding it is a scan.
        if (positions || tf < 0) at = text.indexOf(p.term.norm);
        if (tf < 0) tf = countIn(text, p.term.norm, at);
        if (!p.whole[0]!.seek(n)) tf *= PARTIAL_WORD_WEIGHT;
      }
      score += bm25(tf + field, p.idfs[0]!, norm);
      this.termAt = at;
      return score;
    }
    const inText = inBody || inLoose;
    if (inBody) at = text.indexOf(p.term.norm);
    for (let wi = 0; wi < p.words.length; wi++) {
      const w = p.words[wi]!;
      let tf = 0;
      if (inText) {
        const from = text.indexOf(w);
        if (from !== -1) {
          tf = countIn(text, w, from);
          if (at === -1) at = from;
          if (!p.whole[wi]!.seek(n)) tf *= PARTIAL_WORD_WEIGHT;
        }
      }
      score += bm25(tf + field, p.idfs[wi]!, norm);
    }
    if (inBody) score += p.phraseBonus;
    this.termAt = at;
    return score;
  }

  /** Where the term last scored by termScore occurs in the text, or -1 (its second result, without an allocation). */
  private termAt = -1;

  /** Needles to highlight, one group per term: the whole term first, else its words. */
  highlightGroups(q: ParsedQuery): string[][][] {
    const groups = [...q.clauses.flat(), ...q.optional]
      .filter((t) => !t.field)
      .map((t) => {
        let words = t.phrase ? [] : wordsOfNormalized(t.norm).map((w) => w.text);
        if (!t.phrase && words.length === 1) words = subWords(words[0]!);
        return words.length > 0 ? [[t.norm], words] : [[t.norm]];
      });
    // The law's words searched for a question's word (他人 for 别人) are marked where they matched.
    for (const t of q.optional) for (const alt of t.alternatives ?? []) groups.push([[alt]]);
    return groups;
  }

  /** The documents a query names by 文号 (each is shown once in a page of results). */
  namedDocuments(q: ParsedQuery): Set<number> {
    const out = new Set<number>();
    for (const t of [...q.clauses.flat(), ...q.optional]) {
      if (t.phrase || t.field || !/号$/u.test(t.norm)) continue;
      for (const d of this.docsByName.get(t.norm) ?? []) if (this.facts[d]!.docNumber === t.norm) out.add(d);
    }
    return out;
  }

  /** The clause unit of paragraph n (context.ts clauseUnits), or -1. */
  unitOf(n: number): number {
    return this.clauseUnits()[n]!;
  }

  /** The document of paragraph n. */
  documentOf(n: number): number {
    return this.docOf[n]!;
  }
}

/** Exposed for tests of the scoring bounds. */
export const SCORING = { COVERAGE_BOOST, PROXIMITY_BOOST, MAX_KIND_WEIGHT, FIELD_WEIGHT, PARTIAL_WORD_WEIGHT } as const;
