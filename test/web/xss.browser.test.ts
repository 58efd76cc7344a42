/**
 * XSS in a real Chromium (Debian's /usr/bin/chromium via playwright-core): two notices whose
 * titles, headings, clauses, responsible units and deadline clauses carry the usual probes, file
 * names carrying them (listed on /docs and /status), and queries, ids and filters carrying them.
 * Every page is visited — search, document list, documents, help, status, error pages and, when
 * their routes exist, similar clauses, comparison and commitments. On each: no dialog ever opens
 * (page.on('dialog') fails the test), no element or attribute a probe would create exists, no
 * javascript: link exists, and the probes that belong on the page are there as visible text.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { buildAndSave } from '../../src/indexing/pipeline.js';
import type { SearchServiceApi } from '../../src/search/api.js';
import { createLiveService } from '../../src/search/live-service.js';
import { IndexReloader, loadCurrentIndex } from '../../src/search/reloader.js';
import { createApp } from '../../src/web/app.js';
import { listen, memoryLogger, testConfig, type Running } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test-results/screenshots';
const SEEDS = resolve(import.meta.dirname, '../../seeds');

const PROBES = {
  script: '<script>alert(1)</script>',
  svg: '"><svg onload=alert(1)>',
  js: 'javascript:alert(1)',
  textarea: '</textarea>',
  ejs: '<%= 7*7 %>',
  mustache: '{{7*7}}',
  img: '<img src=x onerror=alert(1)>',
} as const;
const ALL = Object.values(PROBES);

/** A notice laid out like the seeds, with a probe in every part the parser extracts. */
function hostileNotice(place: string, number: number): string {
  return `${place}人民政府办公室文件

${place.slice(0, 1)}政办〔2021〕${number}号

${place}人民政府办公室关于印发${PROBES.script}政务公开工作要点的通知${PROBES.svg}

各乡镇人民政府，${place}政府各部门：

《政务公开工作要点》已经${place}政府同意，现印发给你们，请认真贯彻执行。${PROBES.mustache}

${place}人民政府办公室

2021年3月1日

2021年${place}政务公开工作要点

一、${PROBES.img}加强探针防护

（一）恶意标记测试条款${PROBES.script}，参见${PROBES.js}，以及${PROBES.textarea}和${PROBES.ejs}、${PROBES.mustache}的处理办法，2021年6月底前完成。（责任单位：${PROBES.img}办公室、${place}司法局）

（二）推进探针规范化建设${PROBES.svg}，每季度更新一次，2021年9月底前完成。（责任单位：${place}大数据局${PROBES.svg}）

二、${PROBES.ejs}深化公开

（一）公开${PROBES.mustache}与${PROBES.textarea}标准目录，2021年12月底前完成。（责任单位：${place}政府办公室）
`;
}

let corpus: string;
let indexDir: string;
let browser: Browser;
let server: Running;
let service: SearchServiceApi;
let hostileDocs: Array<{ id: string; paragraphs: Array<{ id: string; text: string }> }>;
const dialogs: string[] = [];
let pagesVisited = 0;
let probesChecked = 0;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run test/setup/ensure-chromium.sh`);
  mkdirSync(SHOTS, { recursive: true });
  corpus = mkdtempSync(join(tmpdir(), 'xss-corpus-'));
  indexDir = mkdtempSync(join(tmpdir(), 'xss-index-'));
  const seed = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort()[0]!;
  writeFileSync(join(corpus, seed), readFileSync(join(SEEDS, seed)));
  writeFileSync(join(corpus, 'probe-a.txt'), hostileNotice('测试市', 1));
  writeFileSync(join(corpus, 'probe-b.txt'), hostileNotice('探针县', 2));
  // File names are shown too: one indexed without Chinese (a warning on /status, its name as the
  // title on /docs), one skipped as empty, one skipped for its extension.
  writeFileSync(join(corpus, `${PROBES.img}.txt`), 'No Chinese here, only a probe in the name.\n');
  writeFileSync(join(corpus, `${PROBES.svg}.txt`), '');
  writeFileSync(join(corpus, `${PROBES.ejs}.pdf`), 'fake');

  const { generation } = await buildAndSave({ corpusDir: corpus, indexDir, maxFileBytes: DEFAULT_LIMITS.maxFileBytes });
  const live = createLiveService();
  const reloader = new IndexReloader({
    live,
    load: () => loadCurrentIndex({ corpusDir: corpus, indexDir, limits: DEFAULT_LIMITS }),
    currentGeneration: () => generation,
  });
  expect((await reloader.reload('start')).ok).toBe(true);
  service = live.service;
  hostileDocs = service
    .listDocs()
    .map((d) => service.getDoc(d.id))
    .filter((d) => d.paragraphs.some((p) => p.text.includes(PROBES.script)));
  expect(hostileDocs).toHaveLength(2);
  server = await listen(createApp({ service, config: testConfig({ rateLimit: 0 }), logger: memoryLogger(), status: reloader }));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  console.log(`xss: ${ALL.length} probes; ${pagesVisited} page visits; ${probesChecked} probe-as-text checks; dialogs: ${dialogs.length}`);
  await browser?.close();
  await server?.close();
  if (corpus) rmSync(corpus, { recursive: true, force: true });
  if (indexDir) rmSync(indexDir, { recursive: true, force: true });
});

/** Elements and attributes a probe would create, found in the live DOM (after scripts ran). */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}="${attr.value}"`);
        if (/^\s*javascript:/i.test(attr.value) && /^(href|src|action|formaction|xlink:href)$/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}="${attr.value}"`);
      }
    }
    for (const s of Array.from(document.querySelectorAll('script'))) {
      const src = s.getAttribute('src');
      if (!src || !src.startsWith('/static/')) found.push(`script ${src ?? '(inline)'}: ${s.textContent?.slice(0, 60)}`);
    }
    for (const sel of ['svg', 'img[src="x"]', 'iframe', 'object', 'embed', 'base']) {
      for (const el of Array.from(document.querySelectorAll(sel))) found.push(`${sel}: ${el.outerHTML.slice(0, 80)}`);
    }
    // A textarea only exists for a moment during a copy; none may be in a page as served.
    for (const el of Array.from(document.querySelectorAll('textarea'))) found.push(`textarea: ${el.outerHTML.slice(0, 80)}`);
    return found;
  });
}

/** Visible text, plus the values of text inputs (where a query is echoed). */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => [document.body.innerText, document.title, ...Array.from(document.querySelectorAll('input')).map((i) => i.value)].join('\n'));
}

/**
 * Visits `path` and checks it: status as expected, no dialog, nothing injected, and every
 * string of `asText` visible as text.
 */
async function visit(page: Page, path: string, opts: { status?: number; asText?: readonly string[]; shot?: string } = {}): Promise<void> {
  const res = await page.goto(`${server.url}${path}`);
  pagesVisited++;
  expect(res?.status(), path).toBe(opts.status ?? 200);
  expect(await page.content(), path).toContain('</html>');
  await page.waitForTimeout(30); // let onload/onerror handlers a probe might have planted fire
  expect(await injected(page), path).toEqual([]);
  const text = await visibleText(page);
  for (const probe of opts.asText ?? []) {
    probesChecked++;
    expect(text, `${path} shows ${probe} as text`).toContain(probe);
  }
  if (opts.shot) await page.screenshot({ path: `${SHOTS}/${opts.shot}.png`, fullPage: false });
}

const q = (s: string) => encodeURIComponent(s);

describe('probes in documents, file names and queries render as text on every page', () => {
  let page: Page;
  beforeAll(async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()} on ${page.url()}`);
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await page?.context().close();
    // The one assertion every page shares: no dialog, ever.
    expect(dialogs).toEqual([]);
  });

  it('search results for the hostile clauses', async () => {
    await visit(page, `/?q=${q('恶意标记测试')}`, { asText: [PROBES.script, PROBES.js, PROBES.textarea, PROBES.ejs, PROBES.mustache], shot: 'xss-search' });
    await visit(page, `/?q=${q('探针')}&limit=100`, { asText: [PROBES.svg] });
  });

  it.each(ALL)('a query carrying %s: search page, API-backed facets, document page marks', async (probe) => {
    await visit(page, `/?q=${q(probe)}`, { asText: [probe] });
    await visit(page, `/?q=${q(`恶意标记测试 ${probe}`)}&region=${q(probe)}&unit=${q(probe)}`, { asText: [probe] });
    await visit(page, `/docs/${q(hostileDocs[0]!.id)}?q=${q(probe)}`, { asText: [PROBES.script, PROBES.ejs] });
  });

  it('the document pages show every probe as text', async () => {
    for (const [i, doc] of hostileDocs.entries()) {
      await visit(page, `/docs/${q(doc.id)}`, { asText: ALL, shot: i === 0 ? 'xss-doc' : undefined });
      await visit(page, `/docs/${q(doc.id)}?q=${q('恶意标记测试')}`, { asText: ALL });
    }
  });

  it('the copy button copies a probe-laden citation without running it', async () => {
    await page.goto(`${server.url}/docs/${q(hostileDocs[0]!.id)}`);
    const button = page.locator('button.copy[data-copy]').first();
    if (await button.count()) {
      await button.click({ force: true });
      await page.waitForTimeout(50);
      expect((await injected(page)).filter((s) => !s.startsWith('textarea'))).toEqual([]);
    }
  });

  it('the document list, help and status pages', async () => {
    await visit(page, '/docs', { asText: [PROBES.script, PROBES.img] });
    await visit(page, '/help');
    await visit(page, '/status', { asText: [PROBES.img, PROBES.svg, PROBES.ejs], shot: 'xss-status' });
  });

  it.each(ALL)('error pages carrying %s', async (probe) => {
    const first = probe === PROBES.script;
    await visit(page, `/no/such/${q(probe)}`, { status: 404, asText: [probe], shot: first ? 'xss-error-404' : undefined });
    await visit(page, `/docs/${q(probe)}`, { status: 404 });
    await visit(page, `/?q=${q(probe)}&limit=${q(probe)}`, { status: 400, asText: [probe], shot: first ? 'xss-error-400' : undefined });
    await visit(page, `/?q=${q(probe)}&q=2`, { status: 400 });
  });

  it('similar clauses, comparison and commitments (when those pages exist)', async () => {
    const clause = hostileDocs[0]!.paragraphs.find((p) => p.text.includes('恶意标记测试条款'))!;
    const other = hostileDocs[1]!.paragraphs.find((p) => p.text.includes('恶意标记测试条款'))!;
    const similar = await fetch(`${server.url}/similar/${q(clause.id)}`);
    if (similar.status !== 404) {
      await visit(page, `/similar/${q(clause.id)}`, { asText: [PROBES.script, PROBES.textarea] });
      for (const probe of ALL) await visit(page, `/similar/${q(probe)}`, { status: 404 });
    }
    const compare = await fetch(`${server.url}/compare?a=${q(clause.id)}&b=${q(other.id)}`);
    if (compare.status !== 404) {
      await visit(page, `/compare?a=${q(clause.id)}&b=${q(other.id)}`, { asText: [PROBES.script, PROBES.ejs], shot: 'xss-compare' });
      for (const probe of ALL) await visit(page, `/compare?a=${q(probe)}&b=${q(other.id)}`, { status: 404 });
    }
    const commitments = await fetch(`${server.url}/commitments`);
    if (commitments.status !== 404) {
      await visit(page, '/commitments', { asText: [PROBES.script, PROBES.textarea, PROBES.ejs, PROBES.svg], shot: 'xss-commitments' });
      for (const probe of ALL) {
        const res = await fetch(`${server.url}/commitments?q=${q(probe)}&unit=${q(probe)}&region=${q(probe)}`);
        await visit(page, `/commitments?q=${q(probe)}&unit=${q(probe)}&region=${q(probe)}`, { status: res.status });
      }
    }
  });
});
