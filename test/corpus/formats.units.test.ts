/**
 * The format converters stage by stage, table-driven: HTML text layout, charsets and page
 * metadata; metadata hints; PDF layout, text-layer quality, glyph repairs and bad input; Word
 * documents without text. (The round trip of the seeds through every format is in
 * formats.roundtrip.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, ImageRun, Packer, Paragraph } from 'docx';
import iconv from 'iconv-lite';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/corpus/document.js';
import type { Conversion, MetaHints } from '../../src/corpus/formats/conversion.js';
import { convertDocx } from '../../src/corpus/formats/docx.js';
import { applyMetaHints } from '../../src/corpus/formats/hints.js';
import { convertHtml, declaredCharset } from '../../src/corpus/formats/html.js';
import { htmlToText } from '../../src/corpus/formats/html-text.js';
import { convertPdf } from '../../src/corpus/formats/pdf.js';
import { layoutText, type PdfPageText, type PdfTextItem } from '../../src/corpus/formats/pdf-layout.js';
import { unreadableTextReason } from '../../src/corpus/formats/pdf-quality.js';
import { restoreIdeographs } from '../../src/corpus/formats/radicals.js';
import { emptyMeta } from '../../src/corpus/metadata.js';
import type { DocumentMeta } from '../../src/domain/types.js';
import { SEEDS_DIR } from '../helpers/seeds.js';

const SEED = readFileSync(join(SEEDS_DIR, '000_77a096099b19bd9c.txt'), 'utf8');

function ok(c: Conversion): Extract<Conversion, { ok: true }> {
  if (!c.ok) throw new Error(`refused: ${c.code} ${c.reason}`);
  return c;
}

// ---------------------------------------------------------------------------------------------
// HTML

describe('htmlToText: a page in the layout of the seeds', () => {
  it.each([
    ['blocks are paragraphs', '<p>一、总体要求</p><div>（一）加强公开。</div><h2>二、保障措施</h2>', '一、总体要求\n\n（一）加强公开。\n\n二、保障措施'],
    ['<br> is a line break', '<p>抄送：区委各部门，<br>区检察院。</p>', '抄送：区委各部门，\n区检察院。'],
    ['source whitespace collapses as a browser shows it', '<p>\n  温州市鹿城区   人民政府\n</p>', '温州市鹿城区 人民政府'],
    ['inline markup is text', '<p><span>政务</span><b>公开</b><a href="#">工作</a></p>', '政务公开工作'],
    ['&nbsp; and the ideographic space are kept for the repairs', '<p>2020&nbsp;年　要点</p>', '2020\u00a0年　要点'],
    ['scripts, styles and hidden elements are not text', '<p>正文</p><script>var x = "脚本";</script><style>p{}</style><p style="display:none">隐藏</p><p hidden>也隐藏</p>', '正文'],
    [
      'a data table becomes tab-indented cells, a blank line after each row',
      '<table><tr><th>序号</th><th>重点任务</th></tr><tr><td>1</td><td><p>梳理权责清单，</p><p>按要求公开</p></td></tr></table>',
      '\t序号\n\t重点任务\n\n\t1\n\t梳理权责清单，按要求公开',
    ],
    ['a one-column table lays out the page: its cells are paragraphs', '<table><tr><td><p>第一段。</p></td></tr><tr><td>第二段。</td></tr></table>', '第一段。\n\n第二段。'],
    ['<pre> keeps its lines and spaces', '<pre>第一行\n  第二行</pre>', '第一行\n  第二行'],
  ])('%s', (_name, html, expected) => {
    expect(htmlToText(parse(`<body>${html}</body>`))).toBe(expected);
  });
});

describe('convertHtml: charsets', () => {
  const page = (head: string) => `<html><head>${head}</head><body><div class="TRS_Editor"><p>${SEED.split('\n').filter(Boolean).slice(0, 12).join('</p><p>')}</p></div></body></html>`;
  it.each([
    ['<meta charset="gbk">, GBK bytes', iconv.encode(page('<meta charset="gbk">'), 'gbk'), 'HTML, GB18030', []],
    ['http-equiv Content-Type gb2312, GBK bytes', iconv.encode(page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'), 'gbk'), 'HTML, GB18030', []],
    ['no declaration, GBK bytes (detected)', iconv.encode(page(''), 'gbk'), 'HTML, GB18030', []],
    ['no declaration, UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(''))]), 'HTML, UTF-8 (BOM)', []],
    ['declared UTF-8 but GBK bytes (detected, with a warning)', iconv.encode(page('<meta charset="utf-8">'), 'gbk'), 'HTML, GB18030', [/declared charset UTF-8 does not match the bytes/]],
  ])('%s', (_name, bytes, encoding, warnings) => {
    const c = ok(convertHtml(bytes));
    expect(c.encoding).toBe(encoding);
    expect(c.text).toContain('各街道办事处、镇人民政府');
    expect(c.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(c.warnings[i]).toMatch(w));
  });

  it('Big5', () => {
    const html = '<html><head><meta charset="big5"></head><body><div class="TRS_Editor"><p>臺北市政府關於印發工作要點的通知</p><p>各區公所：請認真貫徹執行。</p></div></body></html>';
    const c = ok(convertHtml(iconv.encode(html, 'big5')));
    expect(c.encoding).toBe('HTML, Big5');
    expect(c.text).toBe('臺北市政府關於印發工作要點的通知\n\n各區公所：請認真貫徹執行。\n');
  });

  it('reads the declaration from the first 4 KB only', () => {
    expect(declaredCharset(Buffer.from(`<html><head><meta charset="GB2312">`))).toBe('GB2312');
    expect(declaredCharset(Buffer.from(`<?xml version="1.0" encoding="gbk"?><html>`))).toBe('gbk');
    expect(declaredCharset(Buffer.from(`<html>${' '.repeat(5000)}<meta charset="gbk">`))).toBeNull();
  });
});

/** A government page whose body has neither 文号 nor 落款 (the CMS prints them in the 信息公开 table). */
function webOnlyPage(opts: { bodyNumber?: string; table?: boolean; pubDate?: string } = {}): string {
  const table = opts.table === false
    ? ''
    : `<table class="xxgk"><tr><td>索 引 号：</td><td>001008003012/2021-00012</td><td>发文机关：</td><td>温州市鹿城区人民政府办公室</td></tr>
       <tr><td>文　　号：</td><td>温鹿政办〔2021〕12号</td><td>成文日期：</td><td>2021年5月10日</td></tr>
       <tr><td>发布日期：</td><td>2021-05-12</td><td>有 效 性：</td><td>有效</td></tr></table>`;
  return `<html><head><meta charset="utf-8"><title>温州市鹿城区人民政府办公室关于做好2021年防汛工作的通知_鹿城区人民政府</title>
  ${opts.pubDate ? `<meta name="PubDate" content="${opts.pubDate}">` : ''}</head><body>
  <div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
  ${table}
  <h1>温州市鹿城区人民政府办公室关于做好2021年防汛工作的通知</h1>
  <div class="TRS_Editor">${opts.bodyNumber ? `<p>${opts.bodyNumber}</p>` : ''}
  <p>各街道办事处、镇人民政府，区政府直属各单位：</p>
  <p>为切实做好今年防汛工作，确保人民群众生命财产安全，经区政府同意，现就有关事项通知如下。</p>
  <p>一、压实防汛责任。各街道、镇要于2021年6月1日前完成隐患排查。</p></div>
  <div class="footer">网站标识码：3303020001</div></body></html>`;
}

function metaOf(html: string): DocumentMeta {
  const c = ok(convertHtml(Buffer.from(html)));
  return buildDocument({ file: 'page.html', text: c.text, encoding: c.encoding, checksum: '', hints: c.hints }).meta;
}

describe('convertHtml: what the page says about the document', () => {
  it('writes the <h1> title as the first line when the article body does not contain it', () => {
    const c = ok(convertHtml(Buffer.from(webOnlyPage())));
    expect(c.text.split('\n')[0]).toBe('温州市鹿城区人民政府办公室关于做好2021年防汛工作的通知');
    expect(c.text).not.toMatch(/首页|网站标识码|索引号|001008003012/);
  });

  it('fills 文号, issuer and 成文日期 from the 信息公开 table when the text does not state them', () => {
    expect(metaOf(webOnlyPage())).toMatchObject({
      title: '温州市鹿城区人民政府办公室关于做好2021年防汛工作的通知',
      docNumber: '温鹿政办〔2021〕12号',
      docNumberParts: { agency: '温鹿政办', year: 2021, serial: 12 },
      issuer: '温州市鹿城区人民政府办公室',
      issuedDate: '2021-05-10',
      region: '鹿城区',
      city: '温州市',
      year: 2021,
    });
  });

  it('the text wins over the page: a 文号 written in the body is kept', () => {
    expect(metaOf(webOnlyPage({ bodyNumber: '温鹿政办〔2021〕13号' })).docNumber).toBe('温鹿政办〔2021〕13号');
  });

  it('without a 成文日期, the PubDate meta tag stands in for the date', () => {
    expect(metaOf(webOnlyPage({ table: false, pubDate: '2021-05-12 16:20:00' }))).toMatchObject({ issuedDate: '2021-05-12', docNumber: null });
  });
});

describe('applyMetaHints: hints fill what the text leaves empty, never more', () => {
  const base: DocumentMeta = { ...emptyMeta(), title: '关于印发2020年工作要点的通知', year: 2020 };
  it.each<[string, DocumentMeta, MetaHints, Partial<DocumentMeta>]>([
    ['no hints', base, {}, base],
    ['fills an empty 文号 with its parts', base, { docNumber: '鼓政办〔2020〕65号' }, { docNumber: '鼓政办〔2020〕65号', docNumberParts: { agency: '鼓政办', year: 2020, serial: 65 } }],
    ['keeps the text’s title', base, { title: '另一个标题' }, { title: base.title }],
    ['成文日期 before 发布日期', base, { issuedDate: '2020-10-29', publishedDate: '2020-11-02' }, { issuedDate: '2020-10-29' }],
    ['发布日期 when nothing else', base, { publishedDate: '2020-11-02' }, { issuedDate: '2020-11-02', year: 2020 }],
    ['an issuer brings its region', base, { issuer: '福州市鼓楼区人民政府办公室' }, { issuer: '福州市鼓楼区人民政府办公室', region: '鼓楼区', city: '福州市', province: '福建省' }],
    ['the year from a filled title', emptyMeta(), { title: '2021年东阳市政务公开工作要点', issuedDate: '2020-12-30' }, { year: 2021 }],
  ])('%s', (_name, meta, hints, expected) => {
    const out = applyMetaHints(meta, hints, '');
    expect(out).toMatchObject(expected);
    expect(meta).toEqual(meta === base ? { ...emptyMeta(), title: '关于印发2020年工作要点的通知', year: 2020 } : emptyMeta()); // not changed
  });
});

// ---------------------------------------------------------------------------------------------
// PDF

/** A line of full-width characters, one em (12 units) each, as pdfjs reports it. */
function line(y: number, x: number, text: string): PdfTextItem {
  return { str: text, x, y, width: [...text].length * 12, size: 12 };
}

const FULL = '各街道办事处要按照本要点要求细化工作任务结合实际提出具体措施'; // 30 characters: 80 → 440

describe('layoutText: paragraphs from the page layout', () => {
  it.each<[string, PdfPageText[], string]>([
    ['a line wrapped by the layout is joined to the next', [{ height: 842, items: [line(700, 80, FULL), line(682, 80, '并抓好落实。'), line(664, 80, FULL)] }], `${FULL}并抓好落实。\n${FULL}`],
    ['an indented line starts a paragraph', [{ height: 842, items: [line(700, 80, FULL), line(682, 104, '二、保障措施'), line(664, 80, FULL)] }], `${FULL}\n\n二、保障措施\n${FULL}`],
    ['extra space above a line starts a paragraph', [{ height: 842, items: [line(700, 80, FULL), line(682, 80, FULL), line(650, 80, FULL)] }], `${FULL}${FULL}\n\n${FULL}`],
    ['a short line followed by another is a line break for the parser to judge', [{ height: 842, items: [line(700, 80, FULL), line(682, 80, '抄送：区委各部门，'), line(664, 80, '区检察院。')] }], `${FULL}抄送：区委各部门，\n区检察院。`],
    [
      'a paragraph running over a page break is joined; page numbers are dropped',
      [
        { height: 842, items: [line(700, 104, FULL.slice(2)), line(682, 80, FULL), line(40, 280, '— 1 —')] },
        { height: 842, items: [line(780, 80, '并抓好落实。'), line(40, 280, '— 2 —')] },
      ],
      `${FULL.slice(2)}${FULL}并抓好落实。`,
    ],
  ])('%s', (_name, pages, expected) => {
    expect(layoutText(pages)).toBe(expected);
  });

  it('reads a table with a wrapped cell as the seeds’ tab-indented cells', () => {
    const cell = (y: number, x: number, text: string) => line(y, x, text);
    const items = [
      ...[814, 796, 778, 760].map((y) => line(y, 80, FULL)),
      cell(700, 80, '序号'), cell(700, 140, '重点任务'), cell(700, 320, '责任单位'),
      cell(676, 80, '1'), cell(676, 140, '梳理权责清单并按'), cell(676, 320, '县司法局'),
      cell(658, 140, '要求公开'),
      cell(634, 80, '2'), cell(634, 140, '公开机构职能'), cell(634, 320, '县府办'),
      line(600, 104, '三、其他事项'),
    ];
    expect(layoutText([{ height: 842, items }])).toBe(
      `${FULL.repeat(4)}\n\n\t序号\n\t重点任务\n\t责任单位\n\n\t1\n\t梳理权责清单并按要求公开\n\t县司法局\n\n\t2\n\t公开机构职能\n\t县府办\n\n三、其他事项`,
    );
  });
});

describe('unreadableTextReason: a text layer that is not text needs OCR', () => {
  const randomHan = Array.from({ length: 400 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('');
  it.each<[string, string, RegExp | null]>([
    ['a seed notice', SEED, null],
    ['traditional Chinese', '臺北市政府關於印發工作要點的通知。各區公所：請認真貫徹執行，加強資訊公開，擴大公眾參與，提升服務品質。'.repeat(5), null],
    ['English prose', 'This notice sets out the key tasks of open government information for the year. '.repeat(5), null],
    ['nothing', ' \n ', /^needs OCR: no text layer \(3 page\(s\) of images, a scan\?\)$/],
    ['private-use glyph codes', '\ue001\ue002\ue003政务\ue004\ue005公开'.repeat(20), /^needs OCR: \d+% of the characters are unmapped glyph codes \(fonts without a ToUnicode map\)$/],
    ['codes mapped onto other scripts', 'ЖЗИЙ뙱㒗ⵁⵂⵃ☪ꚀꚁꚂ'.repeat(20), /^needs OCR: \d+% of the characters are not Chinese text/],
    ['codes mapped onto random ideographs', randomHan, /^needs OCR: the text layer decodes to random Chinese characters \(only \d+% are common ones\)$/],
    ['Latin gibberish from glyph indices', '3/@=1:?<8>;2'.repeat(30), /^needs OCR: 360 characters but not one Chinese character, and they do not read as words$/],
  ])('%s', (_name, text, reason) => {
    const r = unreadableTextReason(text, 3);
    if (reason === null) expect(r).toBeNull();
    else expect(r).toMatch(reason);
  });
});

describe('restoreIdeographs: characters the fonts map wrongly', () => {
  it.each([
    ['Kangxi and supplement radicals', '⼈⺠政府⽂件', '人民政府文件'],
    ['U+2329/U+232A angle brackets', '县府办\u2329县大数据局\u232a', '县府办〈县大数据局〉'],
    ['compatibility ideographs', '\uf91f花', '蘭花'],
    ['户 drawn as 戶 in simplified text', '在区门户网站公开，区门⼾网站', '在区门户网站公开，区门户网站'],
    ['戶 kept in traditional text', '臺北市政府門戶網站與資訊公開專區', '臺北市政府門戶網站與資訊公開專區'],
  ])('%s', (_name, input, expected) => {
    expect(restoreIdeographs(input)).toBe(expected);
  });
});

/** A minimal PDF with correct cross-reference offsets; objects[i] is object i + 1, the catalog first. */
function buildPdf(objects: string[]): Buffer {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
const pdfStream = (s: string) => `<< /Length ${Buffer.byteLength(s, 'latin1')} >>\nstream\n${s}\nendstream`;
const onePage = (contents: string, resources: string, extra: string[] = []) =>
  buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources ${resources} >>`,
    pdfStream(contents),
    ...extra,
  ]);
const TEXT_LINES = Array.from({ length: 20 }, (_, i) => `BT /F1 12 Tf 72 ${750 - i * 16} Td (Zhengwu gongkai gongzuo yaodian ${i}) Tj ET`).join('\n');
/** A ToUnicode map sending every printable code to the private-use area. */
const PUA_CMAP = [
  '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
  '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def',
  '1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <E000> endbfrange',
  'endcmap CMapName currentdict /CMapType exch defineresource pop end end',
].join('\n');

describe('convertPdf: files that are not indexed, and why', () => {
  it.each<[string, Buffer, string, RegExp]>([
    ['an empty file', Buffer.alloc(0), 'E_EMPTY_FILE', /^empty file \(0 bytes\)$/],
    ['not a PDF', Buffer.from('<html>not a pdf</html>'), 'E_CORRUPT_FILE', /^not a PDF file \(no %PDF- header\)$/],
    ['cut off before its end', onePage(TEXT_LINES, '<< >>').subarray(0, 300), 'E_CORRUPT_FILE', /^truncated PDF file \(no %%EOF at the end\)$/],
    ['a scan: pages without text', onePage('0 0 1 rg 100 100 200 300 re f', '<< >>'), 'E_NEEDS_OCR', /^needs OCR: no text layer \(1 page\(s\) of images, a scan\?\)$/],
    [
      'a font whose ToUnicode map leads to private-use codes',
      onePage(TEXT_LINES, '<< /Font << /F1 5 0 R >> >>', ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>', pdfStream(PUA_CMAP)]),
      'E_NEEDS_OCR',
      /^needs OCR: 100% of the characters are unmapped glyph codes/,
    ],
  ])('%s → %s', async (_name, bytes, code, reason) => {
    const c = await convertPdf(bytes);
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.code).toBe(code);
      expect(c.reason).toMatch(reason);
    }
  });

  it('the same page with a standard font is read', async () => {
    const c = ok(await convertPdf(onePage(TEXT_LINES, '<< /Font << /F1 5 0 R >> >>', ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'])));
    expect(c.text).toContain('Zhengwu gongkai gongzuo yaodian 19');
    expect(c.encoding).toBe('PDF (1 page)');
  });
});

// ---------------------------------------------------------------------------------------------
// DOCX

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('convertDocx: files that are not indexed, and why', () => {
  it.each<[string, () => Promise<Buffer>, string, RegExp]>([
    ['an empty file', async () => Buffer.alloc(0), 'E_EMPTY_FILE', /^empty file \(0 bytes\)$/],
    ['not a ZIP archive', async () => Buffer.from('{\\rtf1 not a docx}'), 'E_CORRUPT_FILE', /^not a DOCX file \(not a ZIP archive\)$/],
    ['a ZIP that is not a Word document', async () => Buffer.from('PK\u0003\u0004 damaged'), 'E_CORRUPT_FILE', /^damaged DOCX file \(.+\)$/],
    [
      'a scan pasted into Word: pictures, no text',
      () => Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ children: [new ImageRun({ type: 'png', data: PNG, transformation: { width: 100, height: 100 } })] })] }] })),
      'E_NEEDS_OCR',
      /^needs OCR: no text, only 1 picture\(s\) \(a scanned document\?\)$/,
    ],
  ])('%s → %s', async (_name, make, code, reason) => {
    const c = await convertDocx(await make());
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.code).toBe(code);
      expect(c.reason).toMatch(reason);
    }
  });
});
