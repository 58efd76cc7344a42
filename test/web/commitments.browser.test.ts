/**
 * The commitments page in a real Chromium (Debian's /usr/bin/chromium via playwright-core) over
 * the seed index: choosing a unit and a date narrows the table and updates the counts; a row's
 * link lands on its paragraph; the filters work without JavaScript; the page fits a phone's
 * width (the table becomes cards); screenshots in test-results/screenshots/. Statuses: a past
 * deadline reads 已到期 (never 已逾期: completion is not recorded), the default order puts upcoming
 * deadlines first, and the 到期状态 filter works with and without JavaScript.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, expectNoHorizontalOverflow, MOBILE, seedSite, SHOTS } from './chromium.js';

/**
 * "Today" for the page: mid-September 2020, when the seeds' 9月底前 deadlines were near and
 * none of the November ones had passed; fixed so the badges are the same on every run.
 */
const TODAY = '2020-09-15';
/** Years later: every dated deadline of the seeds has passed. */
const LATER = '2026-12-06';

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
      // Statuses are relative to "today": none of November's has passed yet.
      expect(await page.locator('.cm-row .cm-passed').count()).toBe(0);
      expect(await page.locator('.cm-row .cm-upcoming').count()).toBeGreaterThan(0);
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
  it('years later: past deadlines read 已到期 (never 已逾期), and the page says completion is not recorded', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/commitments?today=${LATER}`);
      const note = page.locator('.cm-note');
      expect(await note.isVisible()).toBe(true);
      expect(await note.textContent()).toContain('不记载是否已经完成');
      expect(await page.locator('body').textContent()).not.toContain('已逾期');
      expect(await page.locator('.cm-summary .cm-today').textContent()).toContain('2026年12月6日');
      // Every deadline with a date shows 已到期 beside it.
      const dated = page.locator('.cm-row li.cm-deadline:has(.cm-date)');
      expect(await dated.count()).toBeGreaterThan(20);
      for (const badge of await dated.locator('.cm-status').allTextContents()) expect(badge).toBe('已到期');
      // Default order: the recurring 按季度 (周期性) and ongoing tasks come before the passed ones.
      const firstRowBadges = await page.locator('.cm-row').first().locator('.cm-status').allTextContents();
      expect(firstRowBadges).toContain('周期性');
      const rowStatus = await page.locator('.cm-row').evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('li.cm-deadline')].map((li) => li.getAttribute('data-status'))),
      );
      const rank = (list: (string | null)[]) => Math.min(...['upcoming', 'recurring', 'ongoing', 'passed', 'unknown'].map((s, i) => (list.includes(s) ? i : 9)));
      const ranks = rowStatus.map(rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      await page.screenshot({ path: `${SHOTS}/commitments-later-desktop.png`, fullPage: false });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ] as const)('%s: the 到期状态 filter keeps upcoming deadlines, soonest first, with the days left', async (_label, javaScriptEnabled) => {
    const { context, page, errors } = await open(DESKTOP, { javaScriptEnabled });
    try {
      await page.goto(`${site.url}/commitments?today=${TODAY}`);
      const statusCounts = await countsOf(page, '按到期状态');
      const upcoming = statusCounts.get('未到期')!;
      expect(upcoming).toBeGreaterThan(0);
      // The first row by default is the soonest: 9月底前, 15 days after TODAY.
      const first = page.locator('.cm-row').first();
      expect(await first.locator('.cm-status').first().textContent()).toBe('即将到期');
      expect(await first.locator('.cm-due-note').first().textContent()).toBe('还剩 15 天');

      await page.locator('select[name="status"]').selectOption('upcoming');
      await Promise.all([page.waitForURL(/status=upcoming/), page.locator('.cm-filters button[type="submit"]').click()]);
      expect(await totalOf(page)).toBe(upcoming);
      const rows = page.locator('.cm-row');
      expect(await rows.count()).toBe(Math.min(upcoming, 50));
      for (const statuses of await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('li.cm-deadline')].map((li) => li.getAttribute('data-status'))))) {
        expect(statuses).toContain('upcoming');
      }
      // Soonest first: the days left never decrease down the table.
      const days = (await page.locator('.cm-row').evaluateAll((trs) =>
        trs.map((tr) => Math.min(...[...tr.querySelectorAll('li.cm-deadline[data-status="upcoming"] .cm-due-note')].map((n) => Number(/(\d+)/.exec(n.textContent ?? '')?.[1] ?? NaN)))),
      )) as number[];
      expect(days).toEqual([...days].sort((a, b) => a - b));
      expect(await page.locator('.cm-counts .cm-statuses li.active a').textContent()).toBe('未到期');
      expect(await page.locator('select[name="status"]').inputValue()).toBe('upcoming');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a status in the counts is a link: 已到期 lists passed deadlines, the most recent first', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/commitments?today=${LATER}`);
      const passed = (await countsOf(page, '按到期状态')).get('已到期')!;
      await Promise.all([page.waitForURL(/status=passed/), page.locator('.cm-statuses a', { hasText: '已到期' }).click()]);
      expect(await totalOf(page)).toBe(passed);
      // The latest passed date of each row, as shown (2020年9月30日 → 2020-09-30): descending.
      const shown = await page.locator('.cm-row').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('li.cm-deadline[data-status="passed"] .cm-date')].map((n) => n.textContent ?? '')),
      );
      const iso = (t: string) => {
        const m = /(\d{4})年(\d+)月(\d+)日/.exec(t)!;
        return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
      };
      const latest = shown.map((dates) => dates.map(iso).sort().pop()!);
      expect(latest.length).toBe(Math.min(passed, 50));
      expect(latest).toEqual([...latest].sort().reverse());
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the unit filter and counts list 政府办公室 once (县府办, 区政府办公室 … merged), as the search facet does', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${site.url}/commitments?today=${TODAY}`);
      const options = await page.locator('select[name="unit"] option').allTextContents();
      expect(options.filter((o) => o.startsWith('政府办公室（'))).toHaveLength(1);
      for (const spelling of ['县府办', '区政府办', '区政府办公室']) expect(options.some((o) => o.startsWith(`${spelling}（`))).toBe(false);
      // The search page's unit facet: the same canonical name, once.
      await page.goto(`${site.url}/?q=${encodeURIComponent('公开')}`);
      const facet = await page.locator('.facet').filter({ has: page.locator('summary, h2, h3', { hasText: '责任单位' }) }).locator('a').allTextContents();
      const names = facet.map((t) => t.replace(/\s*\d+\s*$/u, '').trim());
      expect(names.filter((n) => n === '政府办公室')).toHaveLength(1);
      for (const spelling of ['县府办', '区政府办', '区政府办公室']) expect(names).not.toContain(spelling);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
