/**
 * What a public reader sees: the start page says what the corpus holds (or that it holds nothing),
 * /help covers questions, commitments, similar clauses and compare, /status speaks Chinese
 * (loader reasons included), years in the facet read in order, and an empty corpus never looks
 * healthy. Real services over the seeds and over temp corpora (one empty, one with bad files).
 */
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { openSearchService } from '../../src/search/service.js';
import { createApp } from '../../src/web/app.js';
import { detailZh } from '../../src/web/routes/status.js';
import { corpusSummary } from '../../src/web/view-models.js';
import { openSeedService, removeTempDirs, SEEDS_DIR } from './fixtures.js';
import { listen, memoryLogger, testConfig, type Running } from './harness.js';

const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

let seeds: Running;
let empty: Running;
let messy: Running;

beforeAll(async () => {
  const app = async (service: Awaited<ReturnType<typeof openSeedService>>) => listen(createApp({ service, config: testConfig({ rateLimit: 0 }), logger: memoryLogger() }));
  seeds = await app(await openSeedService());
  empty = await app(await openSearchService({ corpusDir: temp('empty-corpus-'), indexDir: temp('empty-index-'), limits: DEFAULT_LIMITS }));
  const corpus = temp('messy-corpus-');
  const first = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort()[0]!;
  copyFileSync(join(SEEDS_DIR, first), join(corpus, first));
  writeFileSync(join(corpus, 'empty.txt'), '');
  writeFileSync(join(corpus, 'notes.xls'), 'x');
  writeFileSync(join(corpus, 'english.txt'), 'Minutes of the meeting. Nothing in Chinese here.');
  messy = await app(await openSearchService({ corpusDir: corpus, indexDir: temp('messy-index-'), limits: DEFAULT_LIMITS }));
});
afterAll(async () => {
  await Promise.all([seeds, empty, messy].map((s) => s?.close()));
  removeTempDirs();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const text = async (site: Running, path: string) => {
  const res = await fetch(site.url + path);
  return { status: res.status, html: await res.text() };
};
/** Visible text of a page, tags stripped. */
const visible = (html: string) => html.replace(/<script[\s\S]*?<\/script>/gu, '').replace(/<[^>]+>/gu, ' ').replace(/\s+/gu, ' ');

describe('start page', () => {
  it('says what the seed corpus holds: documents, paragraphs, years, places', async () => {
    const { html } = await text(seeds, '/');
    const v = visible(html);
    expect(v).toMatch(/本库收录 5 件政策文件、218 个段落，2020–2021 年，来自/u);
    for (const place of ['天台县', '鹿城区', '鼓楼区', '海阳市', '东阳市']) expect(v).toContain(place);
  });

  it('on an empty corpus says there are no documents, and a search does not suggest fewer terms', async () => {
    const home = visible((await text(empty, '/')).html);
    expect(home).toContain('语料库中还没有文件');
    const res = await text(empty, `/?q=${encodeURIComponent('政务公开')}`);
    expect(res.status).toBe(200);
    const v = visible(res.html);
    expect(v).toContain('语料库中还没有文件');
    expect(v).not.toContain('可以减少检索词');
  });
});

describe('/status', () => {
  it('on an empty corpus says there are no documents instead of 就绪', async () => {
    const v = visible((await text(empty, '/status')).html);
    expect(v).toContain('没有文件');
    expect(v).not.toContain('正在提供检索服务');
  });

  it('explains skipped files and warnings in Chinese', async () => {
    const v = visible((await text(messy, '/status')).html);
    expect(v).toContain('空文件（0 字节）');
    expect(v).toContain('（.xls）');
    expect(v).toContain('没有中文字符');
    // No English sentence from the loader reaches the page.
    expect(v).not.toMatch(/empty file|not a \.txt|no Chinese characters/u);
  });

  it.each([
    ['empty file (0 bytes)', '空文件（0 字节）'],
    ['only whitespace', '只有空白字符'],
    ['binary file (contains NUL bytes)', '二进制文件（含 NUL 字节）'],
    ['binary file (12 control bytes)', '二进制文件（12 个控制字节）'],
    ['file too large (50000000 bytes, limit 20971520)', '文件过大（50000000 字节，上限 20971520 字节）'],
    ['not a .txt or .md file (.docx)', '不是 .txt 或 .md 文件（.docx）'],
    ['not plain UTF-8: read as GB18030', '不是 UTF-8，已按 GB18030 读取，请核对文字是否正确'],
    ['symbolic link loop: leads back to .', '符号链接循环：指回 .'],
    ['cannot be read (EACCES: permission denied)', '无法读取（EACCES: permission denied）'],
    ['something new', 'something new'],
  ])('detailZh(%j) → %j', (en, zh) => {
    expect(detailZh(en)).toBe(zh);
  });
});

describe('/help', () => {
  it('covers questions, commitments, similar clauses and compare, with links', async () => {
    const { html } = await text(seeds, '/help');
    for (const heading of ['像提问一样检索', '承诺事项：谁负责、做什么、何时完成', '相似条款与条款对比']) expect(html).toContain(heading);
    expect(html).toContain('href="/commitments"');
    expect(html).toContain('/api/similar/');
    expect(html).toContain('/api/compare');
    expect(visible(html)).toContain('已到期');
  });
});

describe('facets', () => {
  it('list years newest first', async () => {
    const { html } = await text(seeds, `/?q=${encodeURIComponent('政务公开')}`);
    const yearBlock = /<summary>年份<\/summary>([\s\S]*?)<\/details>/u.exec(html)![1]!;
    const years = [...yearBlock.matchAll(/>(\d{4})<\/a>/gu)].map((m) => Number(m[1]));
    expect(years.length).toBeGreaterThan(1);
    expect(years).toEqual([...years].sort((a, b) => b - a));
  });
});

describe('corpusSummary', () => {
  const doc = (region: string | null, year: number | null, issuer: string | null, paragraphCount = 10) => ({ region, city: null, province: null, year, issuer, paragraphCount });
  it.each([
    ['empty', [], { documents: 0, paragraphs: 0, places: [], morePlaces: 0, firstYear: null, lastYear: null, issuers: [] }],
    [
      'counts places and issuers, most first, and the year range',
      [doc('天台县', 2020, '县政府办'), doc('天台县', 2021, '县政府办'), doc('鹿城区', 2019, null, 5), doc(null, null, '县政府办')],
      { documents: 4, paragraphs: 35, places: [{ name: '天台县', count: 2 }, { name: '鹿城区', count: 1 }], morePlaces: 0, firstYear: 2019, lastYear: 2021, issuers: [{ name: '县政府办', count: 3 }] },
    ],
  ])('%s', (_name, docs, want) => {
    expect(corpusSummary(docs)).toEqual(want);
  });
});
