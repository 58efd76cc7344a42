/**
 * The drafter's path in a real Chromium (Debian's /usr/bin/chromium via playwright-core): search →
 * 其他地区的相似条款 → the list of parallel clauses → 对比 → the word-level comparison →
 * 复制条款及出处 puts the clause and its citation on the clipboard. Also: the pages without
 * JavaScript, no sideways scrolling on a phone, screenshots in test-results/screenshots/.
 */
import { describe, expect, it } from 'vitest';
import { DESKTOP, expectNoHorizontalOverflow, MOBILE, seedSite, SHOTS } from './chromium.js';


const site = seedSite();
const open = site.open;

/** The seed paragraph of `region` whose text contains `words`. */
function paragraph(region: string, words: string) {
  const doc = site.service.listDocs().find((d) => d.region === region)!;
  return site.service.getDoc(doc.id).paragraphs.find((p) => p.text.includes(words))!;
}

describe('search → similar → compare → copy', () => {
  it('a drafter finds 天台县’s wording of 鹿城区’s 权责清单 clause and copies it with its citation', async () => {
    const { context, page, errors } = await open();
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
      const source = paragraph('鹿城区', '加强权力配置信息公开。对照');
      const parallel = paragraph('天台县', '（一）加强权力配置信息公开');

      await page.goto(`${site.url}/`);
      await page.locator('input[name="q"]').fill('权力配置信息公开');
      await Promise.all([page.waitForURL(/\?q=/), page.locator('.search-form button[type="submit"]').click()]);
      const hit = page.locator('.hit').filter({ hasText: '对照法律法规规章和单位三定方案' });
      await expect.poll(() => hit.count()).toBe(1);

      await Promise.all([page.waitForURL(/\/similar\//), hit.locator('a.similar-link', { hasText: '其他地区的相似条款' }).click()]);
      expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/similar/${source.id}`);
      await expect.poll(() => page.locator('.similar-hit').count()).toBeGreaterThan(3);
      const first = page.locator('.similar-hit').first();
      expect(await first.locator('.clause-text').textContent()).toBe(parallel.text);
      expect(await first.locator('.badge.place').textContent()).toContain('天台县');
      expect(await first.locator('.badge.term').count()).toBeGreaterThan(0);
      expect(await first.locator('.clause-text mark').count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${SHOTS}/similar-desktop.png` });

      await Promise.all([page.waitForURL(/\/compare\?/), first.locator('a.compare-link', { hasText: '对比' }).click()]);
      await expect.poll(() => page.locator('.side-a del').count()).toBeGreaterThan(0);
      expect(await page.locator('.side-b ins').count()).toBeGreaterThan(0);
      expect(await page.locator('.diff-figures').textContent()).toMatch(/^相同 \d+%，新增 \d+ 词，删去 \d+ 词$/u);
      // The two clauses sit side by side on a desktop.
      const [a, b] = [await page.locator('.side-a').boundingBox(), await page.locator('.side-b').boundingBox()];
      expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
      expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
      await page.screenshot({ path: `${SHOTS}/compare-desktop.png` });

      const button = page.locator('.side-b button.copy-clause');
      await expect.poll(() => button.isVisible()).toBe(true); // revealed by app.js
      await button.click();
      await expect.poll(() => button.textContent()).toBe('已复制');
      const citation = await page.locator('.side-b .cite-text').textContent();
      expect(citation).toMatch(/^《.+》（天政办便函〔2020〕31号）一、（一）$/u);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${parallel.text}\n${citation}`);
      // The label comes back.
      await expect.poll(() => button.textContent(), { timeout: 5000 }).toBe('复制条款及出处');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript: the pages work, the copy buttons stay hidden, the text is selectable', async () => {
    const { context, page } = await open(DESKTOP, { javaScriptEnabled: false });
    try {
      const source = paragraph('鹿城区', '推进政务新媒体健康有序发展');
      await page.goto(`${site.url}/similar/${source.id}`);
      expect(await page.locator('.similar-hit').count()).toBeGreaterThan(0);
      expect(await page.locator('button.copy-clause').first().isVisible()).toBe(false);
      await Promise.all([page.waitForURL(/\/compare\?/), page.locator('a.compare-link').first().click()]);
      expect(await page.locator('.side-a .clause-text').count()).toBe(1);
      expect(await page.locator('.side-a del, .side-b ins').count()).toBeGreaterThan(0);
      expect(await page.locator('button.copy-clause').first().isVisible()).toBe(false);
      expect(await page.locator('.side-a .cite-text').textContent()).toMatch(/^《.+》/u);
    } finally {
      await context.close();
    }
  });
});

describe('drafting pages at desktop and phone widths', () => {
  it.each([
    ['desktop', DESKTOP],
    ['mobile', MOBILE],
  ] as const)('%s: no console errors, no sideways scrolling; screenshots saved', async (label, viewport) => {
    const { context, page, errors } = await open(viewport);
    try {
      const source = paragraph('鹿城区', '加强权力配置信息公开。对照');
      const row = paragraph('天台县', '对照法律法规规章，全面梳理本机关');
      const pages = [
        { name: 'similar', path: `/similar/${source.id}` },
        { name: 'compare', path: `/compare?a=${source.id}&b=${paragraph('天台县', '（一）加强权力配置信息公开').id}` },
        { name: 'compare-table-row', path: `/compare?a=${row.id}&b=${source.id}` },
      ];
      for (const p of pages) {
        const res = await page.goto(`${site.url}${p.path}`);
        expect(res?.status(), p.path).toBe(200);
        await expectNoHorizontalOverflow(page, p.path);
        await page.screenshot({ path: `${SHOTS}/${p.name}-${label}.png`, fullPage: p.name !== 'similar' });
      }
      if (label === 'mobile') {
        // On a phone the two clauses stack: B below A, both full width.
        const [a, b] = [await page.locator('.side-a').boundingBox(), await page.locator('.side-b').boundingBox()];
        expect(b!.y).toBeGreaterThanOrEqual(a!.y + a!.height);
        expect(Math.abs(a!.x - b!.x)).toBeLessThan(2);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
