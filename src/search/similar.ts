/**
 * Parallel clauses (其他地区的相似条款): for one paragraph, the clauses of other documents that
 * address the same task — how another county worded it — and only those: a hit must reach a
 * minimum score (SIMILAR_MIN_SCORE, SIMILAR_MORE_MIN_SCORE), so a clause without parallels gets
 * few hits or none, never padding.
 *
 * Four signals, each 0–1, combined linearly (SIMILARITY_WEIGHTS):
 * - words: cosine of tf-idf vectors over the shared analyzer's jieba words, so rare terms
 *   (权责清单, 双随机) count far more than common ones (公开, 政府); the words of the clause's
 *   heading sentence count LEAD_WORD_BOOST times, as they name its task;
 * - grams: cosine of idf-weighted sets of character bigrams inside runs of letters and digits —
 *   robust to jieba cutting the same phrase differently (权力配置 vs 权力/配置) and to rephrasing
 *   that keeps most characters; weighting by rarity keeps 政务/公开 from counting like 权责;
 * - sentences: the clauses compared sentence by sentence: each sentence of one is matched to the
 *   most alike sentence of the other (idf-weighted bigram cosine), the matches averaged by the
 *   sentences' weight, and the better of the two directions kept. A short task-table row whose
 *   sentence reappears in a long clause, or a clause bundling five tasks whose one sentence is
 *   the parallel, scores high here while whole-text cosines dilute it;
 * - heading: how alike the clauses' own heading sentences are (`加强权力配置信息公开。`), plus
 *   their enclosing section headings (idf-weighted bigram cosines).
 * Each signal compares the clause's topical wording: its label, its trailing （责任单位：…）
 * and, in a task table, its unit and deadline columns are left out, since every county names
 * its own units and dates.
 *
 * Retrieval is two-stage so a request stays cheap on a large corpus: the source's rarest words
 * are looked up in the index's word postings (at most MAX_SOURCE_TERMS words and
 * MAX_POSTINGS_SCANNED postings) and accumulate idf² per paragraph; the best RERANK_MIN (or
 * 5 × limit) candidates are then scored exactly. Per-paragraph features (word and bigram vectors,
 * per sentence too) are computed on first use and memoized, so repeated requests reuse them.
 */
import { wordsOfNormalized } from '../analysis/analyzer.js';
import { normalizeForMatch } from '../analysis/normalize.js';
import type { Paragraph, ParagraphKind } from '../domain/types.js';
import type { BuiltIndex } from '../indexing/build.js';

/** How the four signals add up to the score; they sum to 1, so the score stays in 0–1. */
export const SIMILARITY_WEIGHTS = { words: 0.35, grams: 0.15, sentences: 0.35, heading: 0.15 } as const;
export type SimilarityWeights = { readonly [K in keyof typeof SIMILARITY_WEIGHTS]: number };
/** Heading similarity: the clause's own heading sentence counts more than its section heading. */
const HEADING_WEIGHTS = { lead: 0.7, section: 0.3 } as const;
/** Weight of a heading-sentence word relative to the same word in the body. */
const LEAD_WORD_BOOST = 2;
/**
 * Which hits are shown: any hit scoring SIMILAR_MORE_MIN_SCORE or more; and, from a parallel
 * document (document affinity at least PARALLEL_DOCUMENT_MIN_AFFINITY: another county's notice
 * of the same kind), its closest clause from SIMILAR_MIN_SCORE on. Calibrated on the judged
 * parallel clauses of the seed notices (test/fixtures/parallel-clauses.json): two notices'
 * versions of one task are often worded far apart, so the closest clause of a parallel notice is
 * kept down to 0.08; a second clause of that notice, or a clause of an unrelated document, that
 * low nearly always only shares the vocabulary every notice uses (政务公开, 信息公开, 政府网站).
 * test/search/similar.test.ts prints the recall and precision these give on the judged set.
 */
export const SIMILAR_MIN_SCORE = 0.08;
export const SIMILAR_MORE_MIN_SCORE = 0.2;
/**
 * Document affinity (cosine of the two documents' idf-weighted bigram profiles) from which two
 * documents are parallel. The seed notices pair at 0.25–0.62; in the 60 Shanghai notices of
 * notices-dev, unrelated documents pair at 0.07 (median; 0.13 at the 90th percentile) and the
 * district versions of one regulation at 0.21–0.81.
 */
export const PARALLEL_DOCUMENT_MIN_AFFINITY = 0.2;
/** Document profiles kept before the cache is dropped (a profile is ~10k bigrams). */
const PROFILE_CACHE_LIMIT = 256;

/** Most source words looked up in the postings (the rarest first, words found nowhere else skipped). */
const MAX_SOURCE_TERMS = 64;
/** Stop looking up further source words once this many postings were read. */
const MAX_POSTINGS_SCANNED = 60_000;
/**
 * A word in more than this share of the paragraphs (but at least MIN_COMMON_DF, and at most
 * MAX_WORD_POSTINGS paragraphs) is common: it gathers candidates only while fewer than
 * MIN_GATHER_WORDS words have.
 */
const COMMON_WORD_SHARE = 0.3;
const MIN_COMMON_DF = 50;
const MAX_WORD_POSTINGS = 5_000;
const MIN_GATHER_WORDS = 4;
/** Most hits per request unless asked otherwise, and the most one request may ask for. */
export const DEFAULT_SIMILAR_LIMIT = 10;
export const MAX_SIMILAR_LIMIT = 50;
/** Candidates scored exactly: at least this many, or 5 × limit. */
const RERANK_MIN = 60;
/**
 * The second, third… hit from one document has its score multiplied by this once, twice…, so
 * the parallel clause of another region is not pushed off the list by near-duplicates within
 * one document (a work plan and its own task table).
 */
export const SAME_DOCUMENT_DECAY = 0.8;
/** Shared terms shown per hit. */
const MAX_SHARED_TERMS = 8;
/** Shortest paragraph (normalized characters) that can be a candidate. */
const MIN_BODY_CHARS = 12;
/** A heading sentence longer than this is body text, not a heading. */
const MAX_LEAD_CHARS = 40;
/** A sentence with fewer bigrams than this is folded into the next one (`一是`, `2020年底前`). */
const MIN_SENTENCE_BIGRAMS = 4;
/**
 * Memoized paragraph features kept before the cache is dropped: bounds memory on a large corpus
 * (a few kB per paragraph); a seed-sized corpus never reaches it.
 */
const FEATURE_CACHE_LIMIT = 30_000;

/** Table columns that name units, dates or row numbers rather than the task itself. */
const NON_TOPICAL_COLUMN = /序号|编号|责任|牵头|配合|单位|部门|时间|时限|期限|完成|进度|备注/u;
/** A trailing responsible-units parenthetical: （责任单位：…） / (牵头单位:…). */
const UNITS_NOTE = /[（(]\s*(?:责任单位|牵头单位|责任部门|牵头部门|配合单位)\s*[:：]/gu;
const WORDLIKE_RUN = /[\p{L}\p{N}]+/gu;
/** Sentence ends in normalized text (NFKC has folded ；！？ to ;!?). */
const SENTENCE_END = /[。;!?]/u;
/** Gram keys as the index spells them (analyzer.ts `gramKey`): (first + 1) · 2^21 + second. */
const BIGRAM_BASE = 0x200000;

/** The four signals behind a score, each 0–1 (before SAME_DOCUMENT_DECAY). */
export interface SimilarityParts {
  words: number;
  grams: number;
  sentences: number;
  heading: number;
}

/**
 * One scored parallel clause: its paragraph number, score (0–1, after SAME_DOCUMENT_DECAY), the
 * signals behind it, and the shared key terms.
 */
export interface SimilarMatch {
  n: number;
  score: number;
  parts: SimilarityParts;
  /** Whether this is the clause of its document most similar to the source. */
  bestInDocument: boolean;
  /** Whether the two documents are parallel (see PARALLEL_DOCUMENT_MIN_AFFINITY). */
  parallelDocument: boolean;
  /**
   * Shared jieba words, the most telling first: by the product of their tf-idf weights in the two
   * texts (so words of both heading sentences lead), times √(word length) so 权责清单 goes before
   * 清单; words in more than COMMON_WORD_SHARE of the paragraphs only when no other is shared.
   */
  sharedTerms: string[];
}

/** Sorted distinct keys with a weight each, and the vector's Euclidean norm. */
export interface WeightedKeys {
  keys: Float64Array;
  weights: Float64Array;
  norm: number;
}

interface ClauseFeatures {
  /** word → tf-idf weight (heading-sentence words boosted). */
  words: Map<string, number>;
  wordNorm: number;
  grams: WeightedKeys;
  /** The body's sentences, each an idf-weighted bigram set; `mass` is the sum of its weights. */
  sentences: Array<WeightedKeys & { mass: number }>;
  lead: WeightedKeys;
  section: WeightedKeys;
}

/** Options of a ClauseSimilarity: the defaults are the calibrated ones. */
export interface ClauseSimilarityOptions {
  weights?: SimilarityWeights;
  /** The closest clause of a parallel document is shown from this score on (SIMILAR_MIN_SCORE)… */
  minScore?: number;
  /** …any other hit from this one (default SIMILAR_MORE_MIN_SCORE). */
  moreMinScore?: number;
}

/**
 * Whether a paragraph can be offered as a parallel clause: clauses, table rows, body text (with
 * punctuation: a letterhead line such as XX人民政府办公室文件 has none), and headings that carry
 * body text after their heading sentence — at least MIN_BODY_CHARS long. Titles, 文号,
 * addressees, signatures, 版记, attachment lines, table headers and bare 责任单位 lines are not.
 * `norm` is the paragraph's normalized text (normalize.ts).
 */
export function isClauseLikeText(kind: ParagraphKind, norm: string): boolean {
  if (norm.length < MIN_BODY_CHARS) return false;
  switch (kind) {
    case 'clause':
    case 'table-row':
      return true;
    case 'text':
      return /[,。;:]/u.test(norm);
    case 'heading': {
      const end = norm.search(/[。;]/u);
      return end !== -1 && Array.from(norm.slice(end + 1)).length >= 8;
    }
    default:
      return false;
  }
}

/** `isClauseLikeText` for a paragraph as stored. */
export function isClauseLike(p: Paragraph): boolean {
  return isClauseLikeText(p.kind, normalizeForMatch(p.text));
}

function stripLabel(text: string, label: string | null): string {
  return label && text.startsWith(label) ? text.slice(label.length).trimStart() : text;
}

/** Cuts a trailing （责任单位：…） note when it runs to the end of the paragraph. */
function stripUnitsNote(text: string): string {
  let last = -1;
  for (const m of text.matchAll(UNITS_NOTE)) last = m.index;
  if (last <= 0) return text;
  const tail = text.slice(last).trimEnd();
  return /[)）]$/u.test(tail) ? text.slice(0, last) : text;
}

/**
 * The topical wording of a paragraph: without its own label and its trailing 责任单位 note; for a
 * table row, only the columns whose header is not a unit, date or number column (without a
 * header: every cell but a leading row number).
 */
export function clauseBody(p: Paragraph, tableHeader: readonly string[] | null): string {
  if (p.kind === 'table-row') {
    const cells = p.text.split('\t');
    if (tableHeader && tableHeader.length === cells.length) {
      const kept = cells.filter((_, i) => !NON_TOPICAL_COLUMN.test(tableHeader[i]!));
      if (kept.length) return kept.join('。');
    }
    const first = cells[0]!.trim();
    const rest = first === p.label || /^\d+$/u.test(first) ? cells.slice(1) : cells;
    return rest.join('。');
  }
  return stripUnitsNote(stripLabel(p.text, p.label));
}

/** The clause's heading sentence (`加强权力配置信息公开`), or '' when it has none. */
function leadSentence(body: string): string {
  const end = body.search(/[。；;：:]/u);
  if (end <= 0) return '';
  const lead = body.slice(0, end);
  // A one-sentence clause has no heading: its only sentence is its body.
  const rest = body.slice(end + 1).match(WORDLIKE_RUN)?.join('') ?? '';
  return [...lead].length <= MAX_LEAD_CHARS && [...rest].length >= MIN_BODY_CHARS ? lead : '';
}

/** The distinct bigram keys inside runs of letters and digits of normalized text, in no order. */
function bigramKeys(norm: string): Set<number> {
  const keys = new Set<number>();
  for (const run of norm.match(WORDLIKE_RUN) ?? []) {
    let prev = -1;
    for (const ch of run) {
      const cp = ch.codePointAt(0)!;
      if (prev !== -1) keys.add((prev + 1) * BIGRAM_BASE + cp);
      prev = cp;
    }
  }
  return keys;
}

/** A weighted key vector from distinct keys and a weight function. */
export function weightedVector(keys: Iterable<number>, weightOf: (key: number) => number): WeightedKeys {
  const sorted = Float64Array.from(keys).sort();
  const weights = new Float64Array(sorted.length);
  let sq = 0;
  for (let i = 0; i < sorted.length; i++) {
    const w = weightOf(sorted[i]!);
    weights[i] = w;
    sq += w * w;
  }
  return { keys: sorted, weights, norm: Math.sqrt(sq) };
}

/** Cosine of two weighted key vectors (0 when either is empty). */
export function weightedCosine(a: WeightedKeys, b: WeightedKeys): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  let dot = 0;
  for (let i = 0, j = 0; i < a.keys.length && j < b.keys.length; ) {
    const x = a.keys[i]!;
    const y = b.keys[j]!;
    if (x === y) dot += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return Math.min(1, dot / (a.norm * b.norm));
}

/**
 * Sentence alignment of two texts given as weighted sentences: each sentence of `from` is matched
 * to its most alike sentence of `to` (cosine), and the matches are averaged, each weighted by its
 * sentence's mass. 1 when every sentence of `from` reappears in `to`.
 */
export function alignSentences(from: ReadonlyArray<WeightedKeys & { mass: number }>, to: readonly WeightedKeys[]): number {
  let sum = 0;
  let mass = 0;
  for (const s of from) {
    let best = 0;
    for (const t of to) best = Math.max(best, weightedCosine(s, t));
    sum += s.mass * best;
    mass += s.mass;
  }
  return mass > 0 ? sum / mass : 0;
}

/**
 * The sentences of a normalized text, split at 。；！？; a piece with fewer than
 * MIN_SENTENCE_BIGRAMS bigrams is joined to the next (or, at the end, to the previous), after a
 * space so that no bigram spans the join.
 */
export function splitSentences(norm: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const piece of norm.split(SENTENCE_END)) {
    if (!piece) continue;
    pending = pending ? `${pending} ${piece}` : piece;
    if (bigramKeys(pending).size >= MIN_SENTENCE_BIGRAMS) {
      out.push(pending);
      pending = '';
    }
  }
  if (pending && bigramKeys(pending).size > 0) {
    if (out.length) out[out.length - 1] += ` ${pending}`;
    else out.push(pending);
  }
  return out;
}

/** A shared word worth showing: two or more characters, not a bare number. */
function isKeyTerm(word: string): boolean {
  return Array.from(word).length >= 2 && !/^\d+$/u.test(word);
}

/**
 * The parallel-clause finder over one built index. Construction is cheap (one pass over the
 * paragraphs' kinds and normalized texts); features are computed on first use and memoized.
 * Results depend only on the index: the same paragraph always gets the same hits.
 */
export class ClauseSimilarity {
  private readonly candidate: Uint8Array;
  private readonly features = new Map<number, ClauseFeatures>();
  private readonly idfs = new Map<string, number>();
  private readonly gramIdfs = new Map<number, number>();
  private readonly profiles = new Map<number, WeightedKeys>();
  private readonly affinities = new Map<string, number>();
  /** Per-paragraph score accumulator of `gather`, reused (zeroed after each request). */
  private acc: Float64Array | null = null;
  private readonly weights: SimilarityWeights;
  private readonly minScore: number;
  private readonly moreMinScore: number;

  /** Reads only the index's kinds and normalized texts: no document is parsed here. */
  constructor(
    private readonly built: BuiltIndex,
    options: ClauseSimilarityOptions = {},
  ) {
    const { kinds, index } = built;
    this.weights = options.weights ?? SIMILARITY_WEIGHTS;
    this.minScore = options.minScore ?? SIMILAR_MIN_SCORE;
    this.moreMinScore = Math.max(this.minScore, options.moreMinScore ?? SIMILAR_MORE_MIN_SCORE);
    this.candidate = new Uint8Array(built.refs.length);
    for (let n = 0; n < this.candidate.length; n++) this.candidate[n] = isClauseLikeText(kinds[n]!, index.normalized[n]!) ? 1 : 0;
  }

  /** Whether paragraph `n` can appear as a parallel clause. */
  isCandidate(n: number): boolean {
    return this.candidate[n] === 1;
  }

  /** Inverse document frequency of a word over all paragraphs: ln(1 + N / df). */
  private idf(word: string): number {
    let v = this.idfs.get(word);
    if (v === undefined) {
      const df = Math.max(1, this.built.index.postings(word).length);
      v = Math.log(1 + this.built.refs.length / df);
      this.idfs.set(word, v);
    }
    return v;
  }

  /** Inverse document frequency of a bigram over all paragraphs, from the exact-match postings. */
  private gramIdf(key: number): number {
    let v = this.gramIdfs.get(key);
    if (v === undefined) {
      const df = Math.max(1, this.built.index.grams.list(key).length);
      v = Math.log(1 + this.built.refs.length / df);
      if (this.gramIdfs.size >= FEATURE_CACHE_LIMIT * 4) this.gramIdfs.clear();
      this.gramIdfs.set(key, v);
    }
    return v;
  }

  private gramVector(norm: string): WeightedKeys {
    return weightedVector(bigramKeys(norm), (k) => this.gramIdf(k));
  }

  private paragraph(n: number): Paragraph {
    return this.built.paragraph(n);
  }

  /** The cells of the table header above table row `n` in its document, if any. */
  private tableHeaderOf(n: number): string[] | null {
    const ref = this.built.refs[n]!;
    const first = this.built.docStart[ref.doc]!;
    for (let m = n - 1; m >= first; m--) {
      const kind = this.built.kinds[m]!;
      if (kind === 'table-header') return this.paragraph(m).text.split('\t').map((c) => c.trim());
      if (kind !== 'table-row') return null;
    }
    return null;
  }

  private featuresOf(n: number): ClauseFeatures {
    const cached = this.features.get(n);
    if (cached) return cached;
    const p = this.paragraph(n);
    const body = clauseBody(p, p.kind === 'table-row' ? this.tableHeaderOf(n) : null);
    const norm = normalizeForMatch(body);
    const leadNorm = normalizeForMatch(leadSentence(body));
    const tf = new Map<string, number>();
    for (const t of wordsOfNormalized(norm)) tf.set(t.text, (tf.get(t.text) ?? 0) + 1);
    const leadWords = new Set(leadNorm ? wordsOfNormalized(leadNorm).map((t) => t.text) : []);
    const words = new Map<string, number>();
    let sq = 0;
    for (const [word, count] of tf) {
      const w = (1 + Math.log(count)) * this.idf(word) * (leadWords.has(word) ? LEAD_WORD_BOOST : 1);
      words.set(word, w);
      sq += w * w;
    }
    const sentences = splitSentences(norm).map((s) => {
      const v = this.gramVector(s);
      let mass = 0;
      for (const w of v.weights) mass += w;
      return { ...v, mass };
    });
    const nearest = p.section.at(-1) ?? '';
    const f: ClauseFeatures = {
      words,
      wordNorm: Math.sqrt(sq),
      grams: this.gramVector(norm),
      sentences,
      lead: this.gramVector(leadNorm),
      section: this.gramVector(normalizeForMatch(stripLabel(nearest, p.sectionLabels.at(-1) ?? null))),
    };
    if (this.features.size >= FEATURE_CACHE_LIMIT) this.features.clear();
    this.features.set(n, f);
    return f;
  }

  /**
   * Candidates for source `n` from the word postings: each clause of another document that
   * shares one of the source's rarest words, scored by the idf² it shares over √length. Words
   * found in no other paragraph are skipped; common words (in more than COMMON_WORD_SHARE of the
   * paragraphs, or more than MAX_WORD_POSTINGS) only when fewer than MIN_GATHER_WORDS rarer ones
   * exist; reading stops after MAX_POSTINGS_SCANNED postings.
   */
  private gather(n: number, f: ClauseFeatures, keep: number): number[] {
    const total = this.built.refs.length;
    const srcDoc = this.built.refs[n]!.doc;
    const words = [...f.words.keys()].map((w) => ({ w, idf: this.idf(w) })).sort((a, b) => b.idf - a.idf || (a.w < b.w ? -1 : 1));
    const maxDf = Math.min(MAX_WORD_POSTINGS, Math.max(MIN_COMMON_DF, total * COMMON_WORD_SHARE));
    this.acc ??= new Float64Array(total);
    const acc = this.acc;
    const touched: number[] = [];
    let used = 0;
    let scanned = 0;
    for (const { w, idf } of words) {
      if (used >= MAX_SOURCE_TERMS || scanned >= MAX_POSTINGS_SCANNED) break;
      const postings = this.built.index.postings(w);
      if (postings.length <= 1) continue; // only in the source itself
      if (postings.length > maxDf && used >= MIN_GATHER_WORDS) break; // the rest are common words
      scanned += postings.length;
      used++;
      const gain = idf * idf;
      for (const m of postings) {
        if (!this.candidate[m] || this.built.refs[m]!.doc === srcDoc) continue;
        if (acc[m] === 0) touched.push(m);
        acc[m]! += gain;
      }
    }
    const counts = this.built.index.wordCounts;
    const best = new BoundedBest(keep);
    for (const m of touched) {
      best.offer(m, acc[m]! / Math.sqrt(Math.max(counts[m] ?? 0, 10)));
      acc[m] = 0; // leave the accumulator clean for the next request
    }
    return best.items();
  }

  /** The four signals of two clauses' features (symmetric in f and g), and their shared words. */
  private partsOf(f: ClauseFeatures, g: ClauseFeatures): { parts: SimilarityParts; shared: Array<{ word: string; w: number }> } {
    let dot = 0;
    const shared: Array<{ word: string; w: number }> = [];
    const [small, large] = f.words.size <= g.words.size ? [f.words, g.words] : [g.words, f.words];
    for (const [word, w1] of small) {
      const w2 = large.get(word);
      if (w2 === undefined) continue;
      dot += w1 * w2;
      shared.push({ word, w: w1 * w2 * Math.sqrt(Array.from(word).length) }); // see SimilarMatch
    }
    const parts: SimilarityParts = {
      words: f.wordNorm && g.wordNorm ? Math.min(1, dot / (f.wordNorm * g.wordNorm)) : 0,
      grams: weightedCosine(f.grams, g.grams),
      sentences: Math.max(alignSentences(f.sentences, g.sentences), alignSentences(g.sentences, f.sentences)),
      heading: HEADING_WEIGHTS.lead * weightedCosine(f.lead, g.lead) + HEADING_WEIGHTS.section * weightedCosine(f.section, g.section),
    };
    return { parts, shared };
  }

  /** The exact score of candidate `m` against source features `f`, with the shared terms. */
  private score(f: ClauseFeatures, m: number): SimilarMatch | null {
    const { parts, shared } = this.partsOf(f, this.featuresOf(m));
    const keyTerms = shared.filter((s) => isKeyTerm(s.word)).sort((a, b) => b.w - a.w || (a.word < b.word ? -1 : 1));
    if (keyTerms.length === 0) return null;
    // Words in a large share of the paragraphs (工作, 公开) explain nothing: named only when alone.
    const commonDf = this.built.refs.length * COMMON_WORD_SHARE;
    const telling = keyTerms.filter((s) => this.built.index.postings(s.word).length <= commonDf);
    const sharedTerms = (telling.length ? telling : keyTerms).slice(0, MAX_SHARED_TERMS).map((s) => s.word);
    return { n: m, score: this.combine(parts), parts, sharedTerms, bestInDocument: false, parallelDocument: false };
  }

  private combine(parts: SimilarityParts): number {
    const w = this.weights;
    return w.words * parts.words + w.grams * parts.grams + w.sentences * parts.sentences + w.heading * parts.heading;
  }

  /** The score and signals of paragraphs `a` and `b`, whatever their documents (no decay). */
  scorePair(a: number, b: number): { score: number; parts: SimilarityParts } {
    const { parts } = this.partsOf(this.featuresOf(a), this.featuresOf(b));
    return { score: this.combine(parts), parts };
  }

  /**
   * A document's profile: the idf-weighted bigrams of all its paragraphs (log-scaled counts),
   * read from the index's normalized texts (no document is parsed). Memoized.
   */
  private profileOf(doc: number): WeightedKeys {
    let p = this.profiles.get(doc);
    if (p) return p;
    const counts = new Map<number, number>();
    for (let n = this.built.docStart[doc]!; n < this.built.docStart[doc + 1]!; n++) {
      for (const k of bigramKeys(this.built.index.normalized[n]!)) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    p = weightedVector(counts.keys(), (k) => (1 + Math.log(counts.get(k)!)) * this.gramIdf(k));
    if (this.profiles.size >= PROFILE_CACHE_LIMIT) this.profiles.clear();
    this.profiles.set(doc, p);
    return p;
  }

  /** How alike two documents are as a whole (cosine of their profiles, 0–1). */
  documentAffinity(a: number, b: number): number {
    if (a === b) return 1;
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    let v = this.affinities.get(key);
    if (v === undefined) {
      v = weightedCosine(this.profileOf(a), this.profileOf(b));
      if (this.affinities.size >= FEATURE_CACHE_LIMIT) this.affinities.clear();
      this.affinities.set(key, v);
    }
    return v;
  }

  /**
   * The clauses of other documents most similar to paragraph `n`, at most `limit`, best first
   * (ties by paragraph order): the closest clause of each parallel document if it reaches the
   * minimum score, and any other hit (a further clause of a document is discounted by
   * SAME_DOCUMENT_DECAY) if it reaches the higher one; so a clause without parallels gets few
   * hits or none. Any paragraph may be the source; only clause-like paragraphs are hits.
   */
  similarTo(n: number, limit: number): SimilarMatch[] {
    if (n < 0 || n >= this.built.refs.length || limit <= 0) return [];
    const f = this.featuresOf(n);
    if (f.words.size === 0) return [];
    const out: SimilarMatch[] = [];
    for (const m of this.gather(n, f, Math.max(RERANK_MIN, limit * 5))) {
      const s = this.score(f, m);
      if (s) out.push(s);
    }
    out.sort((a, b) => b.score - a.score || a.n - b.n);
    const seen = new Map<number, number>();
    const shown: SimilarMatch[] = [];
    const srcDoc = this.built.refs[n]!.doc;
    for (const hit of out) {
      if (hit.score < this.minScore) break; // sorted: no later hit reaches it
      const doc = this.built.refs[hit.n]!.doc;
      const before = seen.get(doc) ?? 0;
      seen.set(doc, before + 1);
      hit.bestInDocument = before === 0;
      hit.score *= SAME_DOCUMENT_DECAY ** before;
      hit.parallelDocument = this.documentAffinity(srcDoc, doc) >= PARALLEL_DOCUMENT_MIN_AFFINITY;
      const floor = hit.bestInDocument && hit.parallelDocument ? this.minScore : this.moreMinScore;
      if (hit.score >= floor) shown.push(hit);
    }
    return shown.sort((a, b) => b.score - a.score || a.n - b.n).slice(0, limit);
  }
}

/** The `size` highest-scored ids offered (a min-heap of the best so far), best first. */
class BoundedBest {
  private readonly ids: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly size: number) {}

  /** Heap order: worse first (lower score; at equal score, the later paragraph). */
  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.ids[i]! > this.ids[j]!);
  }

  private swap(i: number, j: number): void {
    [this.ids[i], this.ids[j]] = [this.ids[j]!, this.ids[i]!];
    [this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!];
  }

  offer(id: number, score: number): void {
    if (this.size <= 0) return;
    if (this.ids.length < this.size) {
      this.ids.push(id);
      this.scores.push(score);
      for (let i = this.ids.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const top = this.scores[0]!;
    if (score < top || (score === top && id > this.ids[0]!)) return;
    this.ids[0] = id;
    this.scores[0] = score;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.ids.length && this.worse(l, m)) m = l;
      if (r < this.ids.length && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  items(): number[] {
    return this.ids
      .map((id, i) => ({ id, score: this.scores[i]! }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .map((x) => x.id);
  }
}
