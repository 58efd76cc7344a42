/**
 * HTTP tests of the parallel-clause page and API after the threshold: GET /similar/:paragraphId
 * explains each hit (相似度 · how alike the wording is · 共同词语) and what the score means, lists
 * no padding, and says so in Chinese when nothing is similar; GET /api/similar/:paragraphId
 * returns only hits above the thresholds. The explanation itself is table-tested.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimilarResponse } from '../../src/domain/types.js';
import type { SearchServiceApi } from '../../src/search/api.js';
import { MAX_SIMILAR_LIMIT, SIMILAR_MIN_SCORE, SIMILAR_MORE_MIN_SCORE } from '../../src/search/similar.js';
import { createApp } from '../../src/web/app.js';
import { explainSimilarity, SIMILARITY_NOTE } from '../../src/web/routes/drafting.js';
import { openSeedService, removeTempDirs, seedParagraphId } from './fixtures.js';
import { listen, memoryLogger, testConfig, type Running } from './harness.js';

let service: SearchServiceApi;
let server: Running;

beforeAll(async () => {
  service = await openSeedService();
  server = await listen(createApp({ service, config: testConfig({ rateLimit: 0 }), logger: memoryLogger() }));
});
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(server.url + path, { redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

/** The seed paragraph of `region` whose text contains `words`. */
const paragraphId = (region: string, words: string) => seedParagraphId(service, region, words);

/** 鹿城区's 依申请公开 clause: parallels in all four other notices. */
const WITH_PARALLELS = () => paragraphId('鹿城区', '提高依申请公开办理质效');
/** 海阳市's 政府公报 clause: no other notice has one. */
const WITHOUT_PARALLELS = () => paragraphId('海阳市', '推动政府公报创新发展');

/** What EJS's <%= %> makes of text. */
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

describe('explainSimilarity', () => {
  it.each([
    // A lightly edited copy: most of the wording is the same.
    [0.62, '用语大部分相同'],
    [0.5, '用语大部分相同'],
    [0.35, '用语相近'],
    [SIMILAR_MORE_MIN_SCORE, '用语相近'],
    // Below 0.20 a hit is listed only as the closest clause of a parallel notice.
    [0.12, '该文件中最相近的一条，用语差别较大'],
  ])('%s → %s', (score, band) => {
    const why = explainSimilarity(score, ['政府信息公开', '依申请', '答复', '归档', '办理', '质量', '制度']);
    expect(why.band).toBe(band);
    expect(why.score).toBe(score.toFixed(2));
    expect(why.terms).toEqual(['政府信息公开', '依申请', '答复', '归档', '办理']); // the first five, most telling first
  });

  it('the note names both thresholds and says the list is not filled up', () => {
    expect(SIMILARITY_NOTE).toContain(SIMILAR_MIN_SCORE.toFixed(2));
    expect(SIMILARITY_NOTE).toContain(SIMILAR_MORE_MIN_SCORE.toFixed(2));
    expect(SIMILARITY_NOTE).toContain('不凑满条数');
  });
});

describe('GET /api/similar/:paragraphId after the threshold', () => {
  it('a clause with parallels: a few hits, all above the thresholds, the same with a larger limit', async () => {
    const body = JSON.parse((await get(`/api/similar/${WITH_PARALLELS()}`)).text) as SimilarResponse;
    expect(body.hits.length).toBeGreaterThanOrEqual(4); // one per other notice at least
    expect(body.hits.length).toBeLessThan(10);
    const regions = new Set(body.hits.map((h) => h.doc.region));
    for (const r of ['天台县', '鼓楼区', '东阳市', '海阳市']) expect(regions, r).toContain(r);
    for (const h of body.hits) expect(h.score).toBeGreaterThanOrEqual(SIMILAR_MIN_SCORE);
    const all = JSON.parse((await get(`/api/similar/${WITH_PARALLELS()}?limit=${MAX_SIMILAR_LIMIT}`)).text) as SimilarResponse;
    expect(all.hits).toEqual(body.hits);
  });

  it('a clause without parallels: no hits', async () => {
    const res = await get(`/api/similar/${WITHOUT_PARALLELS()}`);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as SimilarResponse).hits).toEqual([]);
  });
});

describe('GET /similar/:paragraphId', () => {
  it('explains every hit: 相似度, how alike the wording is, the shared words; and what the score means', async () => {
    const id = WITH_PARALLELS();
    const res = await get(`/similar/${id}`);
    expect(res.status).toBe(200);
    const api = JSON.parse((await get(`/api/similar/${id}`)).text) as SimilarResponse;
    expect(res.text.match(/<li class="clause-card similar-hit">/g)).toHaveLength(api.hits.length);
    expect(res.text).toContain(`<p class="similar-note">${escapeHtml(SIMILARITY_NOTE)}</p>`);
    expect(res.text).toContain(`（${api.hits.length} 条，按相似度排列）`);
    const explanations = [...res.text.matchAll(/<p class="similar-why">(.*?)<\/p>/gs)].map((m) => m[1]!);
    expect(explanations).toHaveLength(api.hits.length);
    api.hits.forEach((h, i) => {
      const why = explainSimilarity(h.score, h.sharedTerms);
      const html = explanations[i]!;
      expect(html).toContain(`<span class="score">相似度 ${why.score}</span>`);
      expect(html).toContain(`<span class="why-band">${why.band}</span>`);
      expect(html).toContain('共同词语：');
      const terms = [...html.matchAll(/<span class="badge term">([^<]*)<\/span>/g)].map((m) => m[1]);
      expect(terms).toEqual(why.terms.map(escapeHtml));
    });
  });

  it('a clause without parallels: 其他文件中没有相近的条款, no list', async () => {
    const res = await get(`/similar/${WITHOUT_PARALLELS()}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<p class="no-results similar-none">其他文件中没有相近的条款。</p>');
    expect(res.text).toContain('（0 条）');
    expect(res.text).not.toContain('similar-hit');
    expect(res.text).toContain(escapeHtml(SIMILARITY_NOTE)); // the note says why the list can be empty
  });
});
