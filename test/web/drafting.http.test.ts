/**
 * HTTP tests for the drafting pages and API: GET /api/similar/:paragraphId, GET /api/compare,
 * GET /similar/:paragraphId, GET /compare — the JSON contract field by field, parameter errors
 * (400) and unknown paragraphs (404), the links from the search results and the document page,
 * and, over a corpus with a document full of markup, escaping on both pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClauseComparison, SimilarResponse } from '../../src/domain/types.js';
import { paragraphUrl, type SearchServiceApi } from '../../src/search/api.js';
import { createApp } from '../../src/web/app.js';
import { HOSTILE, openHostileService, openSeedService, removeTempDirs, seedParagraphId } from './fixtures.js';
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

async function get(base: Running, path: string): Promise<{ status: number; type: string; text: string; json: () => any }> {
  const res = await fetch(base.url + path, { redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
}

/** The seed paragraph of `region` whose text contains `words`. */
const paragraphId = (region: string, words: string) => seedParagraphId(service, region, words);

const SOURCE = () => paragraphId('鹿城区', '加强权力配置信息公开。对照');
const PARALLEL = () => paragraphId('天台县', '（一）加强权力配置信息公开');

const CLAUSE_KEYS = ['citation', 'doc', 'docId', 'id', 'kind', 'label', 'section', 'text', 'url'];
const HIT_KEYS = ['citation', 'doc', 'docId', 'id', 'score', 'sharedTerms', 'text', 'url'];
const DOC_KEYS = ['docNumber', 'docType', 'id', 'issuedDate', 'issuer', 'region', 'title', 'year'];

describe('GET /api/similar/:paragraphId', () => {
  it('returns the paragraph and the hits, every field typed', async () => {
    const res = await get(server, `/api/similar/${SOURCE()}`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    const body = res.json() as SimilarResponse;
    expect(Object.keys(body).sort()).toEqual(['hits', 'paragraph']);
    expect(Object.keys(body.paragraph).sort()).toEqual(CLAUSE_KEYS);
    expect(body.paragraph.id).toBe(SOURCE());
    expect(body.paragraph.url).toBe(paragraphUrl(body.paragraph.docId, body.paragraph.id));
    // Only real parallels: at most the default limit of 10, never padded.
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits.length).toBeLessThanOrEqual(10);
    expect(body.hits[0]!.id).toBe(PARALLEL());
    for (const h of body.hits) {
      expect(Object.keys(h).sort()).toEqual(HIT_KEYS);
      expect(Object.keys(h.doc).sort()).toEqual(DOC_KEYS);
      expect(h.docId).not.toBe(body.paragraph.docId);
      expect(h.doc.id).toBe(h.docId);
      expect(h.url).toBe(paragraphUrl(h.docId, h.id));
      expect(h.citation.startsWith(`《${h.doc.title}》`)).toBe(true);
      expect(typeof h.score).toBe('number');
      expect(h.sharedTerms.length).toBeGreaterThan(0);
      expect(h.sharedTerms.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    }
    const scores = body.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('honours limit', async () => {
    expect((await get(server, `/api/similar/${SOURCE()}?limit=3`)).json().hits).toHaveLength(3);
    const all = (await get(server, `/api/similar/${SOURCE()}?limit=50`)).json().hits as Array<{ id: string }>;
    const first = (await get(server, `/api/similar/${SOURCE()}`)).json().hits as Array<{ id: string }>;
    expect(all.slice(0, first.length).map((h) => h.id)).toEqual(first.map((h) => h.id));
  });

  it.each(['0', '51', 'abc', '1.5', '-1', '99999999999999999999'])('limit=%s → 400 E_LIMIT_RANGE', async (limit) => {
    const res = await get(server, `/api/similar/${SOURCE()}?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('E_LIMIT_RANGE');
  });

  it('a repeated limit → 400 E_BAD_PARAM', async () => {
    const res = await get(server, `/api/similar/${SOURCE()}?limit=1&limit=2`);
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('E_BAD_PARAM');
  });

  it.each(['nope', 'missing-p1', `${'x'.repeat(12)}-p0`])('unknown paragraph %s → 404 E_PARAGRAPH_NOT_FOUND, as JSON', async (id) => {
    const res = await get(server, `/api/similar/${encodeURIComponent(id)}`);
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.json().error).toMatchObject({ code: 'E_PARAGRAPH_NOT_FOUND', message: '未找到该段落。' });
  });

  it('a paragraph index past the end of its document → 404', async () => {
    const docId = SOURCE().replace(/-p\d+$/u, '');
    expect((await get(server, `/api/similar/${docId}-p9999`)).status).toBe(404);
  });
});

describe('GET /api/compare', () => {
  it('returns both clauses, the parts and the summary', async () => {
    const res = await get(server, `/api/compare?a=${SOURCE()}&b=${PARALLEL()}`);
    expect(res.status).toBe(200);
    const body = res.json() as ClauseComparison;
    expect(Object.keys(body).sort()).toEqual(['a', 'b', 'parts', 'summary']);
    expect(Object.keys(body.a).sort()).toEqual(CLAUSE_KEYS);
    expect(body.a.id).toBe(SOURCE());
    expect(body.b.id).toBe(PARALLEL());
    expect(body.parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe(body.a.text);
    expect(body.parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe(body.b.text);
    expect(Object.keys(body.summary).sort()).toEqual(['addedChars', 'addedWords', 'removedChars', 'removedWords', 'sameChars', 'sameWords', 'sharedRatio', 'text']);
    expect(body.summary.text).toMatch(/^相同 \d+%，新增 \d+ 词，删去 \d+ 词$/u);
  });

  it.each([
    ['', 'E_BAD_PARAM', 400],
    ['?a=x', 'E_BAD_PARAM', 400],
    ['?b=x', 'E_BAD_PARAM', 400],
    ['?a=&b=', 'E_BAD_PARAM', 400],
    ['?a=1&a=2&b=3', 'E_BAD_PARAM', 400],
    ['?a=nope&b=nope', 'E_PARAGRAPH_NOT_FOUND', 404],
  ])('%s → %s', async (qs, code, status) => {
    const res = await get(server, `/api/compare${qs}`);
    expect(res.status).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('one unknown side → 404', async () => {
    expect((await get(server, `/api/compare?a=${SOURCE()}&b=nope`)).status).toBe(404);
    expect((await get(server, `/api/compare?a=nope&b=${SOURCE()}`)).status).toBe(404);
  });
});

describe('pages', () => {
  it('/similar lists the hits with citation, shared terms, score, permalink and a 对比 link', async () => {
    const res = await get(server, `/similar/${SOURCE()}`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/html/);
    const api = (await get(server, `/api/similar/${SOURCE()}`)).json() as SimilarResponse;
    expect(res.text).toContain('<h1>其他地区的相似条款</h1>');
    expect(res.text).toContain(api.paragraph.citation);
    expect(res.text.match(/<li class="clause-card similar-hit">/g)).toHaveLength(api.hits.length);
    for (const h of api.hits) {
      expect(res.text).toContain(h.citation);
      expect(res.text).toContain(`href="${h.url}"`);
      expect(res.text).toContain(`href="/compare?a=${api.paragraph.id}&amp;b=${h.id}"`);
      expect(res.text).toContain(`<span class="badge term">${h.sharedTerms[0]}</span>`);
      expect(res.text).toContain(`相似度 ${h.score.toFixed(2)}`);
    }
    // Shared terms are marked in the hit text.
    expect(res.text).toContain('<mark>权责清单</mark>');
    // The copy buttons are hidden until app.js reveals them; the script is external.
    expect(res.text).toMatch(/<button type="button" class="copy copy-clause" data-clause="[^"]+" data-citation="[^"]+" hidden>复制条款及出处<\/button>/u);
    expect(res.text.match(/<script\b[^>]*>/g)).toEqual(['<script src="/static/app.js" defer>']);
  });

  it('/compare shows both clauses side by side with <del> and <ins> marks and the summary', async () => {
    const res = await get(server, `/compare?a=${SOURCE()}&b=${PARALLEL()}`);
    expect(res.status).toBe(200);
    const api = (await get(server, `/api/compare?a=${SOURCE()}&b=${PARALLEL()}`)).json() as ClauseComparison;
    expect(res.text).toContain(api.summary.text);
    expect(res.text).toContain(api.a.citation);
    expect(res.text).toContain(api.b.citation);
    const left = /<section class="clause-card compare-side side-a"[\s\S]*?<\/section>/u.exec(res.text)![0];
    const right = /<section class="clause-card compare-side side-b"[\s\S]*?<\/section>/u.exec(res.text)![0];
    // Removed wording is struck through on the left only; added wording underlined on the right only.
    expect(left).toContain('<del>1. </del>');
    expect(left).not.toContain('<ins>');
    expect(right).toContain('<ins>（一）</ins>');
    expect(right).not.toContain('<del>');
    // With the marks removed, each side is its clause's text.
    const textOf = (html: string) => /<p class="clause-text diff-text">([\s\S]*?)<\/p>/u.exec(html)![1]!.replace(/<\/?(?:del|ins)>/g, '');
    expect(textOf(left)).toBe(api.a.text);
    expect(textOf(right)).toBe(api.b.text);
    expect(res.text).toContain(`href="/compare?a=${PARALLEL()}&amp;b=${SOURCE()}"`); // 左右互换
  });

  it('a table row shows its cells separated, and its text reassembles', async () => {
    const row = paragraphId('天台县', '对照法律法规规章，全面梳理本机关');
    const res = await get(server, `/compare?a=${row}&b=${SOURCE()}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(' ｜ ');
  });

  it('unknown ids and missing parameters render the error page', async () => {
    const notFound = await get(server, '/similar/nope');
    expect(notFound.status).toBe(404);
    expect(notFound.type).toMatch(/html/);
    expect(notFound.text).toContain('未找到该段落');
    expect((await get(server, `/compare?a=${SOURCE()}`)).status).toBe(400);
    expect((await get(server, `/compare?a=${SOURCE()}&b=nope`)).status).toBe(404);
    expect((await get(server, `/similar/${SOURCE()}?limit=0`)).status).toBe(400);
  });

  it('search results link each clause to its similar clauses', async () => {
    const res = await get(server, `/?q=${encodeURIComponent('权责清单')}`);
    expect(res.status).toBe(200);
    const links = [...res.text.matchAll(/<a class="similar-link" href="\/similar\/([^"]+)">其他地区的相似条款<\/a>/g)].map((m) => decodeURIComponent(m[1]!));
    expect(links).toContain(SOURCE());
    expect(links).toContain(PARALLEL());
  });

  it('the document page links clause-like paragraphs only', async () => {
    const docId = SOURCE().replace(/-p\d+$/u, '');
    const res = await get(server, `/docs/${docId}`);
    const doc = service.getDoc(docId);
    const linked = new Set([...res.text.matchAll(/href="\/similar\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!)));
    expect(linked.has(SOURCE())).toBe(true);
    for (const p of doc.paragraphs) {
      if (['title', 'docnumber', 'signature', 'footer', 'addressee', 'units'].includes(p.kind)) expect(linked.has(p.id), p.id).toBe(false);
      if (p.kind === 'clause') expect(linked.has(p.id), p.id).toBe(true);
    }
  });
});

describe('escaping on the drafting pages', () => {
  let hostile: SearchServiceApi;
  let hostileServer: Running;
  let hostileClause: string;
  let seedClause: string;

  beforeAll(async () => {
    hostile = await openHostileService();
    hostileServer = await listen(createApp({ service: hostile, config: testConfig(), logger: memoryLogger() }));
    const docs = hostile.listDocs().map((d) => hostile.getDoc(d.id));
    hostileClause = docs.flatMap((d) => d.paragraphs).find((p) => p.kind === 'clause' && p.text.includes(HOSTILE.script))!.id;
    seedClause = docs.flatMap((d) => d.paragraphs).find((p) => p.kind === 'clause' && !p.text.includes('<'))!.id;
  });
  afterAll(async () => {
    await hostileServer?.close();
  });

  const RAW = ['<script>alert', '<img src=x', '<b>单位</b>', '"><img'];
  function expectEscaped(text: string): void {
    for (const raw of RAW) expect(text).not.toContain(raw);
    expect(text.match(/<script\b[^>]*>/g)).toEqual(['<script src="/static/app.js" defer>']);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  }

  it('/similar of a clause with markup', async () => {
    const res = await get(hostileServer, `/similar/${hostileClause}`);
    expect(res.status).toBe(200);
    expectEscaped(res.text);
    // The copy button's data attributes carry the clause escaped, not as markup.
    expect(res.text).toContain('data-clause="（一）恶意标记测试条款&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('/compare with a clause with markup, on either side', async () => {
    for (const path of [`/compare?a=${hostileClause}&b=${seedClause}`, `/compare?a=${seedClause}&b=${hostileClause}`]) {
      const res = await get(hostileServer, path);
      expect(res.status).toBe(200);
      expectEscaped(res.text);
      expect(res.text).toMatch(/<(?:ins|del)>[^<]*&lt;script&gt;/u); // the markup is inside a diff mark, as text
    }
  });

  it('the JSON API returns the text as data', async () => {
    const body = (await get(hostileServer, `/api/compare?a=${seedClause}&b=${hostileClause}`)).json() as ClauseComparison;
    expect(body.b.text).toContain(HOSTILE.script);
  });
});
