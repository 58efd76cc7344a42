/**
 * Whether the text layer of a PDF is text. A PDF draws glyphs; the text comes from each font's
 * ToUnicode map. Without one (common with some typesetting systems, print drivers and
 * old Chinese fonts) the glyph codes come out as private-use characters, control characters, or
 * characters of the wrong script, and a scan has no text layer at all. Such a file needs OCR:
 * indexing its "text" would put noise in every search. Pure.
 *
 * The tests, on the characters other than whitespace:
 * - none at all → no text layer;
 * - more than 5% private-use, replacement (U+FFFD) or control characters → unmapped glyph codes;
 * - more than 20% outside the scripts of a Chinese document (Han, CJK and full-width punctuation,
 *   ASCII, Latin-1, general punctuation, number forms) → mis-mapped codes;
 * - Chinese characters of which under 60% are common ones (the 3,755 of GB2312 level 1, or for
 *   traditional text the 5,401 of Big5's common block, which cover over 99% of running text) →
 *   codes mapped onto random ideographs;
 * - no Chinese character in 200 or more that do not read as words (letters with vowels) → an
 *   unreadable layer; a PDF in English is kept (and gets the loader's "no Chinese" warning).
 */
import iconv from 'iconv-lite';

const BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ue000-\uf8ff\ufffd\u{f0000}-\u{10ffff}]/u;
const HAN = /\p{Script=Han}/u;
/** Characters a Chinese policy document is written with. */
const PLAUSIBLE = /[\p{Script=Han}\u0020-\u007e\u00a0-\u00ff\u2000-\u206f\u2100-\u218f\u2190-\u21ff\u2200-\u22ff\u2460-\u24ff\u2500-\u257f\u25a0-\u25ff\u2600-\u26ff\u3000-\u303f\uff00-\uffef\ufe30-\ufe4f\u02c7\u02c9\u0391-\u03c9\u0401-\u0451]/u;

/** A Han character among the 3,755 most common simplified ones (GB2312 level 1: lead bytes B0–D7). */
function isCommonSimplified(ch: string): boolean {
  const bytes = iconv.encode(ch, 'gb2312');
  return bytes.length === 2 && bytes[0]! >= 0xb0 && bytes[0]! <= 0xd7;
}

/** A Han character among the 5,401 common traditional ones (Big5 A440–C67E). */
function isCommonTraditional(ch: string): boolean {
  const bytes = iconv.encode(ch, 'big5');
  if (bytes.length !== 2) return false;
  const code = bytes[0]! * 256 + bytes[1]!;
  return code >= 0xa440 && code <= 0xc67e;
}

function percent(part: number, whole: number): string {
  return `${Math.round((part / whole) * 100)}%`;
}

/** Why a PDF's extracted text is not text ("needs OCR: …"), or null when it reads as text. */
export function unreadableTextReason(text: string, pages: number): string | null {
  const chars = [...text].filter((ch) => !/\s/u.test(ch));
  const n = chars.length;
  if (n === 0) return `needs OCR: no text layer (${pages} page(s) of images, a scan?)`;
  let bad = 0;
  let implausible = 0;
  let han = 0;
  let sampledHan = 0;
  let commonSimplified = 0;
  let commonTraditional = 0;
  let letters = 0;
  let vowels = 0;
  for (const ch of chars) {
    if (BAD.test(ch)) bad++;
    else if (!PLAUSIBLE.test(ch)) implausible++;
    if (HAN.test(ch)) {
      han++;
      // A sample is enough, and keeps a long document fast.
      if (sampledHan < 5000) {
        sampledHan++;
        if (isCommonSimplified(ch)) commonSimplified++;
        if (isCommonTraditional(ch)) commonTraditional++;
      }
    } else if (/[A-Za-z]/.test(ch)) {
      letters++;
      if (/[aeiouyAEIOUY]/.test(ch)) vowels++;
    }
  }
  if (bad > n * 0.05) {
    return `needs OCR: ${percent(bad, n)} of the characters are unmapped glyph codes (fonts without a ToUnicode map)`;
  }
  if (implausible > n * 0.2) {
    return `needs OCR: ${percent(implausible, n)} of the characters are not Chinese text (fonts without a usable ToUnicode map)`;
  }
  const commonHan = Math.max(commonSimplified, commonTraditional);
  if (sampledHan >= 50 && commonHan < sampledHan * 0.6) {
    return `needs OCR: the text layer decodes to random Chinese characters (only ${percent(commonHan, sampledHan)} are common ones)`;
  }
  const wordLike = letters >= n * 0.6 && vowels >= letters * 0.2 && vowels <= letters * 0.6;
  if (han === 0 && n >= 200 && !wordLike) {
    return `needs OCR: ${n} characters but not one Chinese character, and they do not read as words`;
  }
  return null;
}
