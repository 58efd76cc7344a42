/**
 * A Word document (.docx) → its text, through mammoth's HTML (paragraphs, line breaks and tables
 * as Word holds them) and the same flattening as a web page: a Word paragraph is a paragraph, a
 * manual line break a line break, a table the seeds' tab-indented cells. Page headers and footers
 * (page numbers) are not part of the text. Pure: bytes in, text out; mammoth is loaded on first use.
 *
 * Refused: a file that is not a ZIP (a legacy .doc or a password-protected document, both OLE
 * compound files), a ZIP that is not a Word document, and a document with pictures but no text
 * (a scan pasted into Word: it needs OCR).
 */
import { parse } from 'parse5';
import { errorSummary, refuse, type Conversion } from './conversion.js';
import { htmlToText } from './html-text.js';

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/** Converts a Word document. */
export async function convertDocx(bytes: Uint8Array): Promise<Conversion> {
  if (bytes.length === 0) return refuse('E_EMPTY_FILE', 'empty file (0 bytes)');
  if (startsWith(bytes, OLE_SIGNATURE)) {
    return refuse('E_CORRUPT_FILE', 'not a DOCX file: a password-protected document or a legacy .doc (OLE compound file)');
  }
  if (!startsWith(bytes, [0x50, 0x4b])) return refuse('E_CORRUPT_FILE', 'not a DOCX file (not a ZIP archive)');
  const { default: mammoth } = await import('mammoth');
  let html: string;
  let images = 0;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        externalFileAccess: false,
        // Pictures are counted, never decoded: their text (a scan) is not readable here anyway.
        convertImage: mammoth.images.imgElement(async () => {
          images++;
          return { src: '' };
        }),
      },
    );
    html = result.value;
  } catch (e) {
    return refuse('E_CORRUPT_FILE', `damaged DOCX file (${errorSummary(e)})`);
  }
  const text = htmlToText(parse(`<body>${html}</body>`));
  if (!text.trim()) {
    return images > 0
      ? refuse('E_NEEDS_OCR', `needs OCR: no text, only ${images} picture(s) (a scanned document?)`)
      : refuse('E_EMPTY_FILE', 'no text in the document');
  }
  return { ok: true, text: `${text}\n`, encoding: 'DOCX', hints: {}, warnings: [] };
}
