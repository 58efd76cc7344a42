/**
 * Nothing from a document or a query reaches HTML unescaped: a corpus document whose title,
 * paragraphs and units contain markup, and queries containing markup, render as text on the
 * search page, the document page and the error pages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchServiceApi } from '../../src/search/api.js';
import { createApp } from '../../src/web/app.js';
import { HOSTILE, openHostileService, removeTempDirs } from './fixtures.js';
import { listen, memoryLogger, testConfig, type Running } from './harness.js';

let service: SearchServiceApi;
let server: Running;
let hostileDocId: string;

beforeAll(async () => {
  service = await openHostileService();
  server = await listen(createApp({ service, config: testConfig(), logger: memoryLogger() }));
  const doc = service.listDocs().find((d) => service.getDoc(d.id).paragraphs.some((p) => p.text.includes(HOSTILE.script)));
  if (!doc) throw new Error('the hostile document was not indexed');
  hostileDocId = doc.id;
});
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

async function html(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(server.url + path);
  return { status: res.status, text: await res.text() };
}

/** The markup that must never appear raw, and its escaped form that must appear instead. */
const RAW = ['<script>alert', '<img src=x', '<b>单位</b>', '"><img'];
function expectEscaped(text: string, { script = true, img = true } = {}): void {
  for (const raw of RAW) expect(text, raw).not.toContain(raw);
  // The page's own scripts are external; no inline <script> at all.
  expect(text.match(/<script\b[^>]*>/g) ?? []).toEqual(['<script src="/static/app.js" defer>']);
  if (script) expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  if (img) expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
}

const q = (s: string) => encodeURIComponent(s);

describe('hostile document and query text renders as text', () => {
  it('search page: query echoed in the box and the hit text, both escaped', async () => {
    const res = await html(`/?q=${q(HOSTILE.searchable)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<mark>'); // the hit is found and highlighted…
    expectEscaped(res.text); // …but its markup is text
  });

  it('search page: a hostile query that finds nothing is echoed escaped', async () => {
    const res = await html(`/?q=${q(`${HOSTILE.img} ${HOSTILE.script}`)}`);
    expect(res.status).toBe(200);
    expectEscaped(res.text);
    expect(res.text).toContain('&#34;&gt;&lt;img'); // the quote cannot close the value attribute
  });

  it('document page: title, paragraphs, units and citations escaped', async () => {
    const res = await html(`/docs/${encodeURIComponent(hostileDocId)}`);
    expect(res.status).toBe(200);
    expectEscaped(res.text);
  });

  it('document page with a hostile ?q= highlight', async () => {
    const res = await html(`/docs/${encodeURIComponent(hostileDocId)}?q=${q(HOSTILE.searchable)}`);
    expect(res.status).toBe(200);
    expectEscaped(res.text);
  });

  it('document list escapes titles', async () => {
    const res = await html('/docs');
    for (const raw of RAW) expect(res.text).not.toContain(raw);
  });

  it('error page (400) echoes the query escaped', async () => {
    const res = await html(`/?q=${q(`${HOSTILE.script}${HOSTILE.img}`)}&limit=abc`);
    expect(res.status).toBe(400);
    expectEscaped(res.text);
  });

  it('404 page echoes the path escaped', async () => {
    const res = await html(`/${q(HOSTILE.script)}${q(HOSTILE.img)}`);
    expect(res.status).toBe(404);
    expectEscaped(res.text);
  });

  it('JSON responses are JSON, never HTML', async () => {
    const res = await fetch(`${server.url}/api/search?q=${q(HOSTILE.searchable)}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('templates', () => {
  it('use <%- only for includes (never for user or document text)', () => {
    const dir = join(import.meta.dirname, '../../views');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ejs'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      for (const m of src.matchAll(/<%-(.*?)%>/gs)) expect(m[1]!.trim(), `${f}: ${m[0]}`).toMatch(/^include\('[\w/-]+'/);
      expect(src, f).not.toMatch(/\sstyle=|\son[a-z]+=/); // no inline styles or handlers (CSP)
    }
  });
});
