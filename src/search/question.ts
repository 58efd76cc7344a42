/**
 * Reading a query typed as people ask: `政府信息公开申请怎么提交？` is not a phrase to find
 * verbatim but a question whose content words (政府信息公开, 申请, 提交) should be ranked.
 *
 * A run of text reads as a question or sentence when it has sentence punctuation (？，。！；),
 * an interrogative (怎么, 是否, 吗…), or is long (at least LONG_RUN characters and four content
 * words). Its content words are the jieba words of the shared analyzer (stopwords already
 * dropped) minus the question words and fillers of `data/question-words.txt`; consecutive
 * single characters (what jieba leaves of a word it does not know, 质 权) are joined back into one
 * term, and a lone single character is dropped (it would match most of the corpus).
 */
import { wordsOfNormalized } from '../analysis/analyzer.js';
import { normalizeForMatch } from '../analysis/normalize.js';
import { readDataLines } from '../analysis/segmenter.js';

/** Characters at or above which an unpunctuated run of text reads as a sentence. */
export const LONG_RUN = 16;
/** Content words kept from one question (the rest are ignored; a question is one request). */
export const MAX_QUESTION_TERMS = 24;

/** Sentence punctuation, after normalization (full-width forms are folded to these). */
const SENTENCE_PUNCTUATION = /[?,.!;。？，！；]/u;
/** Interrogatives that make a short run a question (a subset of the filler list). */
const INTERROGATIVES = ['什么', '怎么', '怎样', '怎么样', '怎么办', '如何', '为什么', '为何', '是否', '是不是', '能否', '能不能', '可否', '可不可以', '会不会', '要不要', '有没有', '多少', '多久', '多长', '哪些', '哪个', '哪里', '谁', '何时', '吗', '呢', '请问'];

let fillers: Set<string> | null = null;
function isFiller(w: string): boolean {
  fillers ??= new Set(readDataLines('data/question-words.txt'));
  return fillers.has(w);
}

export interface QuestionWords {
  /** Content words, normalized, distinct, in order of first occurrence. */
  terms: string[];
  /** Words dropped as question words, fillers or lone characters, in order. */
  dropped: string[];
  /** Per content word with any: the legal terms also searched for it (see `alternativesOf`). */
  alternatives: Map<string, string[]>;
}

let layTerms: Map<string, string[]> | null = null;
function layTermsTable(): Map<string, string[]> {
  if (layTerms) return layTerms;
  layTerms = new Map();
  for (const line of readDataLines('data/lay-terms.txt')) {
    const [word, ...legal] = line.split(/\s+/u).map(normalizeForMatch);
    if (word && legal.length) layTerms.set(word, legal);
  }
  return layTerms;
}

/**
 * Other words the law uses for a question's word, searched beside it (ranked below it): the
 * legal terms of an everyday word (`data/lay-terms.txt`: 别人 → 他人, 房东 → 出租人), and the act
 * a crime is named after (诈骗罪 → 诈骗: 《刑法》 defines crimes by the act, rarely by name).
 */
export function alternativesOf(word: string): string[] {
  const out = [...(layTermsTable().get(word) ?? [])];
  const chars = Array.from(word);
  if (chars.length >= 3 && chars[chars.length - 1] === '罪') out.push(chars.slice(0, -1).join(''));
  return out.filter((w) => w !== word);
}

const CJK = /\p{Script=Han}/u;

/**
 * Function characters (negation, modals, prepositions, conjunctions, adverbs) that never end a
 * noun: a lone one after a word is not read as its suffix (质量 不合格 stays 质量, not 质量不).
 */
const NOT_SUFFIX = new Set(Array.from('不没未别莫非应须该能会可要想敢肯所因而还也都就又再才仅只很太更最被把给让叫使在和与跟同对向往从自于以为是有及或并但却即则且若如等中时后前内外上下里间'));

/** True when the raw (unquoted) text reads as a question or sentence rather than keywords. */
export function readsAsQuestion(raw: string): boolean {
  const norm = normalizeForMatch(raw);
  if (!CJK.test(norm)) return false;
  if (SENTENCE_PUNCTUATION.test(norm)) return true;
  if (INTERROGATIVES.some((w) => norm.includes(w)) && wordsOfNormalized(norm).some((t) => INTERROGATIVES.includes(t.text))) return true;
  return Array.from(norm).length >= LONG_RUN && questionWords(norm).terms.length >= 4;
}

/** The content words of a question (normalized text in, see the module comment). */
export function questionWords(norm: string): QuestionWords {
  const terms: string[] = [];
  const dropped: string[] = [];
  const add = (w: string) => {
    if (!terms.includes(w) && terms.length < MAX_QUESTION_TERMS) terms.push(w);
  };
  for (const run of norm.split(/[?,.!;:。？，！；：、"'()[\]<>《》]+/u)) {
    if (!run) continue;
    let singles = '';
    let singlesStart = -1;
    let singlesEnd = -1;
    // The last content word and where it ended: a lone character right after it is read as the
    // word's suffix (第三 + 人 → 第三人, 仓储 + 物 → 仓储物), the way legal compounds are written.
    let lastWord = '';
    let lastEnd = -1;
    const flush = () => {
      if (Array.from(singles).length >= 2) add(singles);
      else if (singles && lastWord && singlesStart === lastEnd && !NOT_SUFFIX.has(singles)) add(lastWord + singles);
      else if (singles) dropped.push(singles);
      singles = '';
      lastWord = '';
    };
    for (const t of wordsOfNormalized(run)) {
      if (isFiller(t.text)) {
        flush();
        dropped.push(t.text);
        continue;
      }
      if (Array.from(t.text).length === 1 && CJK.test(t.text)) {
        // Only characters next to each other form a word (a dropped stopword may lie between).
        if (singles && t.start !== singlesEnd) flush();
        if (!singles) singlesStart = t.start;
        singles += t.text;
        singlesEnd = t.end;
        continue;
      }
      flush();
      add(t.text);
      lastWord = t.text;
      lastEnd = t.end;
    }
    flush();
  }
  const alternatives = new Map<string, string[]>();
  for (const t of terms) {
    const alt = alternativesOf(t).filter((w) => !terms.includes(w));
    if (alt.length) alternatives.set(t, alt);
  }
  return { terms, dropped, alternatives };
}
