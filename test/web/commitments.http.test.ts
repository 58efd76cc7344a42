/**
 * /api/commitments, /commitments and /commitments.csv over HTTP: the JSON shape, 400s for bad
 * parameters, the CSV (BOM, columns, one row per match, RFC 4180 quoting read back by a small
 * parser here, formula cells defused) compared with the API, and HTML escaping of document text.
 * Statuses (已到期, never 已逾期: completion is not recorded), the default sort (upcoming first),
 * and the one unit rule shared with the search page's unit facet.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { Commitment, CommitmentsResponse, SearchResponse } from '../../src/domain/types.js';
import { openSearchService } from '../../src/search/service.js';
import { createApp } from '../../src/web/app.js';
import { CSV_COLUMNS, csvField, STATUS_LABELS } from '../../src/web/routes/commitments.js';
import { openSeedService, removeTempDirs, SEEDS_DIR } from './fixtures.js';
import { listen, memoryLogger, testConfig, type Running } from './harness.js';
import { missingData, NOTICES_DEV, suiteName } from '../helpers/shared-corpus.js';

/** RFC 4180: fields separated by commas, records by CRLF; quoted fields may hold , " CR LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** The value a spreadsheet shows for a cell written by csvField (the formula guard undone). */
const unguard = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** A notice with a clause full of CSV metacharacters, a formula-looking clause and markup. */
const TRICKY = `仙居县人民政府办公室文件

仙政办〔2020〕9号

仙居县人民政府办公室关于印发2020年仙居县政务公开工作要点的通知

各乡镇人民政府、街道办事处，县政府直属各单位：

《2020年仙居县政务公开工作要点》已经县政府同意，现印发给你们，请认真贯彻执行。

仙居县人民政府办公室

2020年3月2日

2020年仙居县政务公开工作要点

一、转义测试

（一）逗号,引号"测试"与换行测试。本条款含有英文逗号,以及"英文双引号"和“中文引号”，
原文在此处换行后继续，2020年10月底前完成<script>alert(1)</script>。（责任单位：县府办、县司法局）

（二）=HYPERLINK("http://example.com","点我")公式注入测试条款，2020年11月底前完成。（责任单位：县委宣传部）
`;

let seeds: Running;
let tricky: Running;
const trickyDirs: string[] = [];

beforeAll(async () => {
  const service = await openSeedService();
  seeds = await listen(createApp({ service, config: testConfig(), logger: memoryLogger() }));
  const corpus = mkdtempSync(join(tmpdir(), 'commitments-corpus-'));
  const index = mkdtempSync(join(tmpdir(), 'commitments-index-'));
  trickyDirs.push(corpus, index);
  const tiantai = readdirSync(SEEDS_DIR).find((f) => f.startsWith('004_'))!;
  copyFileSync(join(SEEDS_DIR, tiantai), join(corpus, tiantai));
  writeFileSync(join(corpus, 'xianju.txt'), TRICKY);
  const trickyService = await openSearchService({ corpusDir: corpus, indexDir: index, limits: DEFAULT_LIMITS });
  tricky = await listen(createApp({ service: trickyService, config: testConfig(), logger: memoryLogger() }));
});

afterAll(async () => {
  await seeds?.close();
  await tricky?.close();
  removeTempDirs();
  for (const d of trickyDirs) rmSync(d, { recursive: true, force: true });
});

async function json(server: Running, path: string): Promise<{ status: number; body: CommitmentsResponse & { error?: { code: string; message: string } } }> {
  const res = await fetch(server.url + path);
  return { status: res.status, body: await res.json() };
}

async function csv(server: Running, path: string): Promise<{ res: Response; raw: string; rows: string[][] }> {
  const res = await fetch(server.url + path);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const raw = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { res, raw, rows: parseCsv(raw.replace(/^\ufeff/, '')) };
}

const enc = encodeURIComponent;

describe('GET /api/commitments', () => {
  it('returns the contract: total, items with who/what/when/where/source, counts', async () => {
    const { status, body } = await json(seeds, '/api/commitments');
    expect(status).toBe(200);
    expect(body.total).toBeGreaterThan(50);
    expect(body.items).toHaveLength(20); // the default page size, as /api/search
    for (const c of body.items) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'docId', 'text', 'label', 'section', 'units', 'deadlines', 'citation', 'url', 'doc']));
      expect(c.units.length + c.deadlines.length).toBeGreaterThan(0);
      expect(c.url).toBe(`/docs/${c.docId}#${c.id}`);
      for (const d of c.deadlines) expect(d).toEqual(expect.objectContaining({ text: expect.any(String), date: d.date === null ? null : expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }));
      for (const u of c.units) expect(u).toEqual(expect.objectContaining({ name: expect.any(String), key: expect.any(String), label: expect.any(String), lead: expect.any(Boolean) }));
    }
    expect(body.counts.units[0]).toEqual(expect.objectContaining({ key: expect.any(String), label: expect.any(String), count: expect.any(Number) }));
    expect(body.counts.months.every((m) => /^\d{4}-\d{2}$/.test(m.value))).toBe(true);
    expect(body.counts.regions.map((r) => r.value)).toEqual(expect.arrayContaining(['鹿城区', '鼓楼区', '东阳市', '海阳市', '天台县']));
  });

  it('filters by unit alias, region, month and keyword; pages with limit/offset', async () => {
    const a = (await json(seeds, `/api/commitments?unit=${enc('县府办')}&limit=1000`)).body;
    const b = (await json(seeds, `/api/commitments?unit=${enc('区政府办公室')}&limit=1000`)).body;
    expect(a.total).toBeGreaterThan(10);
    expect(b.items.map((c) => c.id)).toEqual(a.items.map((c) => c.id));
    const sept = (await json(seeds, '/api/commitments?after=2020-09&before=2020-09')).body;
    expect(sept.total).toBeGreaterThan(0);
    for (const c of sept.items) expect(c.deadlines.some((d) => d.date?.startsWith('2020-09'))).toBe(true);
    const region = (await json(seeds, `/api/commitments?region=${enc('天台')}&limit=1000`)).body;
    expect(region.items.every((c) => c.doc.region === '天台县')).toBe(true);
    const q = (await json(seeds, `/api/commitments?q=${enc('政策解读')}`)).body;
    expect(q.items.every((c) => c.text.includes('政策解读'))).toBe(true);
    const p2 = (await json(seeds, '/api/commitments?limit=5&offset=5&sort=document')).body;
    const p1 = (await json(seeds, '/api/commitments?limit=10&sort=document')).body;
    expect(p2.items.map((c) => c.id)).toEqual(p1.items.slice(5).map((c) => c.id));
  });

  it.each<[string, string, number]>([
    ['before=2020-13', 'E_BAD_DATE', 400],
    ['after=2020-02-30', 'E_BAD_DATE', 400],
    ['before=2020%2F09%2F01', 'E_BAD_DATE', 400],
    ['after=yesterday', 'E_BAD_DATE', 400],
    ['after=2020-12&before=2020-01', 'E_DATE_RANGE', 400],
    ['sort=random', 'E_BAD_PARAM', 400],
    ['unit=a&unit=b', 'E_BAD_PARAM', 400],
    ['limit=0', 'E_LIMIT_RANGE', 400],
    ['limit=1001', 'E_LIMIT_RANGE', 400],
    ['limit=ten', 'E_LIMIT_RANGE', 400],
    ['offset=10001', 'E_OFFSET_RANGE', 400],
    ['offset=-1', 'E_OFFSET_RANGE', 400],
    [`q=${'字'.repeat(201)}`, 'E_QUERY_TOO_LONG', 400],
  ])('%.40s → %s', async (qs, code, status) => {
    const { status: got, body } = await json(seeds, `/api/commitments?${qs}`);
    expect(got).toBe(status);
    expect(body.error?.code).toBe(code);
    expect(body.error?.message).toMatch(/[\u4e00-\u9fa5]/); // a Chinese message, no stack trace
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('the page answers a bad date with the Chinese error page and the same status', async () => {
    const res = await fetch(`${seeds.url}/commitments?before=2020-13`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('日期格式不正确');
    expect(html).toContain('E_BAD_DATE');
  });
});

describe('GET /commitments.csv', () => {
  it('is UTF-8 with a BOM, an attachment with a Chinese file name, and the ten columns', async () => {
    const { res, raw, rows } = await csv(seeds, '/commitments.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="commitments\.csv"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toMatch(/^承诺事项-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows[0]).toEqual(['事项', '编号', '所属章节', '责任单位', '完成时限', '截止日期', '状态', '地区', '出处', '链接']);
    const { body } = await json(seeds, '/api/commitments?limit=1');
    expect(rows.length - 1).toBe(body.total);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('holds every row of the filter (not one page), in the API order, with the same values', async () => {
    const filter = `unit=${enc('县府办')}&sort=deadline&today=2020-10-15`;
    const { rows } = await csv(seeds, `/commitments.csv?${filter}&limit=3&offset=2`);
    const { body } = await json(seeds, `/api/commitments?${filter}&limit=1000`);
    expect(rows.length - 1).toBe(body.total);
    body.items.forEach((c: Commitment, k) => {
      const r = rows[k + 1]!.map(unguard);
      expect(r[0]).toBe(c.task);
      expect(r[1]).toBe(c.label ? (c.kind === 'table-row' ? `第${c.label}项` : c.label) : '');
      expect(r[2]).toBe(c.section.join(' › '));
      expect(r[3]!.replace(/（牵头）/g, '')).toBe(c.units.map((u) => u.name).join('、'));
      expect(r[3]!.includes('（牵头）')).toBe(c.units.length > 1 && c.units.some((u) => u.lead));
      expect(r[4]).toBe(c.deadlines.map((d) => d.text).join('；'));
      expect(r[5]).toBe(c.deadlines.flatMap((d) => (d.date ? [d.date] : [])).join('；'));
      expect(r[6]).toBe(STATUS_LABELS[c.status]);
      expect(r[7]).toBe(c.region ?? '');
      expect(r[8]).toBe(c.citation);
      expect(r[9]).toBe(seeds.url + c.url);
    });
  });

  it('a bad parameter is a 400 here too', async () => {
    const res = await fetch(`${seeds.url}/commitments.csv?after=2020-99`);
    expect(res.status).toBe(400);
  });
});

describe('escaping', () => {
  it('csvField: RFC 4180 quoting and the formula guard, read back by the parser', () => {
    const cells = ['plain', 'a,b', 'say "hi"', 'line\nbreak', 'cr\r\nlf', '=1+1', '+86', '-x', '@SUM(A1)', '中文，逗号', ''];
    const line = `${cells.map(csvField).join(',')}\r\n`;
    const [back] = parseCsv(line);
    expect(back!.map(unguard)).toEqual(cells);
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('中文，逗号')).toBe('中文，逗号'); // a full-width comma needs no quoting
  });

  it('a clause with commas, quotes, a joined line break and markup round-trips through the CSV', async () => {
    const { body } = await json(tricky, `/api/commitments?region=${enc('仙居县')}&sort=document`);
    expect(body.total).toBe(2);
    const { raw, rows } = await csv(tricky, `/commitments.csv?region=${enc('仙居县')}&sort=document&today=2021-01-01`);
    expect(rows).toHaveLength(3);
    const [quotes, formula] = [rows[1]!, rows[2]!];
    expect(quotes[0]).toBe(body.items[0]!.task);
    expect(quotes[0]).toContain(',以及"英文双引号"和“中文引号”');
    expect(quotes[0]).toContain('换行后继续'); // the PDF line break inside the clause was joined
    expect(quotes[3]).toBe('县府办（牵头）、县司法局');
    expect(quotes[5]).toBe('2020-10-31');
    expect(quotes[6]).toBe('已到期'); // 2020年10月底前, seen on 2021-01-01
    // In the file itself: the field is quoted and its quotes doubled.
    expect(raw).toContain('"逗号,引号""测试""与换行测试。');
    // The formula-looking clause is shown as text by spreadsheets.
    expect(formula[0]!.startsWith("'=HYPERLINK(")).toBe(true);
    expect(unguard(formula[0]!)).toBe(body.items[1]!.task);
  });

  it('the page escapes document markup', async () => {
    const res = await fetch(`${tricky.url}/commitments?region=${enc('仙居县')}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<script\b[^>]*>/g) ?? []).toEqual(['<script src="/static/app.js" defer>']);
    expect(html).toContain('=HYPERLINK(&#34;http://example.com&#34;');
  });

  it('the page escapes hostile parameters echoed in the form', async () => {
    const res = await fetch(`${seeds.url}/commitments?q=${enc('"><script>alert(2)</script>')}&unit=${enc('<b>x</b>')}&region=${enc('"><img src=x>')}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(2)');
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });
});

// ---------------------------------------------------------------------------------------------
// Statuses and the default sort. Two fixed days: mid-September 2020, when the seeds' 9月底前 was
// near and nothing had passed, and December 2026, when every dated deadline of the seeds had.

const SEPT_2020 = '2020-09-15';
const DEC_2026 = '2026-12-06';
const STATUSES = ['upcoming', 'recurring', 'ongoing', 'passed', 'unknown', 'none'];

describe('statuses (completion is not recorded: 已到期, never 已逾期)', () => {
  it('the API gives each commitment and deadline a status from the enum, for the day asked', async () => {
    const { status, body } = await json(seeds, `/api/commitments?today=${DEC_2026}&limit=1000`);
    expect(status).toBe(200);
    expect(Object.keys(body.counts.statuses)).toEqual(STATUSES);
    for (const c of body.items) {
      expect(STATUSES).toContain(c.status);
      for (const d of c.deadlines) {
        expect(['upcoming', 'recurring', 'ongoing', 'passed', 'unknown']).toContain(d.status);
        expect(d).toEqual(expect.objectContaining({ next: d.next === null ? null : expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }));
        if (d.date && d.date < DEC_2026 && d.status !== 'unknown') expect(d.status).toBe('passed');
      }
    }
    // On this day nothing of 2020–2021 is upcoming.
    expect(body.counts.statuses.upcoming).toBe(0);
    expect(body.counts.statuses.passed).toBeGreaterThan(20);
    // 天台's 按季度 is recurring, not a date.
    const quarterly = body.items.find((c) => c.deadlines.some((d) => d.text === '按季度'))!;
    expect(quarterly.status).toBe('recurring');
  });

  it('the same commitments, seen in September 2020: upcoming with the days left', async () => {
    const { body } = await json(seeds, `/api/commitments?today=${SEPT_2020}&limit=1000`);
    expect(body.counts.statuses.passed).toBe(0);
    const sept = body.items.flatMap((c) => c.deadlines).filter((d) => d.date === '2020-09-30');
    expect(sept.length).toBeGreaterThan(0);
    for (const d of sept) expect([d.status, d.daysLeft]).toEqual(['upcoming', 15]);
  });

  it('without `today` the server date is used (the clock is read by the route)', async () => {
    const implicit = (await json(seeds, '/api/commitments?limit=1')).body.counts.statuses;
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    expect(implicit).toEqual((await json(seeds, `/api/commitments?limit=1&today=${today}`)).body.counts.statuses);
  });

  it.each(STATUSES)('status=%s keeps only that status; its count equals the total', async (status) => {
    const base = (await json(seeds, `/api/commitments?today=${DEC_2026}&limit=1`)).body;
    const { body } = await json(seeds, `/api/commitments?today=${DEC_2026}&status=${status}&limit=1000`);
    expect(body.total).toBe(base.counts.statuses[status as keyof typeof base.counts.statuses]);
    expect(body.items.every((c) => c.status === status)).toBe(true);
  });

  it.each<[string, string]>([
    ['status=overdue', 'E_BAD_PARAM'],
    ['status=upcoming&status=passed', 'E_BAD_PARAM'],
    ['today=2026-13-01', 'E_BAD_DATE'],
    ['today=tomorrow', 'E_BAD_DATE'],
  ])('%s → 400 %s', async (qs, code) => {
    const { status, body } = await json(seeds, `/api/commitments?${qs}`);
    expect(status).toBe(400);
    expect(body.error?.code).toBe(code);
  });

  it('the page says 已到期 (never 已逾期) and explains in one line that completion is not recorded', async () => {
    const html = await (await fetch(`${seeds.url}/commitments?today=${DEC_2026}&limit=100`)).text();
    expect(html).not.toContain('已逾期');
    expect(html).toContain('不记载是否已经完成');
    expect((html.match(/class="badge cm-status cm-passed">已到期</g) ?? []).length).toBeGreaterThan(20);
    expect(html).toContain('cm-recurring">周期性<');
    expect(html).toContain('到期状态以 2026年12月6日 为准');
    const sept = await (await fetch(`${seeds.url}/commitments?today=${SEPT_2020}&limit=100`)).text();
    expect(sept).toContain('还剩 15 天');
    expect(sept).toContain('cm-soon">即将到期<');
    expect(sept).toContain('cm-upcoming">未到期<'); // November's, more than 30 days ahead
    expect(sept).not.toContain('cm-passed">已到期<');
  });
});

describe('default sort: upcoming soonest first, then recurring, ongoing, passed (latest first)', () => {
  const order = (c: Commitment) => STATUSES.indexOf(c.status);

  it.each([SEPT_2020, DEC_2026])('on %s', async (today) => {
    const { body } = await json(seeds, `/api/commitments?today=${today}&limit=1000`);
    const explicit = (await json(seeds, `/api/commitments?today=${today}&limit=1000&sort=status`)).body;
    expect(body.items.map((c) => c.id)).toEqual(explicit.items.map((c) => c.id));
    const ranks = body.items.map(order);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const dues = (s: string) => body.items.filter((c) => c.status === s).map((c) => c.due!);
    expect(dues('upcoming')).toEqual([...dues('upcoming')].sort());
    expect(dues('passed')).toEqual([...dues('passed')].sort().reverse());
    expect(body.items[0]!.status).toBe(today === SEPT_2020 ? 'upcoming' : 'recurring');
  });

  it('the other sorts still work: by deadline (earliest first) and by document', async () => {
    const byDeadline = (await json(seeds, `/api/commitments?today=${DEC_2026}&limit=1000&sort=deadline`)).body.items;
    const firsts = byDeadline.map((c) => c.deadlines.map((d) => d.date).filter((d): d is string => d !== null).sort()[0] ?? null).filter((d) => d !== null);
    expect(firsts).toEqual([...firsts].sort());
    const byDocument = (await json(seeds, `/api/commitments?today=${DEC_2026}&limit=1000&sort=document`)).body.items;
    expect(new Set(byDocument.map((c) => c.id))).toEqual(new Set(byDeadline.map((c) => c.id)));
    expect(byDocument.map((c) => c.id)).not.toEqual(byDeadline.map((c) => c.id));
  });

  it('the page lists the upcoming rows first by default and keeps the chosen sort in its links', async () => {
    const html = await (await fetch(`${seeds.url}/commitments?today=${SEPT_2020}`)).text();
    const statuses = [...html.matchAll(/<li class="cm-deadline" data-status="(\w+)"/g)].map((m) => m[1]);
    expect(statuses[0]).toBe('upcoming');
    expect(html).toMatch(/<option value="status" selected>/);
    const byDoc = await (await fetch(`${seeds.url}/commitments?today=${SEPT_2020}&sort=document&unit=${enc('县府办')}`)).text();
    expect(byDoc).toMatch(/<option value="document" selected>/);
    // The status links keep the other choices.
    expect(byDoc).toMatch(/href="\/commitments\?unit=%E5%8E%BF%E5%BA%9C%E5%8A%9E&amp;status=upcoming&amp;sort=document&amp;today=2020-09-15"/);
  });
});

describe('one unit rule for the search facet and /commitments', () => {
  const searchJson = async (qs: string): Promise<SearchResponse> => (await fetch(`${seeds.url}/api/search?${qs}`)).json() as Promise<SearchResponse>;

  it('the search unit facet lists each unit once (区政府办, 区政府办公室, 县府办 → 政府办公室), as /commitments does', async () => {
    for (const q of ['公开', '政务公开']) {
      const res = await searchJson(`q=${enc(q)}&limit=1`);
      const values = res.facets.unit.map((f) => f.value);
      expect(values).toContain('政府办公室');
      for (const spelling of ['区政府办', '区政府办公室', '县府办', '市府办', '县政府办公室', '区政府办公室〈区大数据发展管理局〉']) {
        expect(values, `${q}: ${spelling}`).not.toContain(spelling);
      }
      expect(new Set(values).size).toBe(values.length);
      // The facet's count is the filter's total; every spelling filters to the same paragraphs.
      const office = res.facets.unit.find((f) => f.value === '政府办公室')!;
      const totals = await Promise.all(['政府办公室', '区政府办', '区政府办公室', '县府办', '市府办'].map(async (u) => (await searchJson(`q=${enc(q)}&limit=1&unit=${enc(u)}`)).total));
      expect(totals).toEqual(totals.map(() => office.count));
      // Every facet value's count is its filter's total.
      for (const f of res.facets.unit.slice(0, 10)) expect((await searchJson(`q=${enc(q)}&limit=1&unit=${enc(f.value)}`)).total, f.value).toBe(f.count);
    }
  });

  it('the two pages name the same units', async () => {
    const facet = (await searchJson(`q=${enc('公开')}&limit=1`)).facets.unit.map((f) => f.value);
    const labels = new Set((await json(seeds, `/api/commitments?limit=1`)).body.counts.units.map((u) => u.label));
    for (const value of facet) expect(labels, value).toContain(value);
  });

  it('a fragment that is no unit still finds the units containing it (单位:司法)', async () => {
    const fragment = await searchJson(`q=${enc('公开')}&limit=1&unit=${enc('司法')}`);
    const unit = await searchJson(`q=${enc('公开')}&limit=1&unit=${enc('司法局')}`);
    expect(fragment.total).toBeGreaterThan(0);
    expect(fragment.total).toBe(unit.total);
    expect((await json(seeds, `/api/commitments?unit=${enc('司法')}&limit=1`)).body.total).toBe(
      (await json(seeds, `/api/commitments?unit=${enc('县司法局')}&limit=1`)).body.total,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Three real notices of notices-dev, served on their own: a recurring 每年一季度前 (116), a
// year-less 4月底前 that falls before its notice (147), a validity clause (129).

const DEV_MISSING = missingData(NOTICES_DEV, '../shared/corpus/notices-dev');
const DEV_FILES = ['116_songjiang-xiaofang-anquan-zerenzhi.txt', '147_songjiang-jianzhu-laji-qingshui-xingdong.txt', '129_shi-jiaotongwei-xiangzhen-dukou.txt'];

describe.skipIf(DEV_MISSING !== null)(suiteName('notices-dev on /commitments', DEV_MISSING), () => {
  let dev: Running;
  beforeAll(async () => {
    const corpus = mkdtempSync(join(tmpdir(), 'commitments-dev-'));
    const index = mkdtempSync(join(tmpdir(), 'commitments-dev-index-'));
    trickyDirs.push(corpus, index);
    for (const f of DEV_FILES) copyFileSync(join(NOTICES_DEV, f), join(corpus, f));
    const service = await openSearchService({ corpusDir: corpus, indexDir: index, limits: DEFAULT_LIMITS });
    dev = await listen(createApp({ service, config: testConfig(), logger: memoryLogger() }));
  });
  afterAll(async () => {
    await dev?.close();
  });

  it('每年一季度前 is 周期性 with its next date; never a 2020 date', async () => {
    const { body } = await json(dev, `/api/commitments?today=${DEC_2026}&q=${enc('每年一季度前')}`);
    expect(body.total).toBe(1);
    expect(body.items[0]!.status).toBe('recurring');
    expect(body.items[0]!.deadlines).toEqual([{ text: '每年一季度前', date: null, kind: 'recurring', status: 'recurring', next: '2027-03-31', daysLeft: 115, doubt: null }]);
    const html = await (await fetch(`${dev.url}/commitments?today=${DEC_2026}&q=${enc('每年一季度前')}`)).text();
    expect(html).toContain('cm-recurring">周期性<');
    expect(html).toContain('下次 2027年3月31日（还剩 115 天）');
    expect(html).not.toContain('2020年3月31日');
  });

  it('a year-less date before its notice is 日期存疑, with the reason', async () => {
    const { body } = await json(dev, `/api/commitments?today=${DEC_2026}&status=unknown`);
    expect(body.items.map((c) => c.deadlines.filter((d) => d.status === 'unknown').map((d) => [d.text, d.date, d.doubt]))).toEqual([[['4月底前', '2026-04-30', 'before-issue']]]);
    const html = await (await fetch(`${dev.url}/commitments?today=${DEC_2026}&status=unknown`)).text();
    expect(html).toContain('cm-unknown">日期存疑<');
    expect(html).toContain('按文件年份推算为2026年4月30日，早于成文日期（2026年5月7日），年份可能有误');
  });

  it('the validity clause (有效期至2020年7月10日止) is not listed, and municipal 129 is under 上海市', async () => {
    const { body } = await json(dev, `/api/commitments?today=${DEC_2026}&limit=1000`);
    expect(body.items.some((c) => c.text.includes('有效期至'))).toBe(false);
    expect(body.items.some((c) => c.text.includes('有效期延长至'))).toBe(false);
    const regions = new Map(body.counts.regions.map((r) => [r.value, r.count]));
    expect([...regions.keys()].sort()).toEqual(['上海市', '松江区']);
    // 上海市 counts its own notice and the districts', as filtering by it does.
    expect((await json(dev, `/api/commitments?today=${DEC_2026}&region=${enc('上海市')}&limit=1`)).body.total).toBe(regions.get('上海市'));
    expect(regions.get('上海市')).toBe(body.total);
    const search = (await (await fetch(`${dev.url}/api/search?q=${enc('渡口')}&limit=1`)).json()) as SearchResponse;
    expect(search.hits[0]!.doc.region).toBe('上海市');
  });
});
