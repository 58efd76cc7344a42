/**
 * A PDF with a text layer → its text (see pdf-layout.ts), or why it cannot be read. pdfjs-dist's
 * legacy build (the one for Node) is loaded on first use, with the package's own CMaps — the
 * predefined Chinese encodings (UniGB-UCS2-H, GBK-EUC-H, Adobe-GB1…) of PDFs whose fonts are not
 * embedded — and standard font data; nothing is fetched from the network, and the file's
 * JavaScript and PostScript functions are never evaluated. Pure: bytes in, text out.
 *
 * Refused:
 * - not a PDF, or truncated (no %%EOF at the end: a half-downloaded file would otherwise be
 *   indexed as half a document) → E_CORRUPT_FILE;
 * - a password needed to open it → E_UNREADABLE;
 * - no text layer, or one that does not decode to text (fonts without a ToUnicode map) →
 *   E_NEEDS_OCR, with the reason from pdf-quality.ts.
 * Characters the fonts map wrongly (radicals ⼈⺠ for 人民, see radicals.ts) are restored.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { errorSummary, refuse, type Conversion } from './conversion.js';
import { layoutText, type PdfPageText } from './pdf-layout.js';
import { unreadableTextReason } from './pdf-quality.js';
import { restoreIdeographs } from './radicals.js';

const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Whether the bytes end like a complete PDF: `%%EOF` in the last 2 KB (trailing junk allowed). */
function hasEndMarker(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.byteLength - 2048));
  return tail.includes('%%EOF');
}

function hasHeader(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).includes('%PDF-');
}

/** Converts a PDF. */
export async function convertPdf(bytes: Uint8Array): Promise<Conversion> {
  if (bytes.length === 0) return refuse('E_EMPTY_FILE', 'empty file (0 bytes)');
  if (!hasHeader(bytes)) return refuse('E_CORRUPT_FILE', 'not a PDF file (no %PDF- header)');
  if (!hasEndMarker(bytes)) return refuse('E_CORRUPT_FILE', 'truncated PDF file (no %%EOF at the end)');
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    // pdfjs takes ownership of (and may detach) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    cMapUrl: join(PDFJS_DIR, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(PDFJS_DIR, 'standard_fonts') + '/',
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: true,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => {});
    if (e instanceof Error && e.name === 'PasswordException') return refuse('E_UNREADABLE', 'password-protected PDF file');
    return refuse('E_CORRUPT_FILE', `damaged PDF file (${errorSummary(e)})`);
  }
  try {
    const pages: PdfPageText[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      let page;
      let content;
      try {
        page = await doc.getPage(n);
        content = await page.getTextContent();
      } catch (e) {
        return refuse('E_CORRUPT_FILE', `damaged PDF file: page ${n} cannot be read (${errorSummary(e)})`);
      }
      const [, bottom = 0, , top = 0] = page.view;
      const items: PdfPageText['items'] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue; // marked-content boundaries
        const [a = 0, b = 0, , , x = 0, y = 0] = item.transform as number[];
        items.push({ str: item.str, x, y: y - bottom, width: item.width, size: Math.hypot(a, b) });
      }
      pages.push({ height: top - bottom, items });
      page.cleanup();
    }
    const text = restoreIdeographs(layoutText(pages));
    const reason = unreadableTextReason(text, doc.numPages);
    if (reason) return refuse('E_NEEDS_OCR', reason);
    return { ok: true, text: `${text}\n`, encoding: `PDF (${doc.numPages} page${doc.numPages === 1 ? '' : 's'})`, hints: {}, warnings: [] };
  } finally {
    await doc.destroy().catch(() => {});
  }
}
