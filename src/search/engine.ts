/**
 * Retrieval and ranking over a built index. Pure given the index: no I/O, no clock.
 *
 * Matching. A paragraph matches a clause when one of its terms
 *   - occurs in the normalized paragraph text (quoted phrases: only this), or
 *   - (unquoted) has all of its jieba words in the paragraph, or
 *   - (unquoted) names the paragraph's document: region/city/province (also without 县/区/市),
 *     the year, the 文号, or words of the title.
 * A paragraph is a result when it matches at least one clause in its own text (metadata alone
 * only completes a match), or, when no clause of the query occurs in any text at all (a bare
 * `天台` or 文号), when its document matches every clause.
 *
 * Ranking: paragraphs matching more clauses first; within a tier, BM25 over jieba words (tf counted
 * in the normalized text, whole-word occurrences weighted above occurrences inside longer words),
 * plus boosts for the exact phrase, for proximity of the clauses, for metadata matches, and a
 * multiplier by paragraph kind (headings and clauses over boilerplate).
 */
import { subWords, wordsOfNormalized } from '../analysis/analyzer.js';
import { normalizeForMatch } from '../analysis/normalize.js';
import type { ParagraphKind, PolicyDocument } from '../domain/types.js';
import type { BuiltIndex } from '../indexing/build.js';
import { intersectAscending } from '../indexing/gram-postings.js';
import { canonicalDocNumber, type ParsedQuery, type QueryTerm } from './query.js';

const K1 = 1.2;
const B = 0.75;
const PHRASE_BOOST = 0.6;
const PROXIMITY_BOOST = 1.0;
const META_BOOST = { region: 2.0, year: 1.5, docNumber: 4.0, title: 0.6 } as const;
/** Substring occurrences inside a longer jieba word count less than whole-word occurrences. */
const PARTIAL_WORD_WEIGHT = 0.6;

export const KIND_WEIGHT: Record<ParagraphKind, number> = {
  title: 1.15,
  heading: 1.2,
  clause: 1.2,
  'table-row': 1.2,
  'table-header': 0.6,
  units: 0.8,
  text: 1.0,
  docnumber: 0.6,
  addressee: 0.5,
  signature: 0.4,
  attachment: 0.6,
  footer: 0.3,
};

/** Per-document values prepared once for metadata matching and filters. */
export interface DocFacts {
  regionNames: string[];
  year: string | null;
  docNumber: string | null;
  title: string;
  region: string | null;
  city: string | null;
  province: string | null;
  date: string;
}

function shortName(name: string): string | null {
  const m = /^(.{2,})(?:自治县|自治州|县|区|市|省|自治区)$/u.exec(name);
  return m ? m[1]! : null;
}

export function docFacts(doc: PolicyDocument): DocFacts {
  const m = doc.meta;
  const names = new Set<string>();
  for (const n of [m.region, m.city, m.province]) {
    if (!n) continue;
    names.add(normalizeForMatch(n));
    const s = shortName(n);
    if (s) names.add(normalizeForMatch(s));
  }
  const dn = m.docNumberParts ? canonicalDocNumber(m.docNumberParts.agency, m.docNumberParts.year, m.docNumberParts.serial) : m.docNumber;
  return {
    regionNames: [...names],
    year: m.year === null ? null : String(m.year),
    docNumber: dn ? normalizeForMatch(dn) : null,
    title: normalizeForMatch(m.title ?? ''),
    region: m.region,
    city: m.city,
    province: m.province,
    date: m.issuedDate ?? m.printedDate ?? (m.year ? `${m.year}` : ''),
  };
}

/** How strongly a term names a document (0 = not at all). */
export function metadataBoost(f: DocFacts, t: QueryTerm): number {
  if (t.phrase) return 0;
  const q = t.norm;
  if (t.field) return 0;
  if (f.docNumber && f.docNumber === q) return META_BOOST.docNumber;
  if (f.year && (q === f.year || q === `${f.year}年`)) return META_BOOST.year;
  if (q.length >= 2 && f.regionNames.some((n) => n === q || n.startsWith(q))) return META_BOOST.region;
  if (q.length >= 2 && f.title.includes(q)) return META_BOOST.title;
  return 0;
}

export interface ScoredParagraph {
  n: number;
  /** Clauses matched (in text, by all words, or by metadata). */
  tier: number;
  /** Clauses whose whole term occurs in the paragraph text. */
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

  constructor(capacity: number) {
    const c = Math.max(1, capacity);
    this.n = new Uint32Array(c);
    this.tier = new Uint8Array(c);
    this.exact = new Uint8Array(c);
    this.score = new Float64Array(c);
  }

  push(n: number, tier: number, exact: number, score: number): void {
    if (this.length === this.n.length) this.grow();
    const i = this.length++;
    this.n[i] = n;
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
    Object.assign(this, { n, tier, exact, score });
  }

  /** Slot i as an object (for the few matches that become hits). */
  at(i: number): ScoredParagraph {
    return { n: this.n[i]!, tier: this.tier[i]!, exact: this.exact[i]!, score: this.score[i]! };
  }

  /** `compareScored` on slots i and j. */
  compare(i: number, j: number): number {
    return this.tier[j]! - this.tier[i]! || this.exact[j]! - this.exact[i]! || this.score[j]! - this.score[i]! || this.n[i]! - this.n[j]!;
  }
}

interface PreparedTerm {
  term: QueryTerm;
  words: string[];
  /** Paragraph numbers containing the whole term (ascending). */
  exact: Uint32Array;
  /** Paragraph numbers containing every one of the term's words (unquoted terms), ascending. */
  allWords: Uint32Array;
  /** idf of each of `words`. */
  idfs: Float64Array;
  /** Added when the whole term occurs and it has several words. */
  phraseBonus: number;
  /** For each word, the ascending paragraphs where it is a whole jieba word, with a cursor. */
  wholeLists: Uint32Array[];
  wholeAt: Uint32Array;
  /** metadataBoost of the term for each document. */
  metaByDoc: Float64Array;
  /** The term is one word (itself): membership and counts come from `exact` and `exactTf`. */
  simple: boolean;
  /** Cursor into `exact` (candidates ascend). */
  exactAt: number;
  /** Occurrence counts parallel to `exact` when the gram postings carry them, else null. */
  exactTf: Uint8Array | null;
}

/** A filter that lets every paragraph through: the ranker skips calling it. */
export const ALLOW_ALL = (): boolean => true;

const EMPTY: Uint32Array = new Uint32Array(0);

/** Ascending union of ascending lists. */
function unionAscending(lists: Uint32Array[]): Uint32Array {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return EMPTY;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  let total = 0;
  for (const l of nonEmpty) total += l.length;
  const all = new Uint32Array(total);
  let at = 0;
  for (const l of nonEmpty) {
    all.set(l, at);
    at += l.length;
  }
  all.sort();
  let size = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[size++] = all[i]!;
  return all.subarray(0, size);
}

export class Ranker {
  private readonly facts: DocFacts[];
  /**
   * @param options.fastPaths the lean loop for one-word queries (default on; tests turn it off
   *   to check that both loops rank identically).
   */
  constructor(
    private readonly built: BuiltIndex,
    private readonly options: { fastPaths?: boolean } = {},
  ) {
    this.facts = built.docs.map(docFacts);
  }

  /** The paragraph numbers of one document, in order. */
  private *paragraphsOf(d: number): Generator<number> {
    const { docStart } = this.built;
    for (let n = docStart[d]!; n < docStart[d + 1]!; n++) yield n;
  }

  docFacts(doc: number): DocFacts {
    return this.facts[doc]!;
  }

  private idf(word: string): number {
    const N = this.built.index.size;
    let df = this.built.index.postings(word).length;
    if (df === 0) df = this.built.index.containingList(word).length;
    return Math.log(1 + (N - df + 0.5) / (df + 0.5));
  }

  private prepare(t: QueryTerm, idfOf: (w: string) => number): PreparedTerm {
    const ix = this.built.index;
    let words = t.phrase ? [t.norm] : [...new Set(wordsOfNormalized(t.norm).map((w) => w.text))];
    // A single compound word (`决策公开`) also matches through the words inside it.
    if (!t.phrase && words.length === 1) words = [...words, ...subWords(words[0]!)];
    if (!words.length) words = [t.norm];
    const exact = t.field ? EMPTY : ix.containingList(t.norm);
    // Paragraphs holding all of the term's words (a paragraph holding only some of them can
    // never match the term, so the words' lists are intersected rather than united).
    let allWords: Uint32Array = EMPTY;
    const parts = words.filter((w) => w !== t.norm);
    if (!t.phrase && !t.field && parts.length) {
      const lists = parts.map((w) => ix.containingList(w)).sort((x, y) => x.length - y.length);
      allWords = lists.reduce((acc, l) => (acc.length ? intersectAscending(acc, l) : acc));
    }
    const idfs = Float64Array.from(words, idfOf);
    const phraseBonus = words.length > 1 ? PHRASE_BOOST * idfs.reduce((x, y) => x + y, 0) : 0;
    const metaByDoc = Float64Array.from(this.facts, (f) => metadataBoost(f, t));
    const simple = this.options.fastPaths !== false && !t.field && words.length === 1 && words[0] === t.norm;
    const exactTf = simple ? ix.termFrequencies(t.norm) : null;
    return {
      term: t,
      words,
      exact,
      allWords,
      idfs,
      phraseBonus,
      wholeLists: words.map((w) => ix.postings(w)),
      wholeAt: new Uint32Array(words.length),
      metaByDoc,
      simple,
      exactAt: 0,
      exactTf: exactTf && exactTf.length === exact.length ? exactTf : null,
    };
  }

  /** BM25 of one word in paragraph n, given its term frequency; `whole` says whether it occurs as a jieba word. */
  private bm25tf(n: number, tf: number, whole: boolean, idf: number): number {
    if (tf === 0) return 0;
    const ix = this.built.index;
    const len = ix.wordCounts[n]! || 1;
    const norm = tf * (whole ? 1 : PARTIAL_WORD_WEIGHT);
    return (idf * norm * (K1 + 1)) / (norm + K1 * (1 - B + (B * len) / (ix.avgWordCount || 1)));
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
      if (excludedDocs.has(this.built.refs[n]!.doc)) return false;
      for (const e of excluded) if (ix.normalized[n]!.includes(e.norm)) return false;
      return extra(n);
    };
  }

  /**
   * Finds and scores every matching paragraph. `filter` applies field filters and URL filters.
   */
  /**
   * @param need how many of the best matches the caller will look at (offset + limit); matches
   *   that cannot be among them keep their tier and exact count but are not scored (score 0).
   *   Default: all.
   */
  rank(q: ParsedQuery, filter: (n: number) => boolean, need = Infinity): RankedList {
    const ix = this.built.index;
    const { refs, docStart } = this.built;
    const idfs = new Map<string, number>();
    const idfOf = (w: string) => {
      let v = idfs.get(w);
      if (v === undefined) idfs.set(w, (v = this.idf(w)));
      return v;
    };
    const clauses = q.clauses.map((c) => c.map((t) => this.prepare(t, idfOf)));
    const ok = this.allowed(q, filter);

    // A query of field filters only lists the filtered documents' paragraphs in document order.
    if (clauses.length === 0) {
      const all = new RankedList(ok ? 1024 : refs.length);
      for (let n = 0; n < refs.length; n++) if (!ok || ok(n)) all.push(n, 0, 0, 0);
      return all;
    }

    // Candidates: paragraphs containing a whole term, or (unquoted) all of its words.
    let candidates = unionAscending(clauses.flatMap((c) => c.flatMap((pt) => [pt.exact, pt.allWords])));
    const anyText = candidates.length > 0;
    // A 文号 names a document: its title paragraphs join the results even where the text only
    // cites the number elsewhere.
    const admittedByMeta = new Set<number>();
    const extra: number[] = [];
    const docNumberTerms = clauses.flat().filter((pt) => !pt.term.phrase && /号$/u.test(pt.term.norm));
    if (docNumberTerms.length) {
      this.facts.forEach((f, d) => {
        if (!f.docNumber || !docNumberTerms.some((pt) => pt.term.norm === f.docNumber)) return;
        for (const n of this.paragraphsOf(d)) {
          if (this.built.kinds[n] !== 'title') continue;
          extra.push(n);
          admittedByMeta.add(n);
        }
      });
    }
    if (!anyText) {
      // No clause occurs in any text: fall back to documents that match every clause by metadata.
      for (let d = 0; d < this.facts.length; d++) {
        if (!clauses.every((c) => c.some((pt) => pt.metaByDoc[d]! > 0))) continue;
        for (let n = docStart[d]!; n < docStart[d + 1]!; n++) extra.push(n);
      }
    }
    if (extra.length) candidates = unionAscending([candidates, Uint32Array.from(extra).sort()]);

    const kinds = this.built.kinds;
    // One term of one word (a quoted phrase, or a single word): every candidate contains it, so
    // tier and exact are 1 and the score is that word's BM25 plus metadata; a lean loop for the
    // queries with the most hits (one or two characters, common words).
    const single = clauses.length === 1 && clauses[0]!.length === 1 ? clauses[0]![0]! : null;
    if (this.options.fastPaths !== false && single && anyText && extra.length === 0 && !single.term.field && single.words.length === 1 && single.words[0] === single.term.norm) {
      return this.rankSingleWord(single, candidates, ok);
    }
    // Every term one word: tier and exact count come from walking the terms' lists, so only the
    // (tier, exact) groups that can reach the first `need` matches are scored.
    let unscored: RankedList | null = null;
    if (need !== Infinity && this.options.fastPaths !== false && anyText && extra.length === 0 && clauses.every((c) => c.every((pt) => pt.simple))) {
      const split = this.splitByTier(clauses, candidates, ok, need);
      candidates = split.scored;
      unscored = split.unscored;
      for (const pt of clauses.flat()) {
        pt.exactAt = 0;
        pt.wholeAt.fill(0);
      }
    }
    const multiClause = clauses.length > 1;
    // Per clause: where its first in-text term starts, or (for a one-word term) that term, whose
    // position is looked up only if proximity is needed (two clauses or more in the text).
    const firstPositions: Array<number | string> = [];
    const out = new RankedList(candidates.length);
    for (let ci = 0; ci < candidates.length; ci++) {
      const n = candidates[ci]!;
      if (ok && !ok(n)) continue;
      const doc = refs[n]!.doc;
      const text = ix.normalized[n]!;
      let tier = 0;
      let textMatches = 0;
      let exact = 0;
      let score = 0;
      firstPositions.length = 0;
      for (const clause of clauses) {
        let best = 0;
        let matched = false;
        let inText = false;
        let pos: number | string = -1;
        let exactHere = false;
        for (const pt of clause) {
          let s = 0;
          let termInText: boolean;
          if (pt.simple) {
            // One word: membership by walking the term's own ascending list, the count from
            // the gram postings when they carry it; no text scan unless needed.
            const list = pt.exact;
            let a = pt.exactAt;
            while (a < list.length && list[a]! < n) a++;
            pt.exactAt = a;
            termInText = a < list.length && list[a] === n;
            if (termInText) {
              let tf = pt.exactTf ? pt.exactTf[a]! : 255;
              if (tf === 255) {
                const w = pt.term.norm;
                tf = 0;
                for (let k = text.indexOf(w); k !== -1; k = text.indexOf(w, k + w.length)) tf++;
              }
              const whole = pt.wholeLists[0]!;
              let at = pt.wholeAt[0]!;
              while (at < whole.length && whole[at]! < n) at++;
              pt.wholeAt[0] = at;
              s += this.bm25tf(n, tf, at < whole.length && whole[at] === n, pt.idfs[0]!);
              exactHere = true;
              if (pos === -1) pos = pt.term.norm;
            }
          } else {
            const whole = pt.term.field ? -1 : text.indexOf(pt.term.norm);
            termInText = whole !== -1;
            for (let wi = 0; wi < pt.words.length; wi++) {
              const w = pt.words[wi]!;
              // Term frequency: non-overlapping occurrences (the whole term's first one is known).
              let tf = 0;
              if (w === pt.term.norm) {
                for (let at = whole; at !== -1; at = text.indexOf(w, at + w.length)) tf++;
              } else {
                for (let at = text.indexOf(w); at !== -1; at = text.indexOf(w, at + w.length)) tf++;
              }
              if (tf === 0) continue;
              // Candidates ascend, so each word's whole-word list is walked with a cursor.
              const list = pt.wholeLists[wi]!;
              let at = pt.wholeAt[wi]!;
              while (at < list.length && list[at]! < n) at++;
              pt.wholeAt[wi] = at;
              s += this.bm25tf(n, tf, at < list.length && list[at] === n, pt.idfs[wi]!);
            }
            if (termInText) s += pt.phraseBonus;
            if (termInText) exactHere = true;
            if (!termInText && !pt.term.phrase && !pt.term.field && pt.words.length > 1) {
              let all = false;
              for (const w of pt.words) {
                if (w === pt.term.norm) continue;
                if (!text.includes(w)) {
                  all = false;
                  break;
                }
                all = true;
              }
              termInText = all;
            }
            if (termInText && pos === -1) pos = whole !== -1 ? whole : text.indexOf(pt.words[0]!);
          }
          const meta = pt.metaByDoc[doc]!;
          s += meta;
          if (termInText || meta > 0) matched = true;
          if (termInText) inText = true;
          if (s > best) best = s;
        }
        if (matched) tier++;
        if (exactHere) exact++;
        if (inText) {
          textMatches++;
          if (multiClause) firstPositions.push(pos);
        }
        score += best;
      }
      if (anyText && textMatches === 0 && !admittedByMeta.has(n)) continue;
      if (tier === 0) continue;
      if (firstPositions.length > 1) {
        const positions = firstPositions.map((p) => (typeof p === 'string' ? text.indexOf(p) : p)).sort((a, b) => a - b);
        const span = positions[positions.length - 1]! - positions[0]!;
        score += PROXIMITY_BOOST / (1 + span / 20);
      }
      score *= KIND_WEIGHT[kinds[n]!] ?? 1;
      out.push(n, tier, exact, score);
    }
    if (unscored) for (let i = 0; i < unscored.length; i++) out.push(unscored.n[i]!, unscored.tier[i]!, unscored.exact[i]!, 0);
    return out;
  }

  /**
   * For queries whose terms are all single words: each candidate's tier (clauses matched in the
   * text or by metadata) and exact count (clauses in the text) from the terms' ascending lists,
   * then the candidates split into those whose (tier, exact) group can reach the first `need`
   * matches (to be scored) and the rest (tier and exact only; they rank below `need` others).
   */
  private splitByTier(
    clauses: PreparedTerm[][],
    candidates: Uint32Array,
    ok: ((n: number) => boolean) | null,
    need: number,
  ): { scored: Uint32Array; unscored: RankedList } {
    const refs = this.built.refs;
    const tiers = new Uint8Array(candidates.length);
    const exacts = new Uint8Array(candidates.length);
    const kept = new Uint8Array(candidates.length);
    // counts[tier * 256 + exact]: how many candidates in each group.
    const counts = new Map<number, number>();
    for (let i = 0; i < candidates.length; i++) {
      const n = candidates[i]!;
      if (ok && !ok(n)) continue;
      kept[i] = 1;
      const doc = refs[n]!.doc;
      let tier = 0;
      let exact = 0;
      for (const clause of clauses) {
        let inText = false;
        let matched = false;
        for (const pt of clause) {
          const list = pt.exact;
          let a = pt.exactAt;
          while (a < list.length && list[a]! < n) a++;
          pt.exactAt = a;
          if (a < list.length && list[a] === n) inText = true;
          if (pt.metaByDoc[doc]! > 0) matched = true;
        }
        if (inText || matched) tier++;
        if (inText) exact++;
      }
      tiers[i] = tier;
      exacts[i] = exact;
      const key = tier * 256 + exact;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // The lowest group still needed: walk the groups best first until `need` matches are covered.
    let threshold = Infinity;
    let covered = 0;
    for (const key of [...counts.keys()].sort((a, b) => b - a)) {
      if (covered >= need) break;
      threshold = key;
      covered += counts.get(key)!;
    }
    const scored: number[] = [];
    const unscored = new RankedList(16);
    for (let i = 0; i < candidates.length; i++) {
      if (!kept[i]) continue;
      if (tiers[i]! * 256 + exacts[i]! >= threshold) scored.push(candidates[i]!);
      else unscored.push(candidates[i]!, tiers[i]!, exacts[i]!, 0);
    }
    return { scored: Uint32Array.from(scored), unscored };
  }

  /** `rank` for one term of one word; the same scores as the general loop, computed leaner. */
  private rankSingleWord(pt: PreparedTerm, candidates: Uint32Array, ok: ((n: number) => boolean) | null): RankedList {
    const { refs, kinds } = this.built;
    const normalized = this.built.index.normalized;
    const w = pt.term.norm;
    const step = w.length;
    const idf = pt.idfs[0]!;
    const whole = pt.wholeLists[0]!;
    let at = 0;
    const out = new RankedList(candidates.length);
    // When the candidates are the term's own gram postings, the index knows each count.
    const tfs = candidates === pt.exact ? this.built.index.termFrequencies(w) : null;
    const known = tfs !== null && tfs.length === candidates.length;
    for (let i = 0; i < candidates.length; i++) {
      const n = candidates[i]!;
      if (ok && !ok(n)) continue;
      let tf = known ? tfs[i]! : 255;
      if (tf === 255) {
        const text = normalized[n]!;
        tf = 0;
        for (let k = text.indexOf(w); k !== -1; k = text.indexOf(w, k + step)) tf++;
      }
      while (at < whole.length && whole[at]! < n) at++;
      const s = this.bm25tf(n, tf, at < whole.length && whole[at] === n, idf) + pt.metaByDoc[refs[n]!.doc]!;
      out.push(n, 1, 1, s * (KIND_WEIGHT[kinds[n]!] ?? 1));
    }
    return out;
  }

  /** Needles to highlight, one group per term: the whole term first, else its words. */
  highlightGroups(q: ParsedQuery): string[][][] {
    return q.clauses
      .flat()
      .filter((t) => !t.field)
      .map((t) => {
        let words = t.phrase ? [] : wordsOfNormalized(t.norm).map((w) => w.text);
        if (!t.phrase && words.length === 1) words = subWords(words[0]!);
        return words.length > 0 ? [[t.norm], words] : [[t.norm]];
      });
  }
}
