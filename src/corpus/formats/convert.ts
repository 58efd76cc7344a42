/**
 * The document formats read besides plain text, by file extension, each converted to the text a
 * `.txt` of it would hold (see conversion.ts). Converters load their libraries on first use, so a
 * corpus of text files never loads pdfjs or mammoth.
 */
import { errorSummary, type Conversion } from './conversion.js';
import { convertDocx } from './docx.js';
import { convertHtml } from './html.js';
import { convertPdf } from './pdf.js';

type Converter = (bytes: Uint8Array) => Conversion | Promise<Conversion>;

const CONVERTERS: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  ['.html', convertHtml],
  ['.htm', convertHtml],
  ['.docx', convertDocx],
  ['.pdf', convertPdf],
]);

/** Extensions (lower case, with the dot) read through a converter. */
export const CONVERTED_EXTENSIONS: readonly string[] = [...CONVERTERS.keys()];

/** Whether files with this extension (lower case, with the dot) go through a converter. */
export function isConvertedExtension(ext: string): boolean {
  return CONVERTERS.has(ext);
}

/**
 * Converts a file's bytes by its extension. Never throws: a converter that fails unexpectedly is
 * reported as a damaged file, so one file can never stop the corpus from loading.
 */
export async function convertByExtension(ext: string, bytes: Uint8Array): Promise<Conversion> {
  const convert = CONVERTERS.get(ext);
  if (!convert) return { ok: false, code: 'E_UNREADABLE', reason: `no converter for ${ext} files` };
  try {
    return await convert(bytes);
  } catch (e) {
    return { ok: false, code: 'E_CORRUPT_FILE', reason: `damaged ${ext.slice(1).toUpperCase()} file (${errorSummary(e)})` };
  }
}
