/**
 * Shared setup of the browser tests: Debian's Chromium (/usr/bin/chromium, driven by
 * playwright-core; never a downloaded browser), sessions that record console errors, screenshots
 * in test-results/screenshots/ for a human to look at, the no-sideways-scrolling check, and the
 * seed site most browser tests visit.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SearchServiceApi } from '../../src/search/api.js';
import { createApp } from '../../src/web/app.js';
import { openSeedService, removeTempDirs } from './fixtures.js';
import { listen, memoryLogger, testConfig, type Running } from './harness.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = 'test-results/screenshots';
export const DESKTOP = { width: 1280, height: 900 };
export const MOBILE = { width: 390, height: 844 };

/** Launches Chromium; fails loudly when it is missing (a silently skipped suite looks green). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The browser tests use Debian's chromium and never download one: ` +
        `run test/setup/ensure-chromium.sh (apt-get install chromium fonts-noto-cjk).`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

/** A new context (zh-CN) and page that records console and page errors. */
export async function openSession(browser: Browser, viewport = DESKTOP, options: { javaScriptEnabled?: boolean } = {}): Promise<Session> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return { context, page, errors };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
}

export async function expectNoHorizontalOverflow(page: Page, label: string): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, `${label} is wider than the viewport`).toBeLessThanOrEqual(inner);
}

/** The seed corpus served on a loopback port and a Chromium to visit it, for one test file. */
export interface SeedSite {
  readonly url: string;
  readonly service: SearchServiceApi;
  open(viewport?: { width: number; height: number }, options?: { javaScriptEnabled?: boolean }): Promise<Session>;
}

/** Registers the file's beforeAll/afterAll: seed service, app on an ephemeral port, Chromium. */
export function seedSite(): SeedSite {
  let browser: Browser | undefined;
  let server: Running | undefined;
  let service: SearchServiceApi | undefined;
  beforeAll(async () => {
    service = await openSeedService();
    server = await listen(createApp({ service, config: testConfig({ rateLimit: 0 }), logger: memoryLogger() }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeTempDirs();
  });
  return {
    get url() {
      return server!.url;
    },
    get service() {
      return service!;
    },
    open: (viewport = DESKTOP, options = {}) => openSession(browser!, viewport, options),
  };
}
