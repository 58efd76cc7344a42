/**
 * Parallel clauses (其他地区的相似条款): for one paragraph, the most similar clauses in other
 * documents — how another county worded the same task.
 *
 * Three signals, combined linearly (SIMILARITY_WEIGHTS):
 * - words: cosine of tf-idf vectors over the shared analyzer's jieba words, so rare terms
 *   (权责清单, 双随机) count far more than common ones (公开, 政府);
 * - grams: cosine of the sets of character bigrams inside runs of letters and digits — robust to
 *   jieba cutting the same phrase differently in two texts (权力配置 vs 权力/配置);
 * - heading: how alike the clauses' own heading sentences are (`加强权力配置信息公开。`), plus
 *   their enclosing section headings.
 * Each signal compares the clause's topical wording: its label, its trailing （责任单位：…）
 * and, in a task table, its unit and deadline columns are left out, since every county names
 * its own units and dates.
 *
 * Retrieval is two-stage so a request stays cheap on a large corpus: the source's rarest words
 * are looked up in the index's word postings (at most MAX_SOURCE_TERMS words and
 * MAX_POSTINGS_SCANNED postings) and accumulate idf² per paragraph; the best RERANK_MIN (or
 * 5 × limit) candidates are then scored exactly. Per-paragraph features (tf-idf vector and its
 * norm, bigram sets) are computed on first use and memoized, so repeated requests reuse them.
 */
import { wordsOfNormalized } from '../analysis/analyzer.js';
import { normalizeForMatch } from '../analysis/normalize.js';
import type { Paragraph, ParagraphKind } from '../domain/types.js';
import type { BuiltIndex } from '../indexing/build.js';

export const SIMILARITY_WEIGHTS = { words: 0.5, grams: 0.3, heading: 0.2 } as const;
/** Heading similarity: the clause's own heading sentence counts more than its section heading. */
const HEADING_WEIGHTS = { lead: 0.7, section: 0.3 } as const;

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
/** Hits per request unless asked otherwise, and the most one request may ask for. */
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

/**
 * One scored parallel clause: its paragraph number, score (0–1, after SAME_DOCUMENT_DECAY) and
 * shared key terms.
 */
export interface SimilarMatch {
  n: number;
  score: number;
  /**
   * Shared jieba words, the most telling first: by the product of their tf-idf weights in the two
   * texts, times √(word length) so 权责清单 goes before 清单.
   */
  sharedTerms: string[];
}

interface ClauseFeatures {
  /** word → tf-idf weight. */
  weights: Map<string, number>;
  norm: number;
  grams: Float64Array;
  lead: Float64Array;
  section: Float64Array;
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
  return [...lead].length <= MAX_LEAD_CHARS ? lead : '';
}

/**
 * The distinct character bigrams inside runs of letters and digits of normalized text, as sorted
 * numbers (first code point × 0x110000 + second: exact in a double), compact to keep per paragraph.
 */
function bigramKeys(norm: string): Float64Array {
  const keys: number[] = [];
  for (const run of norm.match(WORDLIKE_RUN) ?? []) {
    let prev = -1;
    for (const ch of run) {
      const cp = ch.codePointAt(0)!;
      if (prev !== -1) keys.push(prev * 0x110000 + cp);
      prev = cp;
    }
  }
  const sorted = Float64Array.from(keys).sort();
  let size = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[size++] = sorted[i]!;
  return sorted.slice(0, size);
}

/** |A ∩ B| / √(|A|·|B|) of two sorted distinct key arrays. */
function setCosine(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return shared / Math.sqrt(a.length * b.length);
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
  /** Per-paragraph score accumulator of `gather`, reused (zeroed after each request). */
  private acc: Float64Array | null = null;

  /** Reads only the index's kinds and normalized texts: no document is parsed here. */
  constructor(private readonly built: BuiltIndex) {
    const { kinds, index } = built;
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
    const tf = new Map<string, number>();
    for (const t of wordsOfNormalized(norm)) tf.set(t.text, (tf.get(t.text) ?? 0) + 1);
    const weights = new Map<string, number>();
    let sq = 0;
    for (const [word, count] of tf) {
      const w = (1 + Math.log(count)) * this.idf(word);
      weights.set(word, w);
      sq += w * w;
    }
    const nearest = p.section.at(-1) ?? '';
    const f: ClauseFeatures = {
      weights,
      norm: Math.sqrt(sq),
      grams: bigramKeys(norm),
      lead: bigramKeys(normalizeForMatch(leadSentence(body))),
      section: bigramKeys(normalizeForMatch(stripLabel(nearest, p.sectionLabels.at(-1) ?? null))),
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
    const words = [...f.weights.keys()].map((w) => ({ w, idf: this.idf(w) })).sort((a, b) => b.idf - a.idf || (a.w < b.w ? -1 : 1));
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

  /** The exact score of candidate `m` against source features `f`, with the shared terms. */
  private score(f: ClauseFeatures, m: number): SimilarMatch | null {
    const g = this.featuresOf(m);
    let dot = 0;
    const shared: Array<{ word: string; w: number }> = [];
    const [small, large] = f.weights.size <= g.weights.size ? [f.weights, g.weights] : [g.weights, f.weights];
    for (const [word, w1] of small) {
      const w2 = large.get(word);
      if (w2 === undefined) continue;
      dot += w1 * w2;
      shared.push({ word, w: w1 * w2 * Math.sqrt(Array.from(word).length) }); // see SimilarMatch
    }
    const sharedTerms = shared
      .filter((s) => isKeyTerm(s.word))
      .sort((a, b) => b.w - a.w || (a.word < b.word ? -1 : 1))
      .slice(0, MAX_SHARED_TERMS)
      .map((s) => s.word);
    if (sharedTerms.length === 0) return null;
    const words = f.norm && g.norm ? dot / (f.norm * g.norm) : 0;
    const grams = setCosine(f.grams, g.grams);
    const heading = HEADING_WEIGHTS.lead * setCosine(f.lead, g.lead) + HEADING_WEIGHTS.section * setCosine(f.section, g.section);
    const score = SIMILARITY_WEIGHTS.words * words + SIMILARITY_WEIGHTS.grams * grams + SIMILARITY_WEIGHTS.heading * heading;
    return { n: m, score, sharedTerms };
  }

  /**
   * The `limit` clauses of other documents most similar to paragraph `n`, best first (ties by
   * paragraph order). Any paragraph may be the source; only clause-like paragraphs are hits.
   */
  similarTo(n: number, limit: number): SimilarMatch[] {
    if (n < 0 || n >= this.built.refs.length || limit <= 0) return [];
    const f = this.featuresOf(n);
    if (f.weights.size === 0) return [];
    const out: SimilarMatch[] = [];
    for (const m of this.gather(n, f, Math.max(RERANK_MIN, limit * 5))) {
      const s = this.score(f, m);
      if (s) out.push(s);
    }
    out.sort((a, b) => b.score - a.score || a.n - b.n);
    const seen = new Map<number, number>();
    for (const hit of out) {
      const doc = this.built.refs[hit.n]!.doc;
      const before = seen.get(doc) ?? 0;
      hit.score *= SAME_DOCUMENT_DECAY ** before;
      seen.set(doc, before + 1);
    }
    out.sort((a, b) => b.score - a.score || a.n - b.n);
    return out.slice(0, limit);
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
