/**
 * What a format converter returns: the document as the plain text a `.txt` of it would hold (one
 * paragraph per line or per blank-line-separated block, tables flattened to tab-indented cells,
 * the way the seeds look), so that metadata, paragraphs, structure, repairs and citations work
 * unchanged downstream — or why the file cannot be read.
 *
 * Converters are pure functions of the file's bytes (some are async because their libraries are);
 * only `corpus/load.ts` reads files.
 */

/**
 * Metadata a file states outside its text: a web page's `<meta>` tags and the 信息公开 table above
 * the article. They fill the fields the text itself leaves empty and never override it (see
 * `applyMetaHints`): the text is the document, the page around it is the publisher's description.
 */
export interface MetaHints {
  title?: string;
  /** 发文机关 / 发布机构 (an organ name). */
  issuer?: string;
  /** 文号, canonical form (温鹿政办〔2020〕35号). */
  docNumber?: string;
  /** 成文日期, ISO yyyy-mm-dd. */
  issuedDate?: string;
  /** 发布日期 (the publisher's date), ISO; stands in for 成文日期 only when nothing else gives one. */
  publishedDate?: string;
}

/** Codes of the files a converter refuses (all in the error catalog). */
export type ConversionCode = 'E_EMPTY_FILE' | 'E_BINARY_FILE' | 'E_BAD_ENCODING' | 'E_CORRUPT_FILE' | 'E_NEEDS_OCR' | 'E_UNREADABLE';

export type Conversion =
  | {
      ok: true;
      /** The document as plain text. */
      text: string;
      /** How the bytes were read, e.g. `HTML, UTF-8`, `DOCX`, `PDF (12 pages)`; shown with the document. */
      encoding: string;
      hints: MetaHints;
      /** Things whoever maintains the corpus should know; the file is indexed anyway. */
      warnings: string[];
    }
  | { ok: false; code: ConversionCode; reason: string };

/** A refusal. */
export function refuse(code: ConversionCode, reason: string): Conversion {
  return { ok: false, code, reason };
}

/** The first line of an error's message, without the library's stack or a trailing period. */
export function errorSummary(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return (message.split('\n')[0] ?? '').replace(/\.$/, '').trim() || 'unknown error';
}
