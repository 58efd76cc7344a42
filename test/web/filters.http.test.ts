/**
 * The document-level filters of search over HTTP — 发文机关, 文种, 时效性, region and the 成文日期
 * range — on the seeds plus notices-dev served together: every facet count equals the total its
 * filter gives, ranges keep exactly the documents dated inside them, bad input is a 400, and the
 * page shows the facets, the range form and its chip.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { SearchResponse } from '../../src/domain/types.js';
import { openSearchService } from '../../src/search/service.js';
import { createApp } from '../../src/web/app.js';
import { missingData, NOTICES_DEV, suiteName } from '../helpers/shared-corpus.js';
import { SEEDS_DIR } from './fixtures.js';
import { listen, memoryLogger, testConfig, type Running } from './harness.js';

const skip = missingData(NOTICES_DEV, '../shared/corpus/notices-dev');
const TODAY = '2026-12-06';
const enc = encodeURIComponent;

describe.skipIf(skip !== null)(suiteName('search filters on the seeds and notices-dev', skip), () => {
  let server: Running;
  const dirs: string[] = [];

  beforeAll(async () => {
    const corpus = mkdtempSync(join(tmpdir(), 'filters-corpus-'));
    const index = mkdtempSync(join(tmpdir(), 'filters-index-'));
    dirs.push(corpus, index);
    for (const f of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, f), join(corpus, f));
    for (const f of readdirSync(NOTICES_DEV).filter((f) => f.endsWith('.txt'))) copyFileSync(join(NOTICES_DEV, f), join(corpus, f));
    const service = await openSearchService({ corpusDir: corpus, indexDir: index, limits: DEFAULT_LIMITS });
    server = await listen(createApp({ service, config: testConfig({ rateLimit: 0 }), logger: memoryLogger() }));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function api(qs: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${server.url}/api/search?${qs}`);
    return { status: res.status, body: await res.json() };
  }
  async function search(qs: string): Promise<SearchResponse> {
    const { status, body } = await api(`${qs}&today=${TODAY}`);
    expect(status, JSON.stringify(body)).toBe(200);
    return body as SearchResponse;
  }

  const QUERIES = ['管理', '公开', '有效期'];
  const FACETS = ['issuer', 'docType', 'validity', 'region', 'year'] as const;

  it.each(QUERIES)('every facet value of %s gives as many hits as it counts', async (q) => {
    const base = await search(`q=${enc(q)}&limit=1`);
    expect(base.total).toBeGreaterThan(0);
    for (const facet of FACETS) {
      const values = base.facets[facet];
      expect(values.length, facet).toBeGreaterThan(0);
      for (const v of values.slice(0, 8)) {
        const filtered = await search(`q=${enc(q)}&limit=1&${facet}=${enc(v.value)}`);
        expect(filtered.total, `${facet}=${v.value}`).toBe(v.count);
      }
    }
  });

  it('lists 文种 and 发文机关 of notices-dev and the seeds', async () => {
    const base = await search(`q=${enc('管理')}&limit=1`);
    const types = base.facets.docType.map((v) => v.value);
    expect(types).toEqual(expect.arrayContaining(['办法', '意见', '通知', '方案']));
    const issuers = base.facets.issuer.map((v) => v.value);
    expect(issuers).toEqual(expect.arrayContaining(['上海市黄浦区人民政府']));
    // The validity facet says its codes in Chinese.
    expect(base.facets.validity.map((v) => [v.value, v.label])).toEqual(expect.arrayContaining([['in-force', '现行有效']]));
  });

  it('region=上海市 means municipal documents, as its facet counts them', async () => {
    const base = await search(`q=${enc('管理')}&limit=1`);
    const shanghai = base.facets.region.find((v) => v.value === '上海市');
    expect(shanghai).toBeDefined();
    const filtered = await search(`q=${enc('管理')}&limit=50&region=${enc('上海市')}`);
    expect(filtered.total).toBe(shanghai!.count);
    for (const h of filtered.hits) expect(h.doc.region).toBe('上海市');
    // A name that is no document's region still filters by place (上海 = every Shanghai document).
    const loose = await search(`q=${enc('管理')}&limit=1&region=${enc('上海')}`);
    expect(loose.total).toBeGreaterThan(shanghai!.count);
  });

  it('a date range keeps exactly the documents dated inside it', async () => {
    const q = `q=${enc('管理')}`;
    const all = await search(`${q}&limit=1`);
    const before = await search(`${q}&limit=100&to=2020-12-31`);
    const after = await search(`${q}&limit=100&from=2021-01-01`);
    for (const h of before.hits) expect(h.doc.issuedDate! <= '2020-12-31', h.doc.issuedDate ?? 'null').toBe(true);
    for (const h of after.hits) expect(h.doc.issuedDate! >= '2021-01-01', h.doc.issuedDate ?? 'null').toBe(true);
    expect(before.total).toBeGreaterThan(0);
    expect(after.total).toBeGreaterThan(0);
    // Documents without a 成文日期 or 印发日期 are in no range: the two halves sum to the rest.
    const undated = all.total - before.total - after.total;
    expect(undated).toBeGreaterThanOrEqual(0);
    // A year and a month are whole: from=2021 is from=2021-01-01; to=2020-12 is to=2020-12-31.
    expect((await search(`${q}&limit=1&from=2021`)).total).toBe(after.total);
    expect((await search(`${q}&limit=1&to=2020-12`)).total).toBe(before.total);
    // A range inside one year equals the year facet's count only for documents of that year.
    const y2023 = await search(`${q}&limit=100&from=2023-01-01&to=2023-12-31`);
    for (const h of y2023.hits) expect(h.doc.issuedDate!.startsWith('2023')).toBe(true);
  });

  it.each([
    ['from=2021-13-01', 'E_BAD_DATE'],
    ['to=yesterday', 'E_BAD_DATE'],
    ['from=2022-01-01&to=2021-01-01', 'E_DATE_RANGE'],
    ['validity=valid', 'E_BAD_PARAM'],
    ['today=2026-02-30', 'E_BAD_DATE'],
    ['issuer=a&issuer=b', 'E_BAD_PARAM'],
  ])('%s → 400 %s', async (qs, code) => {
    const { status, body } = await api(`q=${enc('管理')}&${qs}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
  });

  it('an unknown 文种 or 发文机关 filters everything out, without error', async () => {
    expect((await search(`q=${enc('管理')}&docType=${enc('<b>x</b>')}`)).total).toBe(0);
    expect((await search(`q=${enc('管理')}&issuer=${enc('不存在的机关')}`)).total).toBe(0);
  });

  async function docByFile(prefix: string): Promise<any> {
    const list = (await (await fetch(`${server.url}/api/docs`)).json()).docs as Array<{ id: string; file: string }>;
    const id = list.find((d) => d.file.startsWith(prefix))!.id;
    return (await fetch(`${server.url}/api/docs/${id}?today=${TODAY}`)).json();
  }

  it('a document lists what it cites and what cites it (静安 135 → 上海市 153)', async () => {
    const jingan = await docByFile('135_');
    const city = await docByFile('153_');
    expect(jingan.cites.map((d: any) => d.id)).toEqual([city.id]);
    expect(jingan.cites[0].cue).toBe('根据');
    expect(jingan.cites[0].url).toMatch(new RegExp(`^/docs/${jingan.id}#`));
    expect(city.citedBy.map((d: any) => d.id)).toEqual([jingan.id]);
    expect(city.citesElsewhere.map((c: any) => c.title)).toContain('城市生活垃圾管理办法');
    expect(jingan.docType).toBe('办法');
  });

  it('validity: state, reason and the day it is judged on', async () => {
    const city = await docByFile('153_');
    expect(city.validity).toMatchObject({ state: 'expired', label: '已失效', effectiveDate: '2019-07-01', expiryDate: '2023-06-30', asOf: TODAY, repealedBy: null });
    expect(city.validity.reason).toContain('有效期至2023年6月30日');
    const id = city.id;
    const on = async (day: string) => (await (await fetch(`${server.url}/api/docs/${id}?today=${day}`)).json()).validity.state;
    expect(await on('2019-06-30')).toBe('not-yet');
    expect(await on('2020-01-01')).toBe('in-force');
    expect((await fetch(`${server.url}/api/docs/${id}?today=bad`)).status).toBe(400);
    const html = await (await fetch(`${server.url}/docs/${id}?today=${TODAY}`)).text();
    expect(html).toContain('validity-expired">已失效<');
    expect(html).toContain('引用本文的文件');
    expect(html).toContain('引用的其他文件（本库未收录）');
  });

  it('validity=in-force leaves out expired documents; their hits carry a badge', async () => {
    const q = `q=${enc('垃圾处理费')}`;
    const all = await search(`${q}&limit=100`);
    const inForce = await search(`${q}&limit=100&validity=in-force`);
    const expired = all.hits.filter((h) => h.doc.validity === 'expired');
    expect(expired.length).toBeGreaterThan(0);
    expect(inForce.total).toBe(all.total - expired.length);
    expect(inForce.hits.every((h) => h.doc.validity === 'in-force')).toBe(true);
    const html = await (await fetch(`${server.url}/?${q}&today=${TODAY}`)).text();
    expect(html).toContain('badge validity validity-expired');
  });

  it('the page lists the new facets, the date form and a removable range chip', async () => {
    const res = await fetch(`${server.url}/?q=${enc('管理')}&from=2021-01-01&docType=${enc('办法')}&today=${TODAY}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    for (const label of ['时效性', '文种', '发文机关', '成文日期']) expect(html).toContain(`<summary>${label}</summary>`);
    expect(html).toContain('成文日期：2021年1月1日 至 不限');
    expect(html).toContain('文种：办法');
    expect(html).toMatch(/<input type="date" name="from" value="2021-01-01">/);
    // The range form keeps the other filters as hidden fields.
    expect(html).toContain(`<input type="hidden" name="docType" value="办法">`);
  });
});
