/**
 * Plain text files (.txt, .md): their bytes decoded to text. Also the fallback decoder of web
 * pages that declare no charset. Pure.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** The outcome of decoding one file's bytes. */
export type DecodeResult =
  | { ok: true; text: string; encoding: string; warnings: string[] }
  | { ok: false; code: 'E_EMPTY_FILE' | 'E_BINARY_FILE' | 'E_BAD_ENCODING'; reason: string };

/** C0 controls other than tab, line feed, vertical tab, form feed, carriage return and escape. */
function isControlByte(b: number): boolean {
  return b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b;
}

/** UTF-16 without a BOM shows NULs in every other byte (ASCII and most punctuation). */
function sniffUtf16(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const half = n / 2;
  if (oddNul > half * 0.3 && evenNul < half * 0.02) return 'UTF-16LE';
  if (evenNul > half * 0.3 && oddNul < half * 0.02) return 'UTF-16BE';
  return null;
}

/** Why a decoded text does not look like text, or null when it does. */
export function textProblem(text: string): string | null {
  let replacement = 0;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'contains NUL characters';
    if (c === 0xfffd) replacement++;
    else if (c < 0x20 && isControlByte(c)) control++;
  }
  if (replacement > Math.max(2, text.length * 0.001)) return `${replacement} undecodable byte sequences`;
  if (control > Math.max(2, text.length * 0.01)) return `${control} control characters`;
  return null;
}

function countReplacements(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\uFFFD') n++;
  return n;
}

/** chardet names → iconv-lite names; GBK is read as its superset GB18030. */
const CHARDET_TO_ICONV: Record<string, string> = { GB18030: 'GB18030', GBK: 'GB18030', 'GB2312': 'GB18030' };
const CHINESE = new Set(['GB18030', 'Big5']);
const MULTIBYTE_CJK = new Set(['GB18030', 'Big5', 'EUC-JP', 'EUC-KR', 'Shift_JIS', 'ISO-2022-CN', 'ISO-2022-JP']);

/**
 * Decodes a file's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM (or with the NUL pattern
 * of UTF-16 text), else the legacy encoding chardet proposes (GB18030/GBK, Big5…), checked to
 * decode into text. Returns the text without BOM, or why it cannot be read.
 */
export function decodeBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, code: 'E_EMPTY_FILE', reason: 'empty file (0 bytes)' };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const finish = (text: string, encoding: string, warnings: string[] = []): DecodeResult => {
    const problem = textProblem(text);
    if (problem) return { ok: false, code: 'E_BAD_ENCODING', reason: `decoded as ${encoding} but ${problem}` };
    if (!text.replace(/^\uFEFF/, '').trim()) return { ok: false, code: 'E_EMPTY_FILE', reason: 'only whitespace' };
    const bad = countReplacements(text);
    if (bad > 0) warnings.push(`${bad} undecodable byte sequence(s) replaced by U+FFFD`);
    return { ok: true, text, encoding, warnings };
  };

  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return finish(buf.subarray(3).toString('utf8'), 'UTF-8 (BOM)');
  if (buf[0] === 0xff && buf[1] === 0xfe) return finish(iconv.decode(buf.subarray(2), 'utf-16le'), 'UTF-16LE');
  if (buf[0] === 0xfe && buf[1] === 0xff) return finish(iconv.decode(buf.subarray(2), 'utf-16be'), 'UTF-16BE');

  if (buf.includes(0)) {
    const utf16 = sniffUtf16(buf);
    if (utf16) return finish(iconv.decode(buf, utf16), utf16, [`${utf16} without BOM, detected from its byte pattern`]);
    return { ok: false, code: 'E_BINARY_FILE', reason: 'binary file (contains NUL bytes)' };
  }
  let controls = 0;
  for (const b of buf) if (isControlByte(b)) controls++;
  if (controls > Math.max(2, buf.length * 0.02)) {
    return { ok: false, code: 'E_BINARY_FILE', reason: `binary file (${controls} control bytes)` };
  }

  try {
    return finish(new TextDecoder('utf-8', { fatal: true }).decode(buf), 'UTF-8');
  } catch {
    // Not valid UTF-8: a legacy encoding.
  }

  // Candidates: chardet's Chinese guesses (GB18030 or Big5, in its order), then GB18030 — the
  // corpus is Chinese, and on short texts chardet often says EUC-JP for GBK bytes — then its
  // other multi-byte guesses, and single-byte encodings last, since they decode anything.
  const guesses = chardet
    .analyse(buf)
    .map((m) => CHARDET_TO_ICONV[m.name] ?? m.name)
    .filter((name) => iconv.encodingExists(name));
  const ordered = [
    ...guesses.filter((g) => CHINESE.has(g)),
    'GB18030',
    ...guesses.filter((g) => MULTIBYTE_CJK.has(g)),
    ...guesses.filter((g) => !MULTIBYTE_CJK.has(g)),
  ].filter((g, i, all) => all.indexOf(g) === i);
  let lastReason = 'no encoding candidate';
  for (const encoding of ordered) {
    const result = finish(iconv.decode(buf, encoding), encoding);
    if (result.ok) {
      if (!MULTIBYTE_CJK.has(encoding) && encoding !== 'UTF-8') {
        result.warnings.push(`encoding guessed as ${encoding} with low certainty`);
      }
      return result;
    }
    if (result.code === 'E_EMPTY_FILE') return result;
    lastReason = result.reason;
  }
  return { ok: false, code: 'E_BAD_ENCODING', reason: `not UTF-8 and no legacy encoding fits (${lastReason})` };
}

