/**
 * The query language, parsed in one place (documented on /help):
 *   词 词          whitespace-separated terms, each analyzed like the documents
 *   "短语" “短语”   exact substring after normalization
 *   -词 -"短语"     exclude paragraphs containing it
 *   甲 OR 乙        either term (also `|`)
 *   标题: 文号: 地区: 年份: 单位:   field filters (half- or full-width colon)
 *   怎么申请公开？  a question or sentence: its content words are ranked as optional terms
 *                  (question.ts), instead of all being required
 * A 文号 typed with spaces or other brackets (`鼓政办2020 65号`, `鼓政办[2020]65号`,
 * `鼓政办（2020）65号`), quoted or not, is recognised as one 文号 term before splitting.
 */
import { normalizeForMatch } from '../analysis/normalize.js';
import { AppError } from '../domain/errors.js';
import { questionWords, readsAsQuestion } from './question.js';

export type QueryField = 'title' | 'docNumber' | 'region' | 'year' | 'unit';

export interface QueryTerm {
  /** As typed (without quotes, prefix or minus sign). */
  raw: string;
  /** Normalized for matching. */
  norm: string;
  /** True for a quoted phrase: exact substring only. */
  phrase: boolean;
  field: QueryField | null;
  /** Optional terms of a question: other words the law uses for it, also searched, ranked below. */
  alternatives?: string[];
}

/** How a query typed as a question was read (shown to the user). */
export interface QuestionReading {
  /** Content words searched, as optional terms. */
  terms: string[];
  /** Question words and fillers left out. */
  dropped: string[];
  /** Content words also searched under the law's words for them (别人 → 他人). */
  expanded: Array<{ term: string; also: string[] }>;
}

export interface ParsedQuery {
  /** Conjunction of clauses; each clause is a disjunction (OR) of terms. */
  clauses: QueryTerm[][];
  /**
   * Optional terms (the content words of a question, and the plain terms typed beside it): a
   * paragraph need not hold all of them; more of them, rarer ones and closer together rank higher.
   */
  optional: QueryTerm[];
  /** Set when the query reads as a question or sentence. */
  question: QuestionReading | null;
  /** Terms whose paragraphs are excluded. */
  excluded: QueryTerm[];
  /** Field filters (all must hold). */
  filters: QueryTerm[];
}

const FIELD_PREFIXES: ReadonlyArray<[string, QueryField]> = [
  ['标题', 'title'],
  ['文号', 'docNumber'],
  ['地区', 'region'],
  ['年份', 'year'],
  ['单位', 'unit'],
];

/** 机关代字 + year + serial + 号, with any brackets and spaces between. */
const DOC_NUMBER_IN_QUERY =
  /([\u4e00-\u9fff]{1,12})\s*[〔［[(（【{]?\s*((?:19|20)\d{2})\s*[〕］\])）】}]?\s*(\d{1,5})\s*号/gu;

/** Canonical 文号 text: `鼓政办〔2020〕65号`. */
export function canonicalDocNumber(agency: string, year: string | number, serial: string | number): string {
  return `${agency}〔${year}〕${Number(serial)}号`;
}

interface Token {
  text: string;
  quoted: boolean;
  /** A field prefix stood before the quote (标题:"…"); inside quotes a colon is just text. */
  prefixed?: boolean;
  negated: boolean;
  or: boolean;
}

/** Splits a query string into raw tokens, honoring straight and Chinese quotes. */
function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const isSpace = (c: string) => /\s/u.test(c);
  while (i < q.length) {
    const c = q[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    let negated = false;
    if ((c === '-' || c === '－') && i + 1 < q.length && !isSpace(q[i + 1]!)) {
      negated = true;
      i++;
    }
    // Optional field prefix before a quote: 标题:"……"
    let prefix = '';
    const rest = q.slice(i);
    const pm = /^([\u4e00-\u9fff]{2})[:：]/u.exec(rest);
    if (pm && FIELD_PREFIXES.some(([p]) => p === pm[1])) {
      prefix = pm[0];
      i += prefix.length;
    }
    const open = q[i];
    const close = open === '"' ? '"' : open === '“' ? '”' : open === '「' ? '」' : null;
    if (close) {
      const end = q.indexOf(close, i + 1);
      const inner = end === -1 ? q.slice(i + 1) : q.slice(i + 1, end);
      tokens.push({ text: prefix + inner, quoted: true, prefixed: prefix !== '', negated, or: false });
      i = end === -1 ? q.length : end + 1;
      continue;
    }
    let j = i;
    while (j < q.length && !isSpace(q[j]!)) j++;
    const word = q.slice(i, j);
    i = j;
    if (!prefix && !negated && (word === 'OR' || word === '|' || word === '｜')) {
      tokens.push({ text: word, quoted: false, negated: false, or: true });
      continue;
    }
    tokens.push({ text: prefix + word, quoted: false, negated, or: false });
  }
  return tokens;
}

function toTerm(tok: Token): QueryTerm | null {
  let text = tok.text;
  let field: QueryField | null = null;
  const pm = !tok.quoted || tok.prefixed ? /^([\u4e00-\u9fff]{2})[:：]/u.exec(text) : null;
  if (pm) {
    const f = FIELD_PREFIXES.find(([p]) => p === pm[1]);
    if (f) {
      field = f[1];
      text = text.slice(pm[0].length);
    }
  }
  if (field === 'docNumber') {
    const m = new RegExp(DOC_NUMBER_IN_QUERY.source, 'u').exec(text);
    if (m) text = canonicalDocNumber(m[1]!, m[2]!, m[3]!);
  }
  const norm = normalizeForMatch(text);
  if (!norm) return null;
  return { raw: text, norm, phrase: tok.quoted, field };
}

/**
 * Parses a query string. Throws AppError E_QUERY_EMPTY when nothing searchable remains and
 * E_TOO_MANY_TERMS past `maxTerms`.
 */
export function parseQuery(q: string, maxTerms: number): ParsedQuery {
  const tokens = tokenize(rewriteDocNumbers(q));
  const parsed: ParsedQuery = { clauses: [], optional: [], question: null, excluded: [], filters: [] };
  let joinNext = false;
  let count = 0;
  const isPlain = (tok: Token) => !tok.quoted && !tok.negated && !tok.or;
  const asQuestion = (tok: Token) => isPlain(tok) && !/^[\u4e00-\u9fff]{2}[:：]/u.test(tok.text) && readsAsQuestion(tok.text);
  const question = tokens.some(asQuestion) && !tokens.some((t) => t.or);
  for (const tok of tokens) {
    if (tok.or) {
      joinNext = parsed.clauses.length > 0;
      continue;
    }
    if (question && asQuestion(tok)) {
      if (++count > maxTerms) throw new AppError('E_TOO_MANY_TERMS', `最多 ${maxTerms} 个。`);
      const words = questionWords(normalizeForMatch(tok.text));
      parsed.question ??= { terms: [], dropped: [], expanded: [] };
      parsed.question.dropped.push(...words.dropped);
      for (const w of words.terms) {
        const also = words.alternatives.get(w);
        addOptional(parsed, { raw: w, norm: w, phrase: false, field: null, ...(also ? { alternatives: also } : {}) });
      }
      continue;
    }
    const term = toTerm(tok);
    if (!term) continue;
    if (++count > maxTerms) throw new AppError('E_TOO_MANY_TERMS', `最多 ${maxTerms} 个。`);
    if (tok.negated) parsed.excluded.push(term);
    else if (term.field) parsed.filters.push(term);
    else if (question && !term.phrase) addOptional(parsed, term);
    else if (joinNext) parsed.clauses[parsed.clauses.length - 1]!.push(term);
    else parsed.clauses.push([term]);
    joinNext = false;
  }
  if (parsed.question) {
    parsed.question.terms = parsed.optional.map((t) => t.raw);
    parsed.question.expanded = parsed.optional.filter((t) => t.alternatives).map((t) => ({ term: t.raw, also: [...t.alternatives!] }));
  }
  if (parsed.clauses.length === 0 && parsed.optional.length === 0 && parsed.filters.length === 0) throw new AppError('E_QUERY_EMPTY');
  return parsed;
}

function addOptional(parsed: ParsedQuery, term: QueryTerm): void {
  if (!parsed.optional.some((t) => t.norm === term.norm)) parsed.optional.push(term);
}

/** A whole string that is one 文号 with any brackets: `鼓政办（2020）65号`. */
const WHOLE_DOC_NUMBER = new RegExp(`^\\s*${DOC_NUMBER_IN_QUERY.source}\\s*$`, 'u');

/**
 * Writes 文号 typed with spaces or other brackets (`鼓政办2020 65号`, `鼓政办（2020）65号`) in
 * canonical form. Outside quotes every 文号 is rewritten; a quoted phrase is matched exactly as
 * typed, unless it is nothing but a 文号 (`"鼓政办（2020）65号"`), which is unquoted: a 文号 is an
 * identifier whatever its brackets, not wording. The canonical form is an ordinary term: it finds
 * the document with that 文号 and every paragraph citing it.
 */
function rewriteDocNumbers(q: string): string {
  return q
    .split(/("[^"]*"?|“[^”]*”?|「[^」]*」?)/u)
    .map((part, i) => {
      if (i % 2 === 1) {
        const m = WHOLE_DOC_NUMBER.exec(part.slice(1, /["”」]$/u.test(part) && part.length > 1 ? -1 : undefined));
        return m ? canonicalDocNumber(m[1]!, m[2]!, m[3]!) : part;
      }
      return part.replace(DOC_NUMBER_IN_QUERY, (_m, agency: string, year: string, serial: string) => canonicalDocNumber(agency, year, serial));
    })
    .join('');
}

/** Renders a parsed query back to text (for suggestions). */
export function formatQuery(p: ParsedQuery): string {
  const fieldName = (f: QueryField | null) => FIELD_PREFIXES.find(([, v]) => v === f)?.[0];
  const fmt = (t: QueryTerm) => {
    const body = t.phrase ? `"${t.raw}"` : t.raw;
    const name = fieldName(t.field);
    return name ? `${name}:${body}` : body;
  };
  return [
    ...p.clauses.map((c) => c.map(fmt).join(' OR ')),
    ...p.optional.map(fmt),
    ...p.filters.map(fmt),
    ...p.excluded.map((t) => `-${fmt(t)}`),
  ].join(' ');
}
