/**
 * Latency of questions typed as people ask them (the STARD training questions), through our full
 * search — the figure `npm run bench` prints beside the query classes. Retrieval quality on the
 * same questions is `npm run bench:questions`'s job; this stage only times them.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { isAppError } from '../../../src/domain/errors.js';
import type { SearchService } from '../../../src/search/service.js';
import { loadQuestions, STARD_TRAIN } from './questions-data.js';
import { summarize, type LatencySummary } from './stats.js';

export interface QuestionLatency {
  source: string;
  questions: number;
  /** Asked in question mode (the rest read as keywords). */
  questionMode: number;
  /** Refused with a 4xx (e.g. longer than MAX_QUERY_LENGTH); not timed. */
  refused: number;
  latency: LatencySummary;
}

/** Runs every question (after `warmup` of them untimed) and summarizes wall time; null without the file. */
export function measureQuestions(service: SearchService, warmup: number, file = STARD_TRAIN): QuestionLatency | null {
  if (!existsSync(file)) return null;
  const questions = loadQuestions(file);
  const ask = (q: string) => service.search({ q, limit: 20, offset: 0, sort: 'relevance' });
  for (const q of questions.slice(0, warmup)) {
    try {
      ask(q.question);
    } catch {
      // counted below
    }
  }
  const samples: number[] = [];
  let questionMode = 0;
  let refused = 0;
  for (const q of questions) {
    const started = performance.now();
    try {
      const res = ask(q.question);
      samples.push(performance.now() - started);
      if (res.mode === 'question') questionMode++;
    } catch (e) {
      if (!isAppError(e)) throw e;
      refused++;
    }
  }
  return { source: file, questions: questions.length, questionMode, refused, latency: summarize(samples) };
}

export function renderQuestionLatency(r: QuestionLatency): string {
  const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
  const l = r.latency;
  return [
    `Questions as typed (${r.questions} STARD training questions, ${r.questionMode} read as questions${r.refused ? `, ${r.refused} refused` : ''}; ours: full search, a page of 20), ms:`,
    '',
    '| questions | p50 | p95 | p99 | max | mean |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${l.n} | ${f(l.p50)} | ${f(l.p95)} | ${f(l.p99)} | ${f(l.max)} | ${f(l.mean)} |`,
  ].join('\n');
}
