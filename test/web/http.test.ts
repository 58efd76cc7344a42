/**
 * HTTP tests for every endpoint of createApp(), over the seed corpus: the JSON contract field by
 * field, filters, pagination, sorting, every 400/404 path, errors without stack traces,
 * security headers, and the rate limit. The app listens on an ephemeral loopback port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalUnitKeys } from '../../src/corpus/unit-aliases.js';
import { unitKey } from '../../src/search/service.js';
import { AppError } from '../../src/domain/errors.js';
import type { Hit, SearchResponse } from '../../src/domain/types.js';
import { paragraphUrl, type DocDetail, type DocListItem, type SearchServiceApi } from '../../src/search/api.js';
import { createLiveService } from '../../src/search/live-service.js';
import { createApp } from '../../src/web/app.js';
import { EXAMPLE_QUERIES, HELP_METADATA, HELP_SYNTAX } from '../../src/web/routes/pages.js';
import { openSeedService, removeTempDirs, SEED_QUERY } from './fixtures.js';
import { listen, memoryLogger, testConfig, type Running } from './harness.js';

let service: SearchServiceApi;
let server: Running;
const logger = memoryLogger();

beforeAll(async () => {
  service = await openSeedService();
  server = await listen(createApp({ service, config: testConfig({ rateLimit: 0 }), logger }));
});
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

async function get(path: string): Promise<{ status: number; type: string; text: string; json: () => any; headers: Headers }> {
  const res = await fetch(server.url + path, { redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text), headers: res.headers };
}

async function search(params: Record<string, string | number>): Promise<SearchResponse> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const res = await get(`/api/search?${qs}`);
  expect(res.status, res.text).toBe(200);
  return res.json() as SearchResponse;
}

const CJK = /[\u4e00-\u9fff]/u;
const isStringOrNull = (v: unknown) => v === null || typeof v === 'string';

function expectHitShape(hit: Hit): void {
  expect(typeof hit.id).toBe('string');
  expect(typeof hit.docId).toBe('string');
  expect(typeof hit.text).toBe('string');
  expect(Array.isArray(hit.highlights)).toBe(true);
  for (const span of hit.highlights) {
    expect(span).toHaveLength(2);
    const [s, e] = span;
    expect(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e > s && e <= hit.text.length).toBe(true);
  }
  expect(Array.isArray(hit.section) && hit.section.every((s) => typeof s === 'string')).toBe(true);
  expect(isStringOrNull(hit.label)).toBe(true);
  expect(typeof hit.citation === 'string' && hit.citation.length > 0).toBe(true);
  expect(hit.url).toBe(paragraphUrl(hit.docId, hit.id));
  expect(typeof hit.score).toBe('number');
  const d = hit.doc;
  expect(d.id).toBe(hit.docId);
  for (const k of ['title', 'docNumber', 'issuer', 'issuedDate', 'region', 'docType'] as const) expect(isStringOrNull(d[k]), k).toBe(true);
  expect(['in-force', 'not-yet', 'expired', 'repealed']).toContain(d.validity);
  expect(d.year === null || Number.isInteger(d.year)).toBe(true);
  expect(Object.keys(hit).sort()).toEqual(['citation', 'doc', 'docId', 'highlights', 'id', 'label', 'missing', 'score', 'section', 'text', 'url'].sort());
  expect(Object.keys(d).sort()).toEqual(['docNumber', 'docType', 'id', 'issuedDate', 'issuer', 'region', 'title', 'validity', 'year'].sort());
}

describe('GET /api/search: contract', () => {
  it('returns every field of SearchResponse with the right types', async () => {
    const r = await search({ q: SEED_QUERY, limit: 5 });
    expect(Object.keys(r).sort()).toEqual(['facets', 'hits', 'mode', 'partial', 'query', 'question', 'suggestions', 'took' + 'Ms', 'total'].sort());
    expect(r.mode).toBe('keywords');
    expect(r.question).toBeNull();
    expect(r.partial).toBe(false);
    expect(r.query).toBe(SEED_QUERY);
    expect(Number.isInteger(r.total) && r.total >= r.hits.length).toBe(true);
    expect(r.total).toBeGreaterThan(5);
    expect(typeof r.tookMs === 'number' && r.tookMs >= 0).toBe(true);
    expect(r.hits).toHaveLength(5);
    r.hits.forEach(expectHitShape);
    // Highlights point at the query's characters.
    expect(r.hits.some((h) => h.highlights.some(([s, e]) => SEED_QUERY.includes(h.text.slice(s, e))))).toBe(true);
    expect(Object.keys(r.facets).sort()).toEqual(['docType', 'issuer', 'region', 'unit', 'validity', 'year']);
    for (const key of ['region', 'year', 'unit', 'issuer', 'docType', 'validity'] as const) {
      expect(Array.isArray(r.facets[key])).toBe(true);
      for (const f of r.facets[key]) expect(typeof f.value === 'string' && Number.isInteger(f.count) && f.count > 0).toBe(true);
    }
    expect(r.facets.region.length).toBeGreaterThan(1);
    expect(Array.isArray(r.suggestions) && r.suggestions.every((s) => typeof s === 'string')).toBe(true);
  });

  it('defaults to limit 20, offset 0, relevance order', async () => {
    const a = await search({ q: SEED_QUERY });
    const b = await search({ q: SEED_QUERY, limit: 20, offset: 0, sort: 'relevance' });
    expect(a.hits.length).toBe(Math.min(20, a.total));
    expect(a.hits.map((h) => h.id)).toEqual(b.hits.map((h) => h.id));
  });

  it('accepts the largest API limit (1000) and returns a 200 with no hits past the end', async () => {
    const all = await search({ q: SEED_QUERY, limit: 1000 });
    expect(all.hits).toHaveLength(all.total);
    const past = await search({ q: SEED_QUERY, offset: all.total + 5 });
    expect(past.hits).toEqual([]);
    expect(past.total).toBe(all.total);
  });
});

describe('GET /api/search: questions and partial matches', () => {
  it('reports how the query was read, partial results and per-hit missing terms', async () => {
    const q = await search({ q: '政府信息公开申请怎么提交？' });
    expect(q.mode).toBe('question');
    expect(q.question).toEqual({ terms: ['政府信息公开', '申请', '提交'], dropped: ['怎么'], expanded: [] });
    expect(q.total).toBeGreaterThan(0);
    for (const h of q.hits) expect(Array.isArray(h.missing)).toBe(true);

    const k = await search({ q: '标准目录' });
    expect(k.mode).toBe('keywords');
    expect(k.question).toBeNull();
    expect(k.partial).toBe(false);
    expect(k.hits.every((h) => h.missing.length === 0)).toBe(true);

    const p = await search({ q: '标准目录 量子计算' });
    expect(p.partial).toBe(true);
    expect(p.total).toBeGreaterThan(0);
    expect(p.hits.every((h) => h.missing.join() === '量子计算')).toBe(true);
  });
});

describe('GET /api/search: filters', () => {
  let base: SearchResponse;
  beforeAll(async () => {
    base = await search({ q: SEED_QUERY, limit: 1000 });
  });
  const sum = (r: SearchResponse, k: 'region' | 'year' | 'unit') => r.facets[k].reduce((n, f) => n + f.count, 0);

  it('region narrows results to that region and narrows the other facets', async () => {
    const region = base.facets.region[0]!;
    const r = await search({ q: SEED_QUERY, region: region.value, limit: 1000 });
    expect(r.total).toBe(region.count);
    expect(r.total).toBeLessThan(base.total);
    expect(r.hits.every((h) => h.doc.region === region.value)).toBe(true);
    expect(sum(r, 'year')).toBeLessThan(sum(base, 'year'));
  });

  it('year narrows results to that year', async () => {
    const year = base.facets.year.find((f) => f.count < base.total)!;
    const r = await search({ q: SEED_QUERY, year: year.value, limit: 1000 });
    expect(r.total).toBe(year.count);
    expect(r.hits.every((h) => String(h.doc.year) === year.value)).toBe(true);
    expect(sum(r, 'region')).toBeLessThan(sum(base, 'region'));
  });

  it('unit narrows results to paragraphs naming that unit', async () => {
    const unit = base.facets.unit[0]!;
    const r = await search({ q: SEED_QUERY, unit: unit.value, limit: 1000 });
    expect(r.total).toBeGreaterThan(0);
    expect(r.total).toBeLessThan(base.total);
    const first = r.hits[0]!;
    const doc = (await get(`/api/docs/${encodeURIComponent(first.docId)}`)).json() as DocDetail;
    const para = doc.paragraphs.find((p) => p.id === first.id)!;
    // One unit rule: the facet names the canonical unit; the paragraph may spell it another way.
    expect(para.units.some((u) => canonicalUnitKeys(u).includes(unitKey(unit.value)))).toBe(true);
  });

  it('filters combine, and an unknown region finds nothing (200, not an error)', async () => {
    const region = base.facets.region[0]!.value;
    const both = await search({ q: SEED_QUERY, region, year: base.hits.find((h) => h.doc.region === region)!.doc.year!, limit: 1000 });
    expect(both.total).toBeGreaterThan(0);
    expect(both.total).toBeLessThanOrEqual(base.facets.region[0]!.count);
    const none = await search({ q: SEED_QUERY, region: '不存在的地区' });
    expect(none.total).toBe(0);
    expect(none.hits).toEqual([]);
  });
});

describe('GET /api/search: pagination and sort', () => {
  it('pages are consistent: offset/limit slices of one stable order, total unchanged', async () => {
    const six = await search({ q: SEED_QUERY, limit: 6 });
    const p1 = await search({ q: SEED_QUERY, limit: 3, offset: 0 });
    const p2 = await search({ q: SEED_QUERY, limit: 3, offset: 3 });
    expect(p1.total).toBe(six.total);
    expect(p2.total).toBe(six.total);
    expect([...p1.hits, ...p2.hits].map((h) => h.id)).toEqual(six.hits.map((h) => h.id));
    expect(new Set([...p1.hits, ...p2.hits].map((h) => h.id)).size).toBe(6);
  });

  it('sort=date orders hits by issued date, newest first, with the same total', async () => {
    const rel = await search({ q: SEED_QUERY, limit: 1000 });
    const byDate = await search({ q: SEED_QUERY, limit: 1000, sort: 'date' });
    expect(byDate.total).toBe(rel.total);
    const dates = byDate.hits.map((h) => h.doc.issuedDate ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    expect(new Set(byDate.hits.map((h) => h.id))).toEqual(new Set(rel.hits.map((h) => h.id)));
  });
});

describe('GET /api/search: 400 paths', () => {
  const long = '政'.repeat(201);
  it.each([
    ['missing q', 'E_QUERY_EMPTY', ''],
    ['empty q', 'E_QUERY_EMPTY', 'q='],
    ['blank q', 'E_QUERY_EMPTY', 'q=%20%20'],
    ['q too long', 'E_QUERY_TOO_LONG', `q=${encodeURIComponent(long)}`],
    ['limit 0', 'E_LIMIT_RANGE', 'q=a&limit=0'],
    ['limit 1001', 'E_LIMIT_RANGE', 'q=a&limit=1001'],
    ['limit abc', 'E_LIMIT_RANGE', 'q=a&limit=abc'],
    ['limit 1.5', 'E_LIMIT_RANGE', 'q=a&limit=1.5'],
    ['limit -1', 'E_LIMIT_RANGE', 'q=a&limit=-1'],
    ['offset -1', 'E_OFFSET_RANGE', 'q=a&offset=-1'],
    ['offset huge', 'E_OFFSET_RANGE', 'q=a&offset=10001'],
    ['offset 1e3', 'E_OFFSET_RANGE', 'q=a&offset=1e3'],
    ['bad sort', 'E_BAD_PARAM', 'q=a&sort=score'],
    ['year abc', 'E_BAD_PARAM', 'q=a&year=abc'],
    ['repeated q', 'E_BAD_PARAM', 'q=a&q=b'],
    ['repeated limit', 'E_BAD_PARAM', 'q=a&limit=1&limit=2'],
    ['repeated region', 'E_BAD_PARAM', 'q=a&region=x&region=y'],
  ])('%s → 400 %s', async (_name, code, qs) => {
    const res = await get(`/api/search?${qs}`);
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/application\/json/);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(CJK);
    expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('too many terms → 400 E_TOO_MANY_TERMS from the service', async () => {
    const q = Array.from({ length: 20 }, (_, i) => `词${i}`).join(' ');
    const res = await get(`/api/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('E_TOO_MANY_TERMS');
  });
});

describe('GET /api/docs and /api/docs/:id', () => {
  it('lists documents with metadata', async () => {
    const res = await get('/api/docs');
    expect(res.status).toBe(200);
    const { docs } = res.json() as { docs: DocListItem[] };
    expect(docs.length).toBe(service.stats().documents);
    for (const d of docs) {
      expect(typeof d.id).toBe('string');
      expect(typeof d.file).toBe('string');
      expect(Number.isInteger(d.paragraphCount) && d.paragraphCount > 0).toBe(true);
      for (const k of ['title', 'docNumber', 'issuer', 'issuedDate', 'printedDate', 'region', 'city', 'province'] as const) expect(isStringOrNull(d[k]), k).toBe(true);
      expect(d.year === null || Number.isInteger(d.year)).toBe(true);
    }
  });

  it('returns a document with paragraphs, permalinks and outline', async () => {
    const { docs } = (await get('/api/docs')).json() as { docs: DocListItem[] };
    const res = await get(`/api/docs/${encodeURIComponent(docs[0]!.id)}`);
    expect(res.status).toBe(200);
    const doc = res.json() as DocDetail;
    expect(doc.id).toBe(docs[0]!.id);
    expect(doc.paragraphs).toHaveLength(doc.paragraphCount);
    expect(typeof doc.encoding).toBe('string');
    expect(typeof doc.meta).toBe('object');
    expect(Array.isArray(doc.outline)).toBe(true);
    doc.paragraphs.forEach((p, i) => {
      expect(p.index).toBe(i);
      expect(p.url).toBe(paragraphUrl(doc.id, p.id));
      expect(typeof p.citation).toBe('string');
      expect(typeof p.text).toBe('string');
      expect(Array.isArray(p.section) && Array.isArray(p.units) && Array.isArray(p.repairs)).toBe(true);
      for (const d of p.deadlines) expect(typeof d.text === 'string' && isStringOrNull(d.date)).toBe(true);
    });
  });

  it('unknown id → 404 E_DOC_NOT_FOUND', async () => {
    const res = await get('/api/docs/no-such-doc');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'E_DOC_NOT_FOUND', message: expect.stringMatching(CJK), requestId: res.headers.get('x-request-id') } });
  });
});

describe('404s and other errors', () => {
  it.each(['/api/nope', '/api', '/api/search/extra', '/api/docs/a/b'])('unknown API route %s → JSON 404 E_NOT_FOUND', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/json/);
    expect(res.json().error.code).toBe('E_NOT_FOUND');
  });

  it('unknown page → Chinese 404 page', async () => {
    const res = await get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/html/);
    expect(res.text).toContain('页面不存在');
  });

  it('unknown document page → Chinese 404 page', async () => {
    const res = await get('/docs/no-such-doc');
    expect(res.status).toBe(404);
    expect(res.text).toContain('未找到该文件');
  });

  it('malformed percent-encoding → 400, not 500', async () => {
    const res = await get('/docs/%E0%A4%A');
    expect(res.status).toBe(400);
  });

  it('page parameters are validated with the page limit (100)', async () => {
    expect((await get(`/?q=${encodeURIComponent(SEED_QUERY)}&limit=100`)).status).toBe(200);
    const res = await get(`/?q=${encodeURIComponent(SEED_QUERY)}&limit=101`);
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/html/);
    expect(res.text).toContain('每页条数超出允许范围');
    expect((await get('/?q=a&q=b')).status).toBe(400);
  });

  it('an unexpected service error → 500 E_INTERNAL, logged, no stack trace (JSON and HTML)', async () => {
    const log = memoryLogger();
    const broken: SearchServiceApi = {
      ...service,
      search: () => {
        throw new TypeError('secret internal detail');
      },
      listDocs: () => service.listDocs(),
      getDoc: () => {
        throw new AppError('E_DOC_NOT_FOUND');
      },
      stats: () => service.stats(),
    };
    const s = await listen(createApp({ service: broken, config: testConfig(), logger: log }));
    try {
      const api = await fetch(`${s.url}/api/search?q=x`);
      expect(api.status).toBe(500);
      const text = await api.text();
      const apiId = api.headers.get('x-request-id');
      expect(apiId).toMatch(/^[0-9a-f]{12}$/);
      expect(JSON.parse(text)).toEqual({ error: { code: 'E_INTERNAL', message: '服务器内部错误。', requestId: apiId } });
      expect(text).not.toContain('secret');
      const page = await fetch(`${s.url}/?q=x`);
      expect(page.status).toBe(500);
      const html = await page.text();
      expect(html).toContain('服务器内部错误');
      expect(html).not.toContain('secret');
      expect(html).not.toContain('TypeError');
      expect(html).not.toMatch(/\bat .*\.(ts|js):\d+/);
      // The page shows its request id, and the log line with the error carries the same id.
      const pageId = page.headers.get('x-request-id')!;
      expect(html).toContain(`<code class="request-id">${pageId}</code>`);
      const logged = log.lines.join('\n');
      expect(logged).toContain('secret internal detail');
      expect(log.lines.find((l) => l.includes(`[${pageId}]`))).toContain('secret internal detail');
      expect(log.lines.find((l) => l.includes(`[${apiId}]`))).toContain('GET /api/search?q=x');
    } finally {
      await s.close();
    }
  });
});

describe('GET /healthz and /readyz', () => {
  it('/healthz reports the process is up, uncached', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('before an index is loaded: /healthz 200, /readyz 503 with a reason, pages and API 503 E_NOT_READY', async () => {
    const live = createLiveService();
    const s = await listen(createApp({ service: live.service, config: testConfig(), logger: memoryLogger() }));
    try {
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, code: 'E_NOT_READY', reason: expect.stringMatching(CJK) });
      const api = await fetch(`${s.url}/api/search?q=${encodeURIComponent(SEED_QUERY)}`);
      expect(api.status).toBe(503);
      expect((await api.json()).error.code).toBe('E_NOT_READY');
      const page = await fetch(`${s.url}/docs`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('索引正在加载');
      expect((await fetch(`${s.url}/status`)).status).toBe(503);
      // Once an index is swapped in, the same app answers from it.
      live.swap(service);
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${s.url}/api/search?q=${encodeURIComponent(SEED_QUERY)}`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('/readyz reports the served index (a plain service: counts and build time from its stats)', async () => {
    const res = await get('/readyz');
    expect(res.status).toBe(200);
    const body = res.json();
    const stats = service.stats();
    expect(body).toMatchObject({ ready: true, documents: stats.documents, paragraphs: stats.paragraphs, builtAt: stats.builtAt });
    expect(body.documents).toBe(service.listDocs().length);
  });
});

describe('HTML pages', () => {
  it('/ without a query shows the search box, an introduction and example links', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/text\/html/);
    expect(res.text).toContain('name="q"');
    expect(res.text).toContain('试试这些检索');
    expect(res.text).toContain('href="/?q=');
  });

  it('/?q= shows hits with marks, filters, sort, citation, 查看原文 and pagination', async () => {
    const res = await get(`/?q=${encodeURIComponent(SEED_QUERY)}&limit=5`);
    expect(res.status).toBe(200);
    for (const s of ['<mark>', '共 <strong>', '地区', '年份', '责任单位', '相关度', '日期', '复制引用', '查看原文', 'class="pager"', '下一页']) {
      expect(res.text, s).toContain(s);
    }
  });

  it('a query that finds nothing says so', async () => {
    const res = await get(`/?q=${encodeURIComponent('量子纠缠望远镜')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('未找到');
  });

  it('a query that finds nothing lists the service’s suggestions as search links', async () => {
    // Excluding the only term finds nothing; the service suggests the query without the exclusion.
    const q = '政务公开 -公开';
    const { suggestions } = await search({ q });
    expect(suggestions.length).toBeGreaterThan(0);
    const res = await get(`/?q=${encodeURIComponent(q)}`);
    expect(res.text).toContain('未找到');
    for (const s of suggestions) expect(res.text).toContain(`<a href="/?${new URLSearchParams({ q: s })}">`);
  });

  it('/docs lists every document title', async () => {
    const res = await get('/docs');
    expect(res.status).toBe(200);
    for (const d of service.listDocs()) expect(res.text).toContain(d.title ?? d.file);
  });

  it('/docs/:id has an anchor for every paragraph, metadata and outline', async () => {
    const doc = service.getDoc(service.listDocs()[0]!.id);
    const res = await get(`/docs/${encodeURIComponent(doc.id)}`);
    expect(res.status).toBe(200);
    for (const p of doc.paragraphs) expect(res.text).toContain(`id="${p.id}"`);
    for (const label of ['发文机关', '文号', '成文日期', '印发日期', '地区', '年份', '目录']) expect(res.text).toContain(label);
    // Internals stay off public pages: no source file name, no repair badge.
    expect(res.text).not.toContain(doc.file);
    expect(res.text).not.toContain('来源文件');
    expect(res.text).not.toContain('已修复');
  });

  it('/docs/:id shows repairs with the original wording, units and deadlines as badges, table rows as cells', async () => {
    const docs = service.listDocs();
    const pages = await Promise.all(docs.map((d) => get(`/docs/${encodeURIComponent(d.id)}`)));
    const all = pages.map((p) => p.text).join('\n');
    // seeds/000 has `规则 and 标准` repaired to 规则和标准, and sentences broken across lines.
    expect(all).toContain('<span class="repair" title="原文：&#39; and &#39;">和</span>');
    // The line-break mark is drawn by CSS (data-mark), never written into the text a reader copies.
    expect(all).toContain('<span class="gap" data-mark="⏎" title="原文此处换行"></span>');
    expect(all).not.toMatch(/>[^<]*[⏎␣][^<]*</u);
    expect(all).toContain('<span class="units-label">责任单位</span>');
    expect(all).toMatch(/<span class="badge deadline" title="[^"]+">时限 \d{4}-\d{2}-\d{2}<\/span>/);
    // seeds/004 has a task table: each row is a grid of cells, split at tabs.
    const table = pages.find((p) => p.text.includes('class="row-cells"'))!;
    expect(table.text).toMatch(/<div class="cell" role="cell">序号<\/div><div class="cell" role="cell">重点任务<\/div>/);
  });

  it('/docs/:id?q= marks the query in the document', async () => {
    const doc = service.listDocs()[0]!;
    const res = await get(`/docs/${encodeURIComponent(doc.id)}?q=${encodeURIComponent(SEED_QUERY)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<mark>');
  });

  it('/help documents the syntax and limits', async () => {
    const res = await get('/help');
    expect(res.status).toBe(200);
    for (const s of ['标题:', '文号:', '地区:', '年份:', '单位:', 'OR', '最长 200 个字符']) expect(res.text).toContain(s);
  });

  it('sends security headers: a self-only CSP without inline script or style', async () => {
    const res = await get('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('sends the same security headers on errors, and an X-Request-Id on every response', async () => {
    const ids = new Set<string>();
    for (const path of ['/', '/no/such/page', '/api/nope', '/api/search?q=', '/healthz', '/static/style.css']) {
      const res = await get(path);
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      const id = res.headers.get('x-request-id');
      expect(id, path).toMatch(/^[0-9a-f]{12}$/);
      ids.add(id!);
    }
    expect(ids.size).toBe(6);
  });

  it('serves the static CSS and JS', async () => {
    const css = await get('/static/style.css');
    expect(css.status).toBe(200);
    expect(css.text).toContain('Noto Sans CJK SC');
    const js = await get('/static/app.js');
    expect(js.status).toBe(200);
    expect(js.type).toMatch(/javascript/);
  });
});

describe('help and start-page examples work on the seeds', () => {
  const examples = [...EXAMPLE_QUERIES.map((e) => e.q), ...HELP_SYNTAX.map((e) => e.example), ...HELP_METADATA.map((e) => e.q)];
  it.each([...new Set(examples)])('%s finds something', async (q) => {
    const r = await search({ q });
    expect(r.total).toBeGreaterThan(0);
  });
});

describe('rate limit', () => {
  it('answers 429 E_RATE_LIMITED (JSON for the API) once the per-minute limit is used up', async () => {
    const s = await listen(createApp({ service, config: testConfig({ rateLimit: 3 }), logger: memoryLogger() }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${s.url}/api/docs`)).status);
      expect(statuses).toEqual([200, 200, 200]);
      const res = await fetch(`${s.url}/api/search?q=${encodeURIComponent(SEED_QUERY)}`);
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({ error: { code: 'E_RATE_LIMITED', message: '请求过于频繁，请稍后再试。', requestId: res.headers.get('x-request-id') } });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const page = await fetch(`${s.url}/help`);
      expect(page.status).toBe(429);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).toContain('请求过于频繁');
      expect(html).toMatch(/请在 \d+ 秒后重试/);
      expect(html).toContain(page.headers.get('x-request-id')!);
      // Health checks and static assets are not counted.
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${s.url}/static/style.css`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('rateLimit 0 turns the limit off', async () => {
    const s = await listen(createApp({ service, config: testConfig({ rateLimit: 0 }), logger: memoryLogger() }));
    try {
      const statuses = await Promise.all(Array.from({ length: 150 }, () => fetch(`${s.url}/api/docs`).then((r) => r.status)));
      expect(statuses.every((st) => st === 200)).toBe(true);
    } finally {
      await s.close();
    }
  });
});

describe('request limits', () => {
  async function raw(method: string, path: string, init: RequestInit = {}) {
    const res = await fetch(server.url + path, { method, ...init });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
  }

  it('methods other than GET and HEAD → 405 with Allow, JSON on /api', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await raw(method, '/api/search?q=a');
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.body.error.code).toBe('E_METHOD_NOT_ALLOWED');
    }
    const page = await raw('POST', '/');
    expect(page.status).toBe(405);
    expect(page.text).toContain('不支持该请求方法');
    const head = await fetch(`${server.url}/api/docs`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('a request body → 413 (no endpoint accepts one), the connection survives for the next client', async () => {
    // fetch refuses a body on GET; Node's http client sends one.
    const { request } = await import('node:http');
    const body = 'x'.repeat(100_000);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/api/docs`, { method: 'GET', headers: { 'content-type': 'text/plain', 'content-length': String(body.length) } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(413);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('a URL over MAX_URL_LENGTH → 414 with a Chinese message; over the header limit → 431, no crash', async () => {
    const long = await raw('GET', `/api/search?q=a&pad=${'x'.repeat(9000)}`);
    expect(long.status).toBe(414);
    expect(long.body.error.code).toBe('E_URI_TOO_LONG');
    expect(long.body.error.message).toMatch(CJK);
    const page = await raw('GET', `/?q=${'x'.repeat(9000)}`);
    expect(page.status).toBe(414);
    expect(page.text).toContain('请求地址过长');
    expect((await get('/healthz')).status).toBe(200);
  });

  it('more quoted phrases than MAX_QUOTED_PHRASES (8) → 400 E_TOO_MANY_PHRASES; 8 are fine', async () => {
    const phrases = (n: number) => Array.from({ length: n }, (_, i) => `"政务${i}"`).join(' ');
    const ok = await get(`/api/search?q=${encodeURIComponent(phrases(8))}`);
    expect(ok.status).toBe(200);
    const bad = await get(`/api/search?q=${encodeURIComponent(phrases(9))}`);
    expect(bad.status).toBe(400);
    expect(bad.json().error.code).toBe('E_TOO_MANY_PHRASES');
    expect(bad.json().error.message).toContain('最多 8 个');
  });

  it('control characters, NUL and bidi overrides are removed from the query before searching', async () => {
    const clean = await search({ q: SEED_QUERY });
    const dirty = await get(`/api/search?q=${encodeURIComponent(`\u202e政务\u0000公开\u0007`)}`);
    expect(dirty.status).toBe(200);
    const body = dirty.json() as SearchResponse;
    expect(body.query).toBe(SEED_QUERY);
    expect(body.total).toBe(clean.total);
  });

  it('regions and units longer than the query limit → 400', async () => {
    const res = await get(`/api/search?q=a&region=${encodeURIComponent('地'.repeat(201))}`);
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('E_BAD_PARAM');
  });
});
