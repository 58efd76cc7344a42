/**
 * The judged questions: STARD's training split (`../shared/corpus/stard-train/queries.json`),
 * real layperson questions each judged with the law articles that answer it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './corpus.js';
import { judgedKey, splitMatchName, titleKey } from './questions-articles.js';

export const STARD_TRAIN = resolve(REPO_ROOT, '..', 'shared', 'corpus', 'stard-train', 'queries.json');

export interface JudgedQuestion {
  id: number;
  question: string;
  /** The judged article names as published (`match_name`). */
  names: string[];
  /** Their keys (see questions-articles.ts), distinct; names that are no article are left out. */
  keys: string[];
  /** The title keys of the judged laws, distinct. */
  laws: string[];
}

interface RawEntry {
  query_id?: unknown;
  问题?: unknown;
  相关法规?: unknown;
  match_name?: unknown;
}

const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : typeof x === 'string' ? [x] : []);

/** Reads the questions file; an entry without a question or a judged article is an error. */
export function loadQuestions(file: string = STARD_TRAIN): JudgedQuestion[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the questions ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(raw)) throw new Error(`${file}: expected a JSON array`);
  return raw.map((entry: RawEntry, i): JudgedQuestion => {
    const question = typeof entry.问题 === 'string' ? entry.问题.trim() : '';
    // match_name is the list of judged names; the keys of 相关法规 are the same names.
    const names = strings(entry.match_name).length ? strings(entry.match_name) : Object.keys((entry.相关法规 ?? {}) as object);
    if (!question || names.length === 0) throw new Error(`${file}: entry ${i} has no question or no judged article`);
    const keys = [...new Set(names.map(judgedKey).filter((k): k is string => k !== null))];
    const laws = [...new Set(names.flatMap((n) => splitMatchName(n)?.title ?? []).map(titleKey))];
    return { id: typeof entry.query_id === 'number' ? entry.query_id : i, question, names, keys, laws };
  });
}
