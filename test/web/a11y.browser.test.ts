/**
 * Accessibility in a real Chromium: axe-core (the engine behind Lighthouse's accessibility audit)
 * runs on every page type of the seed site at desktop (1280 px) and phone (390 px) widths, and
 * finds no serious or critical violation. Keyboard checks: a skip link is the first Tab stop and
 * moves focus to the results, and the first result is reached within a few Tabs.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, MOBILE, seedSite, shot } from './chromium.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE: string = require('axe-core').source;

const site = seedSite();

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe's serious and critical violations on the page as loaded: its default rules (WCAG 2.x A/AA and
 * best practices) plus WCAG 2.2's target size (24 × 24 px touch targets).
 */
async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the debugging protocol: the pages' CSP (script-src 'self') stays on.
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One paragraph id and document id of the seeds, for the document, similar and compare pages. */
async function samplePaths(): Promise<Record<string, string>> {
  const res = site.service.search({ q: '政府信息公开申请', limit: 2, offset: 0, sort: 'relevance' });
  const hit = res.hits[0]!;
  return {
    home: '/',
    results: `/?q=${encodeURIComponent('政务公开')}`,
    question: `/?q=${encodeURIComponent('依申请公开的办理时限是多少')}`,
    'no results': `/?q=${encodeURIComponent('量子计算机')}`,
    'last page': `/?q=${encodeURIComponent('公开')}&page=3`,
    documents: '/docs',
    document: `/docs/${encodeURIComponent(hit.docId)}`,
    similar: `/similar/${encodeURIComponent(hit.id)}`,
    compare: `/compare?a=${encodeURIComponent(hit.id)}&b=${encodeURIComponent(res.hits[1]!.id)}`,
    commitments: '/commitments',
    'commitments, upcoming': '/commitments?today=2020-09-15',
    help: '/help',
    status: '/status',
    'not found': '/docs/no-such-document',
  };
}

describe('accessibility (axe-core: no serious or critical violations)', () => {
  for (const [label, viewport] of [
    ['1280 px', DESKTOP],
    ['390 px', MOBILE],
  ] as const) {
    it(`every page type at ${label}`, async () => {
      const paths = await samplePaths();
      const { context, page } = await site.open(viewport);
      const report: string[] = [];
      try {
        for (const [name, path] of Object.entries(paths)) {
          await page.goto(`${site.url}${path}`);
          if ((await page.locator('h1').count()) !== 1) report.push(`${name} (${path}): ${await page.locator('h1').count()} h1 headings, want 1`);
          for (const v of await seriousViolations(page)) report.push(`${name} (${path}): ${v.impact} ${v.id} — ${v.help} ${v.nodes.join(' ')}`);
        }
        await shot(page, `a11y-last-${viewport.width}`);
      } finally {
        await context.close();
      }
      expect(report).toEqual([]);
    }, 120_000);
  }
});

describe('keyboard', () => {
  it('the first Tab reaches a skip link that takes focus past the filters to the first result', async () => {
    const { context, page, errors } = await site.open(DESKTOP);
    try {
      await page.goto(`${site.url}/?q=${encodeURIComponent('政务公开')}`);
      await page.keyboard.press('Tab');
      const skip = page.locator('.skip-link');
      expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await skip.textContent()).toBe('跳到检索结果');
      expect(await skip.isVisible()).toBe(true);
      await shot(page, 'skip-link-desktop');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      // Focus lands in the first hit (its first link), not in the header or the filters.
      const inFirstHit = await page.evaluate(() => document.querySelector('.hit')?.contains(document.activeElement) ?? false);
      expect(inFirstHit).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('on other pages the skip link moves focus to the main content', async () => {
    const { context, page } = await site.open(MOBILE);
    try {
      await page.goto(`${site.url}/docs`);
      await page.keyboard.press('Tab');
      expect(await page.locator('.skip-link').textContent()).toBe('跳到正文');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    } finally {
      await context.close();
    }
  });
});
