/**
 * A saved web page (.html, .htm) → the article's text and what the page states about it. Pure.
 *
 * - Charset: a byte-order mark, else the page's own declaration (`<meta charset>`, the
 *   `http-equiv` Content-Type, an XML declaration) in its first 4 KB, else the text decoder's
 *   detection (UTF-8, else GB18030/Big5…). GB2312 and GBK are read as their superset GB18030. A
 *   page declaring UTF-8 whose bytes are not UTF-8 is read by detection, with a warning.
 * - Text: the article only (see html-page.ts), in the layout of the seeds (see html-text.ts).
 *   When the article's text does not contain the page's title (the CMS prints the <h1> outside
 *   the body container), the title is written as its first line, as it is in any notice.
 * - Metadata: the page's <meta> tags and 信息公开 table are returned as hints, which fill only
 *   the fields the text leaves empty (the 文号 of a page whose body does not repeat it).
 */
import iconv from 'iconv-lite';
import { parse } from 'parse5';
import { refuse, type Conversion } from './conversion.js';
import { findArticle, headingBefore, readPageInfo } from './html-page.js';
import { htmlToText } from './html-text.js';
import { decodeBytes, textProblem } from './text.js';

/** Charset names pages declare → the iconv-lite encoding read. */
function encodingFor(declared: string): string | null {
  const name = declared.toLowerCase();
  if (name === 'utf-8' || name === 'utf8') return 'UTF-8';
  if (/^(gb2312|gbk|x-gbk|gb_2312-80|cp936|euc-cn|gb18030|x-euc-cn)$/.test(name)) return 'GB18030';
  if (/^(big5|big5-hkscs|x-x-big5|cn-big5)$/.test(name)) return 'Big5';
  return iconv.encodingExists(name) ? name : null;
}

/** The charset a page declares in its first 4 KB, or null. */
export function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const meta = /<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  if (meta) return meta[1]!;
  const xml = /^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/i.exec(head);
  return xml ? xml[1]! : null;
}

type Decoded = { ok: true; html: string; encoding: string; warnings: string[] } | { ok: false; conversion: Conversion };

function decodeHtml(bytes: Uint8Array): Decoded {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hasBom = (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) || (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff);
  const declared = hasBom ? null : declaredCharset(bytes);
  const encoding = declared ? encodingFor(declared) : null;
  const warnings: string[] = [];
  if (declared && !encoding) warnings.push(`declared charset ${declared} is unknown: encoding detected instead`);
  if (encoding === 'UTF-8') {
    try {
      const html = new TextDecoder('utf-8', { fatal: true }).decode(buf);
      return { ok: true, html, encoding, warnings };
    } catch {
      warnings.push('declared charset UTF-8 does not match the bytes: encoding detected instead');
    }
  } else if (encoding) {
    if (buf.includes(0)) return { ok: false, conversion: refuse('E_BINARY_FILE', 'binary file (contains NUL bytes)') };
    const html = iconv.decode(buf, encoding);
    const problem = textProblem(html);
    if (!problem) return { ok: true, html, encoding, warnings };
    warnings.push(`declared charset ${declared} does not match the bytes (${problem}): encoding detected instead`);
  }
  const detected = decodeBytes(bytes);
  if (!detected.ok) return { ok: false, conversion: refuse(detected.code, detected.reason) };
  return { ok: true, html: detected.text, encoding: detected.encoding, warnings: [...warnings, ...detected.warnings] };
}

/** Text without whitespace, for "does the article already contain its title". */
function bare(s: string): string {
  return s.replace(/[\s\u3000\u00a0]+/gu, '');
}

/** Converts a saved web page. */
export function convertHtml(bytes: Uint8Array): Conversion {
  if (bytes.length === 0) return refuse('E_EMPTY_FILE', 'empty file (0 bytes)');
  const decoded = decodeHtml(bytes);
  if (!decoded.ok) return decoded.conversion;
  const document = parse(decoded.html.replace(/^\uFEFF/, ''));
  const info = readPageInfo(document);
  const article = findArticle(document, info);
  let text = htmlToText(article.container, { skip: article.skip });
  if (!text.trim()) return refuse('E_EMPTY_FILE', 'no text in the page');

  const title = info.hints.title ?? headingBefore(document, article.container) ?? info.pageTitle;
  const opening = bare(text.split('\n').slice(0, 12).join(''));
  if (title && !opening.includes(bare(title))) text = `${title}\n\n${text}`;
  return { ok: true, text: `${text}\n`, encoding: `HTML, ${decoded.encoding}`, hints: info.hints, warnings: decoded.warnings };
}
