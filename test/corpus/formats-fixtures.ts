/**
 * Fixtures for the format tests, made from a seed's text: the same notice as a government web
 * page (navigation, breadcrumb, 信息公开 table, share bar and footer around the article), as a
 * Word document (the docx package) and as a PDF printed by Chromium from a print view of that
 * page. Every blank-line-separated block of the seed is a paragraph (<p>, a Word paragraph), a
 * single line break inside it a <br> (a Word line break), and the seed's tab-flattened tables
 * real tables — so a converter that works gives back the seed's own text.
 */
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { chromium } from 'playwright-core';
import type { DocumentMeta } from '../../src/domain/types.js';

export type SeedBlock = { kind: 'paragraph'; lines: string[] } | { kind: 'table'; rows: string[][] };

/** The seed's blocks: paragraphs (their lines) and tables (rows of cells). */
export function seedBlocks(text: string): SeedBlock[] {
  const blocks: SeedBlock[] = [];
  const table = (): { kind: 'table'; rows: string[][] } => {
    const last = blocks[blocks.length - 1];
    if (last?.kind === 'table') return last;
    const created = { kind: 'table' as const, rows: [] as string[][] };
    blocks.push(created);
    return created;
  };
  for (const raw of text.split(/\n[ \t\u3000]*\n/u)) {
    const lines = raw.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const firstCell = lines.findIndex((l) => l.startsWith('\t'));
    const prose = firstCell < 0 ? lines : lines.slice(0, firstCell);
    if (prose.length > 0) blocks.push({ kind: 'paragraph', lines: prose.map((l) => l.trim()) });
    if (firstCell >= 0) table().rows.push(lines.slice(firstCell).map((l) => l.trim()));
  }
  return blocks;
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The blocks as the body of an article: <p> with <br>, and <table>s with a header row. */
export function articleHtml(blocks: readonly SeedBlock[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'paragraph') return `<p>${b.lines.map(escape).join('<br>\n')}</p>`;
      const [head, ...rows] = b.rows;
      const tr = (cells: string[], tag: string) => `<tr>${cells.map((c) => `<${tag}>${escape(c)}</${tag}>`).join('')}</tr>`;
      return `<table border="1"><thead>${tr(head ?? [], 'th')}</thead><tbody>${rows.map((r) => tr(r, 'td')).join('\n')}</tbody></table>`;
    })
    .join('\n');
}

export interface PageOptions {
  /** The article container's class; a generic one makes the converter find it by text density. */
  containerClass?: string;
  /** Metadata for the <meta> tags and the 信息公开 table (as the publishing site would show it). */
  meta: Pick<DocumentMeta, 'title' | 'issuer' | 'docNumber' | 'issuedDate'>;
  /** Declared charset (the bytes are encoded by the caller). */
  charset?: string;
}

/** Words that appear only in the page furniture, never in a notice: their absence proves the furniture was left out. */
export const FURNITURE_WORDS = ['互动交流', '当前位置', '分享到', '相关链接', '网站标识码', '打印本页', '无障碍浏览', 'ICP备'];

/** A government web page around the article, as a browser saves it. */
export function governmentPage(blocks: readonly SeedBlock[], opts: PageOptions): string {
  const { meta } = opts;
  const title = meta.title ?? '';
  const cls = opts.containerClass ?? 'TRS_Editor';
  return `<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="${opts.charset ?? 'utf-8'}">
<title>${escape(title)}_政策文件_示例区人民政府门户网站</title>
<meta name="SiteName" content="示例区人民政府门户网站">
<meta name="ColumnName" content="政策文件">
<meta name="ArticleTitle" content="${escape(title)}">
<meta name="PubDate" content="${meta.issuedDate ?? ''} 16:20">
<meta name="ContentSource" content="${escape(meta.issuer ?? '')}">
<style>.nav li{display:inline}@media print{.header,.nav,.crumb,.share,.related,.footer{display:none}}</style>
<script>window.__analytics = '互动交流 统计代码';</script>
</head><body>
<div class="header"><div class="logo">示例区人民政府门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/wza/">无障碍浏览</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<div class="main">
<table class="xxgk-info">
<tr><td>索 引 号：</td><td>001008003012/2020-00035</td><td>主题分类：</td><td>政务公开</td></tr>
<tr><td>发文机关：</td><td>${escape(meta.issuer ?? '')}</td><td>成文日期：</td><td>${meta.issuedDate ?? ''}</td></tr>
<tr><td>文　　号：</td><td>${escape(meta.docNumber ?? '')}</td><td>发布日期：</td><td>${meta.issuedDate ?? ''}</td></tr>
</table>
<h1 class="article-title">${escape(title)}</h1>
<div class="info">发布时间：${meta.issuedDate ?? ''} 16:20 来源：${escape(meta.issuer ?? '')} 字号：[大 中 小]</div>
<div class="${cls}">
${articleHtml(blocks)}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a.html">国务院办公厅关于印发2020年政务公开工作要点的通知</a></li><li><a href="/b.html">浙江省2020年政务公开工作要点</a></li></ul></div>
</div>
<div class="footer"><p>主办：示例区人民政府办公室　承办：示例区大数据发展管理局</p><p>网站标识码：3303020001　浙ICP备05012345号</p></div>
</body></html>`;
}

/** The article alone, styled like an official document, for printing to PDF. */
export function printPage(blocks: readonly SeedBlock[]): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>print</title>
<style>
  body { font-family: "Noto Serif CJK SC", serif; font-size: 16px; line-height: 1.6; margin: 0; }
  p { margin: 0 0 0.6em; text-indent: 2em; }
  table { border-collapse: collapse; margin: 0.6em 0; }
  th, td { border: 1px solid #000; padding: 4px 6px; vertical-align: top; }
</style></head><body>
${articleHtml(blocks)}
</body></html>`;
}

/** Prints pages to A4 PDFs with Debian's Chromium (one browser for all of them). */
export async function printToPdf(pages: readonly string[]): Promise<Buffer[]> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const pdfs: Buffer[] = [];
    for (const html of pages) {
      const page = await browser.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      pdfs.push(await page.pdf({ format: 'A4', margin: { top: '25mm', bottom: '25mm', left: '28mm', right: '26mm' } }));
      await page.close();
    }
    return pdfs;
  } finally {
    await browser.close();
  }
}

/**
 * A PDF whose fonts lost their ToUnicode maps, as some print drivers and typesetting systems
 * write them: every "/ToUnicode" key renamed (same length, so the cross-reference offsets hold).
 * The glyphs still print; their text comes out as glyph codes.
 */
export function withoutToUnicode(pdf: Buffer): Buffer {
  return Buffer.from(pdf.toString('latin1').replace(/\/ToUnicode/g, '/ToUnicodX'), 'latin1');
}

/** The blocks as a Word document: paragraphs with line breaks, tables with a header row. */
export async function wordDocument(blocks: readonly SeedBlock[]): Promise<Buffer> {
  const children = blocks.map((b) => {
    if (b.kind === 'paragraph') {
      return new Paragraph({
        alignment: AlignmentType.LEFT,
        children: b.lines.map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, font: 'SimSun' })),
      });
    }
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: b.rows.map(
        (cells, r) =>
          new TableRow({
            tableHeader: r === 0,
            children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, font: 'SimSun' })] })] })),
          }),
      ),
    });
  });
  const doc = new Document({ sections: [{ children }] });
  return Packer.toBuffer(doc);
}
