/**
 * The commitments page in a real Chromium (Debian's /usr/bin/chromium via playwright-core) over
 * the seed index: choosing a unit and a date narrows the table and updates the counts; a row's
 * link lands on its paragraph; the filters work without JavaScript; the page fits a phone's
 * width (the table becomes cards); screenshots in test-results/screenshots/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, expectNoHorizontalOverflow, MOBILE, seedSite, SHOTS } from './chromium.js';

/**
 * "Today" for the page: mid-September 2020, when the seeds' 9月底前 deadlines were near and
 * none of the November ones had passed; fixed so the badges are the same on every run.
 */
const TODAY = '2020-09-15';

const site = seedSite();
const open = site.open;

const totalOf = async (page: Page) => Number(await page.locator('.cm-summary .count strong').first().textContent());

/** The count shown next to a value in one of the count lists ('按责任单位' / '按截止月份'). */
async function countsOf(page: Page, heading: string): Promise<Map<string, number>> {
  const facet = page.locator('.cm-counts .facet').filter({ has: page.locator('summary', { hasText: heading }) });
  const pairs = await facet.locator('li').evaluateAll((lis) =>
    lis.flatMap((li) => {
      const a = li.querySelector('a');
      const n = li.querySelector('.n');
      return a && n ? [[a.textContent!.trim(), Number(n.textContent)] as [string, number]] : [];
    }),
  );
  return new Map(pairs);
}

describe('commitments page', () => {
  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ] as const)('%s: a unit and a date narrow the table, and the counts follow', async (_label, javaScriptEnabled) => {
    const { context, page, errors } = await open(DESKTOP, { javaScriptEnabled });
    try {
      await page.goto(`${site.url}/commitments?today=${TODAY}`);
      const all = await totalOf(page);
      expect(all).toBeGreaterThan(50);
      const monthsBefore = await countsOf(page, '按截止月份');

      // 责任单位: the normalized 政府办公室 (县府办, 区政府办公室, 市府办 … in the documents).
      await page.locator('select[name="unit"]').selectOption('政府办公室');
      await Promise.all([page.waitForURL(/unit=/), page.locator('.cm-filters button[type="submit"]').click()]);
      const byUnit = await totalOf(page);
      expect(byUnit).toBeGreaterThan(0);
      expect(byUnit).toBeLessThan(all);
      expect(await page.locator('.cm-row').count()).toBe(Math.min(byUnit, 50));
      for (const titles of await page.locator('.cm-row .cm-who').evaluateAll((tds) => tds.map((td) => [...td.querySelectorAll('li')].map((li) => li.title).join('|')))) {
        expect(titles).toContain('政府办公室');
      }
      const written = await page.locator('.cm-row .cm-who li').allTextContents();
      expect(written.some((w) => w.startsWith('县府办'))).toBe(true); // each document's own wording
      expect(written.some((w) => w.startsWith('区政府办公室'))).toBe(true);
      // The month counts now count this unit's commitments only.
      const monthsByUnit = await countsOf(page, '按截止月份');
      expect([...monthsByUnit.values()].reduce((a, b) => a + b, 0)).toBeLessThan([...monthsBefore.values()].reduce((a, b) => a + b, 0));

      // 截止日期: November 2020, typed into the date inputs.
      await page.locator('input[name="after"]').fill('2020-11-01');
      await page.locator('input[name="before"]').fill('2020-11-30');
      await Promise.all([page.waitForURL(/before=2020-11-30/), page.locator('.cm-filters button[type="submit"]').click()]);
      const byUnitAndDate = await totalOf(page);
      expect(byUnitAndDate).toBeGreaterThan(0);
      expect(byUnitAndDate).toBeLessThan(byUnit);
      expect(byUnitAndDate).toBe(monthsByUnit.get('2020-11'));
      for (const dates of await page.locator('.cm-row .cm-date').allTextContents()) expect(dates).toMatch(/2020年\d+月\d+日/);
      const rowsDates = await page.locator('.cm-row .cm-when').allTextContents();
      for (const d of rowsDates) expect(d).toMatch(/2020年11月\d+日/);
      // Near deadlines are flagged relative to "today"; none has passed yet.
      expect(await page.locator('.cm-row .cm-overdue').count()).toBe(0);
      // The unit counts now count November's commitments; the chosen unit is marked.
      const unitsByDate = await countsOf(page, '按责任单位');
      expect(unitsByDate.get('政府办公室')).toBe(byUnitAndDate);
      expect(await page.locator('.cm-counts li.active a').first().textContent()).toBe('政府办公室');

      // A month in the counts is a link too: September replaces November.
      await Promise.all([page.waitForURL(/after=2020-09&before=2020-09/), page.locator('.cm-counts a', { hasText: '2020-09' }).click()]);
      expect(await totalOf(page)).toBe(monthsByUnit.get('2020-09'));
      expect(await page.locator('input[name="after"]').inputValue()).toBe('2020-09-01');
      expect(await page.locator('.cm-row .cm-soon').count()).toBeGreaterThan(0); // 9月30日 is 15 days after TODAY
      if (javaScriptEnabled) await page.screenshot({ path: `${SHOTS}/commitments-filtered-desktop.png`, fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a row's link lands on its paragraph", async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/commitments?today=${TODAY}&unit=${encodeURIComponent('县委宣传部')}`);
      const row = page.locator('.cm-row').first();
      const id = await row.getAttribute('data-id');
      const shown = (await row.locator('a.cm-task').textContent())!.replace(/^\s*\S+\s/, '').trim();
      await Promise.all([page.waitForURL(/\/docs\/[^#]+#.+/), row.locator('a.cm-task').click()]);
      const hash = decodeURIComponent(new URL(page.url()).hash.slice(1));
      expect(hash).toBe(id);
      await page.waitForFunction((pid) => document.querySelector(':target')?.id === pid, hash);
      const target = page.locator(':target');
      expect(await target.textContent()).toContain(shown.replace(/…$/, '').slice(0, 10));
      const box = await target.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeLessThan(DESKTOP.height);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['desktop', DESKTOP],
    ['mobile', MOBILE],
  ] as const)('%s: no console errors, no sideways scrolling; screenshot saved', async (label, viewport) => {
    const { context, page, errors } = await open(viewport);
    try {
      const res = await page.goto(`${site.url}/commitments?today=${TODAY}`);
      expect(res?.status()).toBe(200);
      await expectNoHorizontalOverflow(page, `/commitments (${label})`);
      await page.screenshot({ path: `${SHOTS}/commitments-${label}.png`, fullPage: false });
      // Further down: the table itself.
      await page.locator('.cm-table').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/commitments-table-${label}.png`, fullPage: false });
      if (label === 'mobile') {
        // Each row is a card as wide as the page, its cells labelled.
        const card = await page.locator('.cm-row').first().boundingBox();
        expect(card!.width).toBeLessThanOrEqual(viewport.width);
        const label0 = await page.locator('.cm-row .cm-who').first().evaluate((el) => getComputedStyle(el, '::before').content);
        expect(label0).toContain('责任单位');
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
