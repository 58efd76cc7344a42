/**
 * For drafters: parallel clauses in other documents and a word-level comparison of two clauses.
 * - `GET /api/similar/:paragraphId?limit=` and `GET /api/compare?a=&b=`: JSON, as the service
 *   returns them.
 * - `GET /similar/:paragraphId` and `GET /compare?a=&b=`: the pages (work without JavaScript;
 *   app.js only reveals the 复制条款及出处 buttons).
 * Routes parse input, call one service method and render; the view models below only cut text
 * into escaped-at-render segments.
 */
import { Router } from 'express';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import type { ClauseComparison, ClauseRef, DiffPart, SimilarResponse } from '../../domain/types.js';
import type { AsyncSearchServiceApi } from '../../search/api.js';
import { highlightSpans } from '../../search/highlight.js';
import { DEFAULT_SIMILAR_LIMIT, MAX_SIMILAR_LIMIT, SIMILAR_MIN_SCORE, SIMILAR_MORE_MIN_SCORE } from '../../search/similar.js';
import type { RawQuery } from '../params.js';
import { buildSegments, sectionPath, type Segment } from '../render.js';
import { compareHref, similarHref } from '../view-models.js';

function single(query: RawQuery, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new AppError('E_BAD_PARAM', `参数 ${name} 只能出现一次。`);
  return v.trim() === '' ? undefined : v.trim();
}

/** `limit`: an integer 1..MAX_SIMILAR_LIMIT, default DEFAULT_SIMILAR_LIMIT → E_LIMIT_RANGE. */
export function parseSimilarLimit(query: RawQuery): number {
  const raw = single(query, 'limit');
  if (raw === undefined) return DEFAULT_SIMILAR_LIMIT;
  const n = /^\d{1,4}$/u.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIMILAR_LIMIT) {
    throw new AppError('E_LIMIT_RANGE', `条数应为 1–${MAX_SIMILAR_LIMIT} 之间的整数。`);
  }
  return n;
}

/** `a` and `b`: both required paragraph ids → E_BAD_PARAM. */
export function parseComparePair(query: RawQuery): { a: string; b: string } {
  const a = single(query, 'a');
  const b = single(query, 'b');
  if (a === undefined || b === undefined) throw new AppError('E_BAD_PARAM', '请用 a 和 b 两个参数给出要对比的段落编号。');
  return { a, b };
}

/** A flattened table row's cells are joined by tabs; show a visible separator instead. */
function showTabs(segments: Segment[]): Segment[] {
  return segments.map((s) => (s.text.includes('\t') ? { ...s, text: s.text.replace(/\t/g, ' ｜ ') } : s));
}

/** A clause as the pages print it: segments (shared terms marked), section path, 地区 · 年份. */
export interface ClauseView {
  segments: Segment[];
  sectionText: string;
  place: string;
}

function clauseView(text: string, doc: ClauseRef['doc'], section: readonly string[], terms: readonly string[] = []): ClauseView {
  const spans = terms.length ? highlightSpans(text, terms.map((t) => [[t]])) : [];
  const place = [doc.region, doc.year === null ? null : `${doc.year}年`].filter(Boolean).join(' · ');
  return { segments: showTabs(buildSegments(text, spans)), sectionText: sectionPath(section), place };
}

/** From this score on, most of two clauses' wording is the same (a copied or lightly edited clause). */
const MOSTLY_SAME_SCORE = 0.5;
/** Shared words named in a hit's explanation. */
const EXPLAINED_TERMS = 5;

/** Why a hit is listed, in words: how alike the wording is, and the shared words. */
export interface SimilarExplanation {
  /** `0.62`: the score as the page prints it. */
  score: string;
  /** 用语大部分相同 / 用语相近 / 该文件中最相近的一条. */
  band: string;
  terms: string[];
}

/**
 * The explanation of one hit. A hit below SIMILAR_MORE_MIN_SCORE is listed only as the closest
 * clause of a parallel document (see similar.ts), so that is what it says.
 */
export function explainSimilarity(score: number, sharedTerms: readonly string[]): SimilarExplanation {
  const band = score >= MOSTLY_SAME_SCORE ? '用语大部分相同' : score >= SIMILAR_MORE_MIN_SCORE ? '用语相近' : '该文件中最相近的一条，用语差别较大';
  return { score: score.toFixed(2), band, terms: sharedTerms.slice(0, EXPLAINED_TERMS) };
}

/** The one-line note on what the score means, under the hits' heading. */
export const SIMILARITY_NOTE =
  `相似度在 0 到 1 之间，由共同词语（越少见的词越重要）、相同字句和逐句对照综合得出；` +
  `同类文件中最相近的一条达到 ${SIMILAR_MIN_SCORE.toFixed(2)} 即列出，其他条款须达到 ${SIMILAR_MORE_MIN_SCORE.toFixed(2)}，不凑满条数。`;

export function similarPageModel(r: SimilarResponse) {
  const p = r.paragraph;
  return {
    source: { ref: p, ...clauseView(p.text, p.doc, p.section) },
    hits: r.hits.map((hit) => ({
      hit,
      ...clauseView(hit.text, hit.doc, [], hit.sharedTerms),
      why: explainSimilarity(hit.score, hit.sharedTerms),
      compareHref: compareHref(p.id, hit.id),
    })),
    note: SIMILARITY_NOTE,
  };
}

/** One side of the comparison: the parts that belong to it, tabs shown as separators. */
function side(parts: DiffPart[], keep: DiffPart['kind']): DiffPart[] {
  return parts.filter((p) => p.kind === 'same' || p.kind === keep).map((p) => ({ ...p, text: p.text.replace(/\t/g, ' ｜ ') }));
}

export function comparePageModel(c: ClauseComparison) {
  return {
    a: { ref: c.a, ...clauseView(c.a.text, c.a.doc, c.a.section) },
    b: { ref: c.b, ...clauseView(c.b.text, c.b.doc, c.b.section) },
    left: side(c.parts, 'removed'),
    right: side(c.parts, 'added'),
    summary: c.summary,
    swapHref: compareHref(c.b.id, c.a.id),
    similarHref: similarHref(c.a.id),
  };
}

export function draftingRouter(service: AsyncSearchServiceApi, _config: Config): Router {
  const router = Router();

  router.get('/api/similar/:paragraphId', async (req, res) => {
    res.json(await service.similar(req.params.paragraphId, parseSimilarLimit(req.query)));
  });

  router.get('/api/compare', async (req, res) => {
    const { a, b } = parseComparePair(req.query);
    res.json(await service.compare(a, b));
  });

  router.get('/similar/:paragraphId', async (req, res) => {
    const result = await service.similar(req.params.paragraphId, parseSimilarLimit(req.query));
    res.render('similar', { ...similarPageModel(result), pageTitle: '其他地区的相似条款', q: '' });
  });

  router.get('/compare', async (req, res) => {
    const { a, b } = parseComparePair(req.query);
    res.render('compare', { ...comparePageModel(await service.compare(a, b)), pageTitle: '条款对比', q: '' });
  });

  return router;
}
