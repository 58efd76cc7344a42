/**
 * The parallel-clause page in a real Chromium (Debian's /usr/bin/chromium via playwright-core):
 * each hit shows why it is listed (相似度 · how alike · 共同词语), the note says what the score
 * means, the list is not padded to the limit, a clause without parallels says so in Chinese, and
 * the page fits a phone. Screenshots go to a temp dir (printed) for a human to look at.
 * Accessibility (axe) is checked for every page by a11y.browser.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIMILAR_MIN_SCORE, SIMILAR_MORE_MIN_SCORE } from '../../src/search/similar.js';
import { DESKTOP, expectNoHorizontalOverflow, MOBILE, seedSite } from './chromium.js';

const site = seedSite();
const shots = mkdtempSync(join(tmpdir(), 'similar-shots-'));

/** The seed paragraph of `region` whose text contains `words`. */
function paragraph(region: string, words: string) {
  const doc = site.service.listDocs().find((d) => d.region === region)!;
  return site.service.getDoc(doc.id).paragraphs.find((p) => p.text.includes(words))!;
}

describe('/similar in Chromium', () => {
  it.each([
    ['desktop', DESKTOP],
    ['mobile', MOBILE],
  ] as const)('%s: every hit explains its score; no padding; no sideways scrolling', async (label, viewport) => {
    const { context, page, errors } = await site.open(viewport);
    try {
      const source = paragraph('鹿城区', '提高依申请公开办理质效');
      const api = site.service.similar(source.id);
      await page.goto(`${site.url}/similar/${source.id}`);

      const hits = page.locator('.similar-hit');
      expect(await hits.count()).toBe(api.hits.length);
      expect(api.hits.length).toBeLessThan(10); // fewer parallels than the limit: not filled up
      expect(await page.locator('h2.similar-count').textContent()).toContain(`（${api.hits.length} 条，按相似度排列）`);

      const note = page.locator('.similar-note');
      expect(await note.isVisible()).toBe(true);
      expect(await note.textContent()).toContain('相似度在 0 到 1 之间');

      for (let i = 0; i < api.hits.length; i++) {
        const why = hits.nth(i).locator('.similar-why');
        expect(await why.isVisible()).toBe(true);
        const text = (await why.innerText()).replace(/\s+/g, '');
        const score = api.hits[i]!.score;
        expect(text).toContain(`相似度${score.toFixed(2)}`);
        expect(text).toContain(score >= SIMILAR_MORE_MIN_SCORE ? '用语' : '该文件中最相近的一条');
        expect(text).toContain(`共同词语：${api.hits[i]!.sharedTerms[0]}`);
        expect(score).toBeGreaterThanOrEqual(SIMILAR_MIN_SCORE);
        // The explanation sits between the clause's heading line and its text.
        const [head, line, body] = await Promise.all([
          hits.nth(i).locator('.clause-head').boundingBox(),
          why.boundingBox(),
          hits.nth(i).locator('.clause-text').boundingBox(),
        ]);
        expect(line!.y).toBeGreaterThanOrEqual(head!.y + head!.height - 1);
        expect(body!.y).toBeGreaterThanOrEqual(line!.y + line!.height - 1);
      }
      // Shared words are highlighted in the hit's text (marks from offsets, not HTML strings).
      expect(await hits.first().locator('.clause-text mark').count()).toBeGreaterThan(0);

      await expectNoHorizontalOverflow(page, '/similar');
      await page.screenshot({ path: join(shots, `similar-${label}.png`), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a clause without parallels: the Chinese message and no list', async () => {
    const { context, page, errors } = await site.open();
    try {
      const source = paragraph('海阳市', '推动政府公报创新发展');
      await page.goto(`${site.url}/similar/${source.id}`);
      expect(await page.locator('.similar-hit').count()).toBe(0);
      const none = page.locator('.similar-none');
      expect(await none.isVisible()).toBe(true);
      expect(await none.textContent()).toBe('其他文件中没有相近的条款。');
      expect(await page.locator('.similar-note').isVisible()).toBe(true);
      await page.screenshot({ path: join(shots, 'similar-none.png'), fullPage: true });
      expect(errors).toEqual([]);
      console.info(`similar page screenshots: ${shots}`);
    } finally {
      await context.close();
    }
  });
});
