/**
 * Hostile input, at volume: ≥ 10,000 generated requests (fast-check, fixed seed) plus a
 * hand-written list of nasty strings, against createApp() over the seed index, through the same
 * HTTP server the process uses (one keep-alive loopback server, 16 requests in flight). Queries
 * mix quotes, operators, field prefixes, `%` and `\` runs, malformed percent-encoding, NUL and
 * other controls, lone surrogates (sent as WTF-8 bytes), combining marks, zero-width and
 * direction marks, emoji, and 10,000-character repeats; ids and the other parameters are fuzzed
 * too. Every response must be a non-5xx with well-formed JSON (parsed) or HTML (<html … </html>),
 * and no request may hang.
 *
 * The same nasty strings also go straight to the edge sanitizer and the service, in process,
 * where lone surrogates arrive as they are (a URL cannot carry them).
 */
import { request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { isAppError } from '../../src/domain/errors.js';
import type { SearchServiceApi } from '../../src/search/api.js';
import { createApp } from '../../src/web/app.js';
import { createHttpServer } from '../../src/web/http-server.js';
import { parseSearchParams, sanitizeText } from '../../src/web/params.js';
import { wordsOfNormalized } from '../../src/analysis/analyzer.js';
import { normalizeForMatch, normalizeWithMap } from '../../src/analysis/normalize.js';
import { parseQuery } from '../../src/search/query.js';
import { openSeedService, removeTempDirs, SEED_QUERY } from './fixtures.js';
import { memoryLogger, testConfig } from './harness.js';

const SEED = 20260701;
const GENERATED = 10_000;
const CONCURRENCY = 16;
/** No single request may take longer than this (a hang or a catastrophic regex would). */
const MAX_REQUEST_MS = 5_000;

/** Nasty strings written by hand: each has broken some search engine somewhere. */
const NASTY: readonly string[] = [
  '',
  ' ',
  '"',
  '""',
  '"""',
  '“',
  '”“',
  '「」',
  '"未闭合的引号',
  '-',
  '--',
  '-"',
  'OR',
  'OR OR OR',
  '| | |',
  '政务 OR',
  'OR 政务',
  '标题:',
  '文号:"',
  '地区：',
  '年份:abcd',
  '单位:""',
  '标题:"<script>"',
  '%',
  '%%',
  '%25',
  '%00',
  '%E0%A4%A',
  '%zz',
  '%u4e2d',
  '\\',
  '\\\\',
  '\\u0000',
  '\\x00',
  '\u0000',
  '政\u0000务',
  '\u0007\u0008\u001b[31m',
  '\r\n\r\n',
  '\t政务\t',
  '\u200b',
  '政\u200b务\u200c公\u200d开',
  '\u2060\ufeff',
  '\u200e\u200f',
  '\u202e公开政务\u202c',
  '\u2066\u2067\u2068\u2069',
  'e\u0301',
  '政\u0301\u0302\u0303\u0304\u0305',
  '\u0301'.repeat(500),
  'Z̷̡̢̛̖̗̘̙̜̝̞̟̠̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ͏͓͔͕͖͙͚͐͑͒͗͛',
  '😀',
  '👨‍👩‍👧‍👦',
  '🇨🇳政务🇨🇳',
  '𠀀𠀁𪚥',
  '\ud800',
  '\udfff',
  '\ud800\ud800',
  '政务\udc00公开',
  '\uffff\ufffe',
  '\ufffd',
  '(a+)+$',
  '.*.*.*=.*',
  '[[[[[',
  '$&$1$`',
  '${7*7}',
  '{{7*7}}',
  '<%= 7*7 %>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '</textarea>',
  "' OR 1=1 --",
  '__proto__',
  'constructor',
  '鼓政办〔2020〕65号',
  '鼓政办2020 65号',
  '文号:鼓政办[2020]65号',
  '〔〔〔〔〔',
  '2020年',
  '０１２３４５６７８９',
  'ＡＢＣ',
  SEED_QUERY,
  `"${SEED_QUERY}"`,
  `-${SEED_QUERY}`,
  '政'.repeat(10_000),
  'a'.repeat(10_000),
  '%'.repeat(10_000),
  '\\'.repeat(10_000),
  '"'.repeat(10_000),
  '😀'.repeat(5_000),
  '政 '.repeat(5_000),
  'OR '.repeat(3_000),
  '"政" '.repeat(2_000),
];

/** Fragments that generated queries are assembled from. */
const FRAGMENTS = [...NASTY.filter((s) => s.length <= 40), '政务公开', '重大行政决策', '规范性文件', '责任单位', '2021', '鹿城', '东阳', '天台'];

const LONE_SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 6 }) },
  { weight: 1, arbitrary: LONE_SURROGATE },
  { weight: 1, arbitrary: fc.constantFrom(' ', ' ', '　', '"', '“', '”', '-', ':', '：', 'OR', '|') },
);

const queryText = fc.oneof(
  { weight: 12, arbitrary: fc.array(piece, { maxLength: 10 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('政', 'a', '%', '\\', '"', '\u0301', '😀', '\u200b', '政 '), fc.integer({ min: 50, max: 10_000 })).map(([c, n]) => c.repeat(n)) },
);

const numberText = fc.oneof(
  fc.integer({ min: -5, max: 20_000 }).map(String),
  fc.constantFrom('', '0', '1', '1e3', '1.5', '-1', '0x10', 'NaN', 'Infinity', '9'.repeat(40), ' 5', '٣', '５'),
  fc.string({ maxLength: 5 }),
);

/** How a value is written into the URL. */
type Encoding = 'utf8' | 'wtf8' | 'raw';

/** Each byte as it appears in a URL: unreserved characters as they are, the rest as %XX. */
const URL_BYTE = Array.from({ length: 256 }, (_, b) => {
  const c = String.fromCharCode(b);
  return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
});

/** Percent-encodes every byte outside the unreserved set. */
function pctBytes(bytes: Uint8Array): string {
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = URL_BYTE[bytes[i]!]!;
  return parts.join('');
}

const HAS_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 with lone surrogates written as their 3-byte (WTF-8) form, which no decoder accepts. */
function wtf8(s: string): Uint8Array {
  if (!HAS_LONE_SURROGATE.test(s)) return Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out.push(...Buffer.from(s.slice(i, i + 2), 'utf8'));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    } else out.push(...Buffer.from(String.fromCharCode(c), 'utf8'));
  }
  return Uint8Array.from(out);
}

/** Writes a value into a URL: properly encoded, as WTF-8, or raw (only URL-legal characters kept, `%` unescaped). */
function encode(value: string, how: Encoding): string {
  if (how === 'wtf8') return pctBytes(wtf8(value));
  if (how === 'raw') return value.replace(/[^\x21-\x7e]+|[#?&]/g, (run) => pctBytes(Buffer.from(run, 'utf8')));
  return pctBytes(Buffer.from(value, 'utf8'));
}

interface Case {
  endpoint: number;
  q: string;
  extra: Array<[string, string]>;
  id: string;
  encoding: Encoding;
  repeatQ: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  endpoint: fc.nat(),
  q: queryText,
  extra: fc.array(
    fc.tuple(
      fc.constantFrom('limit', 'offset', 'sort', 'year', 'region', 'unit', 'before', 'after', 'today', 'a', 'b', 'q', '__proto__', 'q[a]', 'constructor', ''),
      fc.oneof(numberText, queryText, fc.constantFrom('relevance', 'date', 'deadline', 'document', '2020-01-01', '2020-13-45', '鹿城区')),
    ),
    { maxLength: 4 },
  ),
  // Mostly hostile ids; a valid one now and then, so the fuzzed parameters reach real pages.
  id: fc.oneof({ weight: 1, arbitrary: fc.constant('@valid') }, { weight: 6, arbitrary: queryText.map((s) => s.slice(0, 200)) }),
  encoding: fc.constantFrom<Encoding>('utf8', 'utf8', 'utf8', 'wtf8', 'raw'),
  repeatQ: fc.boolean(),
});

let service: SearchServiceApi;
let server: Server;
let base: string;
let agent: Agent;
let validDocId: string;
let validParagraphId: string;
/** Endpoints built from a case; optional ones only when their routes exist at test time. */
let endpoints: Array<(c: Case, qs: string, id: string) => string>;

interface Outcome {
  status: number;
  type: string;
  body: string;
  ms: number;
}

function newAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
}

function get(path: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
      );
      res.on('error', reject);
    });
    req.setTimeout(MAX_REQUEST_MS, () => req.destroy(new Error(`timeout after ${MAX_REQUEST_MS} ms: ${path.slice(0, 200)}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Why a response is not acceptable, or null. */
function problem(o: Outcome): string | null {
  if (o.status >= 500) return `status ${o.status}`;
  if (o.ms > MAX_REQUEST_MS) return `took ${Math.round(o.ms)} ms`;
  if (o.type.includes('application/json')) {
    try {
      const body = JSON.parse(o.body) as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
      if (o.status >= 400 && (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string' || typeof body.error?.requestId !== 'string')) {
        return 'error JSON without code, message and requestId';
      }
    } catch {
      return 'malformed JSON';
    }
    if (/\bat .*\.(ts|js):\d+/.test(o.body)) return 'stack trace in JSON';
    return null;
  }
  if (o.type.includes('text/html')) {
    if (!o.body.includes('<html') || !o.body.includes('</html>')) return 'HTML without <html …</html>';
    if (/\bat .*\.(ts|js):\d+/.test(o.body)) return 'stack trace in HTML';
    return null;
  }
  return `unexpected content type "${o.type}"`;
}

beforeAll(async () => {
  service = await openSeedService();
  const app = createApp({ service, config: testConfig({ rateLimit: 0 }), logger: memoryLogger() });
  server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = newAgent();
  const doc = service.getDoc(service.listDocs()[0]!.id);
  validDocId = doc.id;
  validParagraphId = doc.paragraphs[5]!.id;

  endpoints = [
    (_c, qs) => `/api/search?${qs}`,
    (_c, qs) => `/api/search?${qs}`,
    (_c, qs) => `/?${qs}`,
    (_c, qs) => `/?${qs}`,
    (_c, qs, id) => `/docs/${id}?${qs}`,
    (_c, qs, id) => `/api/docs/${id}?${qs}`,
  ];
  // Routes other features add: fuzz them too when they are there.
  const similar = await get(`/api/similar/${encodeURIComponent(validParagraphId)}`);
  if (similar.status !== 404) {
    endpoints.push((_c, qs, id) => `/api/similar/${id}?${qs}`, (_c, qs, id) => `/similar/${id}?${qs}`);
  }
  const compare = await get(`/api/compare?a=${encodeURIComponent(validParagraphId)}&b=${encodeURIComponent(validParagraphId)}`);
  if (compare.status !== 404) endpoints.push((c, qs, id) => `/api/compare?a=${id}&b=${encode(c.q.slice(0, 100), c.encoding)}&${qs}`, (_c, qs, id) => `/compare?a=${id}&${qs}`);
  if ((await get('/api/commitments')).status !== 404) endpoints.push((_c, qs) => `/api/commitments?${qs}`, (_c, qs) => `/commitments?${qs}`);
});

afterAll(async () => {
  agent?.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  removeTempDirs();
});

describe('hostile input never crashes the service', () => {
  it.each(NASTY.map((s, i) => [i, s] as const))('nasty string #%i: sanitizer and service in process (lone surrogates included)', (_i, s) => {
    const clean = sanitizeText(s);
    expect(clean).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
    expect(clean).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    for (const kind of ['api', 'page'] as const) {
      try {
        const req = parseSearchParams({ q: s }, DEFAULT_LIMITS, kind);
        if (req.q) {
          const r = service.search(req);
          expect(Number.isInteger(r.total)).toBe(true);
          for (const h of r.hits) for (const [a, b] of h.highlights) expect(a >= 0 && b <= h.text.length && a < b).toBe(true);
        }
      } catch (e) {
        // Rejections are fine, as long as they are catalog errors (→ 4xx), not crashes.
        expect(isAppError(e), String(e)).toBe(true);
        if (isAppError(e)) expect(e.status).toBeLessThan(500);
      }
    }
  });
});

describe('the query parser and the analyzer take every nasty string as it is (no length limit, no sanitizing)', () => {
  it.each(NASTY.map((s, i) => [i, s] as const))('nasty string #%i: parseQuery, normalization with offsets, jieba — no crash, no hang', (_i, s) => {
    const started = performance.now();
    for (const text of [s, sanitizeText(s)]) {
      try {
        const parsed = parseQuery(text, 10_000);
        for (const t of [...parsed.clauses.flat(), ...parsed.excluded, ...parsed.filters]) expect(t.norm.length).toBeGreaterThan(0);
      } catch (e) {
        expect(isAppError(e) && e.code, String(e)).toBe('E_QUERY_EMPTY');
      }
      const { text: norm, map } = normalizeWithMap(text);
      expect(norm).toBe(normalizeForMatch(text));
      expect(map.length).toBe(norm.length + 1);
      expect(map[norm.length]).toBe(text.length);
      expect(map.every((v, i) => i === 0 || v >= map[i - 1]!)).toBe(true);
      for (const w of wordsOfNormalized(norm)) expect(norm.slice(w.start, w.end)).toBe(w.text);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('fuzzing the HTTP app', () => {
  it(`answers ${GENERATED} generated hostile requests and every nasty string on every endpoint: no 5xx, well-formed, bounded time`, async () => {
    const cases = fc.sample(caseArb, { numRuns: GENERATED, seed: SEED });
    const paths: string[] = [];
    cases.forEach((c, i) => {
      const params: string[] = [`q=${encode(c.q, c.encoding)}`];
      if (c.repeatQ && i % 7 === 0) params.push(`q=${encode(c.q.slice(0, 20), 'utf8')}`);
      for (const [k, v] of c.extra) params.push(`${encode(k, 'utf8')}=${encode(v, c.encoding)}`);
      if (i % 11 === 0) params.push('%E0%A4%A=%zz', '&&&', '=');
      const id = c.id === '@valid' ? encodeURIComponent(i % 2 ? validDocId : validParagraphId) : encode(c.id, c.encoding);
      paths.push(endpoints[c.endpoint % endpoints.length]!(c, params.join('&'), id));
    });
    // Every hand-written nasty string, as a query and as an id, on every endpoint (the
    // encodings taking turns), and in all three encodings on the search API.
    const encodings = ['utf8', 'wtf8', 'raw'] as const;
    NASTY.forEach((s, i) => {
      endpoints.forEach((e, j) => {
        const how = encodings[(i + j) % 3]!;
        const c: Case = { endpoint: j, q: s, extra: [], id: s, encoding: how, repeatQ: false };
        paths.push(e(c, `q=${encode(s, how)}`, encode(s.slice(0, 300), how)));
      });
      for (const how of encodings) paths.push(`/api/search?q=${encode(s, how)}`);
    });

    // A fresh pool: no socket left idle from the probes in beforeAll.
    agent.destroy();
    agent = newAgent();
    const started = performance.now();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let slowest = 0;
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        let outcome: Outcome;
        try {
          outcome = await get(path);
        } catch (e) {
          failures.push(`${path.slice(0, 160)}: ${e instanceof Error ? e.message : String(e)}`);
          continue;
        }
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        slowest = Math.max(slowest, outcome.ms);
        const why = problem(outcome);
        if (why) failures.push(`${path.slice(0, 160)}: ${why} (${outcome.status}) ${outcome.body.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;

    const fiveXX = [...statuses].filter(([s]) => s >= 500).reduce((n, [, k]) => n + k, 0);
    console.log(
      `fuzz: ${paths.length} requests (${cases.length} generated, seed ${SEED}; ${paths.length - cases.length} from ${NASTY.length} nasty strings) ` +
        `on ${endpoints.length} endpoints in ${seconds.toFixed(1)} s; slowest ${Math.round(slowest)} ms; 5xx: ${fiveXX}; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(fiveXX).toBe(0);
    expect(paths.length).toBeGreaterThanOrEqual(GENERATED);
    // Real answers, not only rejections: plenty of 200s and 400s both.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(GENERATED / 5);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    // The server is still fine afterwards.
    expect((await get(`/api/search?q=${encodeURIComponent(SEED_QUERY)}`)).status).toBe(200);
  }, 180_000);
});
