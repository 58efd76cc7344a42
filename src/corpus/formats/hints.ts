/**
 * Metadata a file states outside its text (a web page's <meta> tags and 信息公开 table) merged
 * into what the text itself says. Pure.
 *
 * The text wins: a hint fills a field only when the text leaves it empty, so a page's template
 * can never overwrite what the notice says of itself (a CMS PubDate is the day the page went
 * online, not the 成文日期). The publisher's 发布日期 stands in for the 成文日期 only when neither
 * the text nor the page's 成文日期 gives one — the same rule as the date in a law's file name.
 * The fields derived from the others (region, city, province, year) are worked out again when a
 * hint filled one they depend on.
 */
import type { DocumentMeta } from '../../domain/types.js';
import { locateRegion } from '../gazetteer.js';
import { parseDocNumber } from '../metadata.js';
import type { MetaHints } from './conversion.js';

/** The year a work plan is for: the first year in its title, else that of its date (as metadata.ts reads it). */
function yearOf(title: string | null, issuedDate: string | null): number | null {
  const m = (title ?? '').replace(/〔\d{4}〕/gu, '').match(/(?<!\d)((?:19|20)\d{2})(?!\d)/u);
  if (m) return Number(m[1]);
  return issuedDate ? Number(issuedDate.slice(0, 4)) : null;
}

/** `meta` with its empty fields filled from `hints`; `meta` itself is not changed. */
export function applyMetaHints(meta: DocumentMeta, hints: MetaHints | undefined, text: string): DocumentMeta {
  if (!hints) return meta;
  const out: DocumentMeta = { ...meta };
  let filled = false;
  if (out.title === null && hints.title) {
    out.title = hints.title;
    filled = true;
  }
  if (out.issuer === null && hints.issuer) {
    out.issuer = hints.issuer;
    filled = true;
  }
  if (out.docNumber === null && hints.docNumber) {
    const parts = parseDocNumber(hints.docNumber);
    if (parts) {
      out.docNumber = hints.docNumber;
      out.docNumberParts = parts;
    }
  }
  const date = hints.issuedDate ?? hints.publishedDate;
  if (out.issuedDate === null && date) {
    out.issuedDate = date;
    filled = true;
  }
  if (!filled) return out;
  if (out.region === null && out.city === null && out.province === null) Object.assign(out, locateRegion([out.issuer, out.title], text));
  out.year = yearOf(out.title, out.issuedDate);
  return out;
}
