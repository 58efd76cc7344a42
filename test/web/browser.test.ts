/**
 * The pages in a real Chromium (Debian's /usr/bin/chromium via playwright-core; never a
 * downloaded browser), over the real seed index: search → marks → 查看原文 → the paragraph
 * targeted and scrolled into view; a filter click narrows results; the copy-citation button;
 * pages without JavaScript; no console errors; no horizontal overflow on a phone; screenshots
 * in test-results/screenshots/ for a human to look at.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, expectNoHorizontalOverflow, MOBILE, seedSite, shot } from './chromium.js';

/** A phrase from seeds/000 and seeds/001 (鹿城, 鼓楼). */
const PHRASE = '重大行政决策';

const site = seedSite();
const open = site.open;

const totalOf = async (page: Page) => Number(await page.locator('.summary .count strong').first().textContent());

describe('search → document', () => {
  it('finds a phrase, marks it, and 查看原文 opens the paragraph targeted and in view', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/`);
      await page.locator('input[name="q"]').fill(PHRASE);
      await Promise.all([page.waitForURL(/\?q=/), page.locator('.search-form button[type="submit"]').click()]);
      expect(await page.locator('.hit').count()).toBeGreaterThan(0);
      const marks = await page.locator('.hit .snippet mark').allTextContents();
      expect(marks.length).toBeGreaterThan(0);
      expect(marks.some((m) => PHRASE.includes(m) || m.includes(PHRASE))).toBe(true);
      await shot(page, 'search-desktop');

      const first = page.locator('.hit').first();
      const snippetText = (await first.locator('.snippet').textContent())!.replace(/…/g, '').trim();
      await Promise.all([page.waitForURL(/\/docs\/[^#]+#.+/), first.locator('a.view-source').click()]);
      const hash = decodeURIComponent(new URL(page.url()).hash.slice(1));
      await page.waitForFunction((id) => document.querySelector(':target')?.id === id, hash);
      const target = page.locator(':target');
      // The targeted paragraph is the hit's paragraph…
      expect(await target.textContent()).toContain(snippetText.slice(0, 12));
      // …highlighted by :target…
      const bg = await target.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).not.toBe('rgba(0, 0, 0, 0)');
      // …with the query marked inside it (?q= carried along)…
      expect(await target.locator('mark').count()).toBeGreaterThan(0);
      // …and scrolled into view.
      const box = await target.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeLessThan(DESKTOP.height);
      await shot(page, 'doc-target-desktop');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a filter click narrows the results and can be removed', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/?q=${encodeURIComponent('政务公开')}`);
      const before = await totalOf(page);
      const regionLink = page.locator('.facet').filter({ has: page.locator('summary', { hasText: '地区' }) }).locator('li a').first();
      const region = (await regionLink.textContent())!.trim();
      await Promise.all([page.waitForURL(/region=/), regionLink.click()]);
      const after = await totalOf(page);
      expect(after).toBeGreaterThan(0);
      expect(after).toBeLessThan(before);
      await expect.poll(() => page.locator('.chip').first().textContent()).toContain(region);
      await Promise.all([page.waitForURL((u) => !u.search.includes('region=')), page.locator('.chip').first().click()]);
      expect(await totalOf(page)).toBe(before);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('questions and partial matches', () => {
  it('shows how a question was read, and links to the verbatim search', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/?q=${encodeURIComponent('依申请公开的办理时限是多少')}`);
      const reading = page.locator('.question-reading');
      await expect.poll(() => reading.count()).toBe(1);
      expect(await reading.locator('.term').allTextContents()).toEqual(['依申请公开', '办理', '时限']);
      expect(await reading.locator('.dropped').textContent()).toContain('多少');
      expect(await totalOf(page)).toBeGreaterThan(0);
      // No clause names 时限: each hit says so.
      expect(await page.locator('.hit').first().locator('.missing s').allTextContents()).toEqual(['时限']);
      await shot(page, 'question-desktop');
      await Promise.all([page.waitForURL(/%22/), reading.locator('a').click()]);
      expect(decodeURIComponent(new URL(page.url()).searchParams.get('q')!)).toBe('"依申请公开的办理时限是多少"');
      expect(await page.locator('.question-reading').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says which everyday words were also searched under the law’s words', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/?q=${encodeURIComponent('别人的隐私会被公开吗？')}`);
      const expanded = page.locator('.question-reading .expanded');
      await expect.poll(() => expanded.count()).toBe(1);
      expect(await expanded.textContent()).toContain('别人→他人');
      expect(await totalOf(page)).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('labels partial matches of a keyword query and names the missing term on each hit', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/?q=${encodeURIComponent('标准目录 量子计算')}`);
      await expect.poll(() => page.locator('.partial-note').count()).toBe(1);
      expect(await page.locator('.partial-note').textContent()).toContain('部分匹配');
      const hits = page.locator('.hit');
      expect(await hits.count()).toBeGreaterThan(0);
      for (const m of await page.locator('.hit .missing').allTextContents()) expect(m).toContain('量子计算');
      expect(await page.locator('.hit .missing').count()).toBe(await hits.count());
      await shot(page, 'partial-desktop');
      // A full match has neither the label nor missing terms.
      await page.goto(`${site.url}/?q=${encodeURIComponent('标准目录')}`);
      expect(await page.locator('.partial-note').count()).toBe(0);
      expect(await page.locator('.hit .missing').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('date range and document facets', () => {
  it('the 成文日期 form narrows to the range, keeps the other filters, and its chip clears it', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/?q=${encodeURIComponent('政务公开')}&docType=${encodeURIComponent('要点')}`);
      const all = await totalOf(page);
      await page.locator('.range-form input[name="from"]').fill('2021-01-01');
      await Promise.all([page.waitForURL(/from=2021-01-01/), page.locator('.range-form button[type="submit"]').click()]);
      const url = new URL(page.url());
      expect(url.searchParams.get('docType')).toBe('要点');
      expect(url.searchParams.get('q')).toBe('政务公开');
      // Only 东阳市's 2021 notice is dated in 2021 among the 要点 notices.
      const inRange = await totalOf(page);
      expect(inRange).toBeGreaterThan(0);
      expect(inRange).toBeLessThan(all);
      const dates = await page.locator('.hit .hit-doc .meta').allTextContents();
      expect(dates.every((d) => d.includes('2021年'))).toBe(true);
      await shot(page, 'date-range-desktop');
      const chip = page.locator('.chosen a.chip', { hasText: '成文日期' });
      await Promise.all([page.waitForURL((u) => !u.searchParams.has('from')), chip.click()]);
      expect(await totalOf(page)).toBe(all);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('文种, 发文机关 and 时效性 facets are listed and a click filters', async () => {
    const { context, page } = await open();
    try {
      await page.goto(`${site.url}/?q=${encodeURIComponent('政务公开')}`);
      const summaries = await page.locator('.facets summary').allTextContents();
      expect(summaries).toEqual(expect.arrayContaining(['时效性', '文种', '发文机关', '成文日期']));
      expect(await page.locator('.facet', { hasText: '时效性' }).getByRole('link', { name: '现行有效' }).isVisible()).toBe(true);
      const issuer = page.locator('.facet', { hasText: '发文机关' }).locator('li a').first();
      const name = (await issuer.textContent())!.trim();
      await Promise.all([page.waitForURL(/issuer=/), issuer.click()]);
      expect(decodeURIComponent(new URL(page.url()).searchParams.get('issuer')!)).toBe(name);
      const issuers = await page.locator('.hit .hit-doc .meta').allTextContents();
      expect(issuers.every((m) => m.includes(name))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('copy citation', () => {
  it('puts the citation on the clipboard and says 已复制', async () => {
    const { context, page, errors } = await open();
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
      await page.goto(`${site.url}/?q=${encodeURIComponent(PHRASE)}`);
      const button = page.locator('.hit button.copy').first();
      await expect.poll(() => button.isVisible()).toBe(true); // revealed by the script
      const citation = await button.getAttribute('data-copy');
      expect(citation).toMatch(/^《.+》/);
      await button.click();
      await expect.poll(() => button.textContent()).toBe('已复制');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(citation);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('copies a clause with its citation from the document page, without the ⏎/␣ repair marks', async () => {
    const { context, page, errors } = await open();
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
      // A clause that was split by a page break: its text shows a ⏎ mark where the line broke.
      const docs = site.service.listDocs();
      let found = false;
      for (const d of docs) {
        await page.goto(`${site.url}/docs/${encodeURIComponent(d.id)}`);
        const para = page.locator('section.para:has(.gap):has(details.para-cite)').first();
        if ((await para.count()) === 0) continue;
        found = true;
        // The mark is visible on the page…
        expect(await para.locator('.gap').first().evaluate((el) => getComputedStyle(el, '::before').content)).toMatch(/[⏎␣]/u);
        // …but selecting the paragraph and copying gives the text without it.
        const selected = await para.locator('.para-text').evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const sel = window.getSelection()!;
          sel.removeAllRanges();
          sel.addRange(range);
          return sel.toString();
        });
        expect(selected.length).toBeGreaterThan(10);
        expect(selected).not.toMatch(/[⏎␣]/u);
        await para.locator('details.para-cite summary').click();
        const button = para.locator('button.copy-clause');
        await expect.poll(() => button.isVisible()).toBe(true);
        await button.click();
        await expect.poll(() => button.textContent()).toBe('已复制');
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        const citation = (await para.locator('.cite-text').textContent())!;
        expect(copied).toBe(`${await button.getAttribute('data-clause')}\n${citation}`);
        expect(copied).not.toMatch(/[⏎␣]/u);
        expect(copied.startsWith(selected.trim().slice(0, 10))).toBe(true);
        break;
      }
      expect(found).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript the button stays hidden and the citation is plain text', async () => {
    const { context, page } = await open(DESKTOP, { javaScriptEnabled: false });
    try {
      await page.goto(`${site.url}/?q=${encodeURIComponent(PHRASE)}`);
      expect(await page.locator('.hit button.copy').first().isVisible()).toBe(false);
      expect(await page.locator('.hit .cite-text').first().textContent()).toMatch(/^《.+》/);
      // The search form works without JavaScript too (a plain GET form).
      await page.locator('.search-form input[name="q"]').fill('政策解读');
      await Promise.all([page.waitForURL(/q=/), page.locator('.search-form button[type="submit"]').click()]);
      expect(await page.locator('.hit').count()).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});

describe('pages at desktop and phone widths', () => {
  const pages = (docId: string) => [
    { name: 'home', path: '/' },
    { name: 'search', path: `/?q=${encodeURIComponent('政务公开')}` },
    { name: 'no-results', path: `/?q=${encodeURIComponent('政务公开 -公开')}` },
    { name: 'docs', path: '/docs' },
    { name: 'doc', path: `/docs/${docId}` },
    { name: 'help', path: '/help' },
  ];

  it.each([
    ['desktop', DESKTOP],
    ['mobile', MOBILE],
  ] as const)('%s: render without console errors or sideways scrolling; screenshots saved', async (label, viewport) => {
    const { context, page, errors } = await open(viewport);
    try {
      // The document with a table (天台), the richest layout.
      const docId = site.service.listDocs().find((d) => d.title?.includes('天台'))?.id ?? site.service.listDocs()[0]!.id;
      for (const p of pages(docId)) {
        const res = await page.goto(`${site.url}${p.path}`);
        expect(res?.status(), p.path).toBe(200);
        await expectNoHorizontalOverflow(page, p.path);
        await shot(page, `${p.name}-${label}`);
      }
      // A table row as a permalink target, for the screenshot.
      const row = site.service.getDoc(docId).paragraphs.find((x) => x.kind === 'table-row');
      if (row) {
        await page.goto(`${site.url}${row.url}`);
        await shot(page, `doc-table-${label}`);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
