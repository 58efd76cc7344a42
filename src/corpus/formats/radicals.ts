/**
 * CJK radicals that stand for ideographs in extracted PDF text. A PDF's ToUnicode map gives each
 * glyph one code point; fonts such as Noto CJK draw 人 and the Kangxi radical ⼈ (U+2F08) with the
 * same glyph, and the writer may pick the radical, so copied text holds ⼈⺠政府 for 人民政府 —
 * invisible to a reader, fatal to search. These tables map them back.
 *
 * - Kangxi Radicals (U+2F00–U+2FD5): NFKC maps each to its ideograph.
 * - CJK Radicals Supplement (U+2E80–U+2EF3): no decomposition; the table below is Unicode's
 *   EquivalentUnifiedIdeograph.txt (Unicode 14.0) for that block, as shipped in Perl's
 *   unicore/To/EqUIdeo.pl on Debian. Radicals without an equivalent are left as they are.
 * - CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–) and the angle brackets U+2329/U+232A:
 *   canonical equivalents of ordinary characters, restored by NFC.
 * - In simplified text, 户 drawn with the glyph a font also gives 戶 or 戸 (and 胶 with 㬵's):
 *   the pairs whose glyphs Noto CJK / Source Han SC share through their Chinese `locl` forms,
 *   read from the fonts' cmap and GSUB tables. Only in simplified text: in traditional text 戶 is
 *   the right character.
 */
import iconv from 'iconv-lite';

/** CJK Radicals Supplement → equivalent unified ideograph. */
const SUPPLEMENT: ReadonlyMap<number, number> = new Map<number, number>([
  [0x2e81, 0x5382], [0x2e82, 0x4e5b], [0x2e83, 0x4e5a], [0x2e84, 0x4e59], [0x2e85, 0x4ebb], [0x2e86, 0x5182],
  [0x2e87, 0x20628], [0x2e88, 0x5200], [0x2e89, 0x5202], [0x2e8a, 0x535c], [0x2e8b, 0x353e], [0x2e8c, 0x5c0f],
  [0x2e8d, 0x5c0f], [0x2e8e, 0x5140], [0x2e8f, 0x5c23], [0x2e90, 0x5c22], [0x2e91, 0x21bc2], [0x2e92, 0x5df3],
  [0x2e93, 0x5e7a], [0x2e94, 0x5f51], [0x2e95, 0x5f50], [0x2e96, 0x5fc4], [0x2e97, 0x5fc3], [0x2e98, 0x624c],
  [0x2e99, 0x6535], [0x2e9b, 0x65e1], [0x2e9c, 0x65e5], [0x2e9d, 0x6708], [0x2e9e, 0x6b7a], [0x2e9f, 0x6bcd],
  [0x2ea0, 0x6c11], [0x2ea1, 0x6c35], [0x2ea2, 0x6c3a], [0x2ea3, 0x706c], [0x2ea4, 0x722b], [0x2ea5, 0x722b],
  [0x2ea6, 0x4e2c], [0x2ea7, 0x725b], [0x2ea8, 0x72ad], [0x2ea9, 0x738b], [0x2eaa, 0x24d14], [0x2eab, 0x76ee],
  [0x2eac, 0x793a], [0x2ead, 0x793b], [0x2eae, 0x25ad7], [0x2eaf, 0x7cf9], [0x2eb0, 0x7e9f], [0x2eb1, 0x7f53],
  [0x2eb2, 0x7f52], [0x2eb3, 0x34c1], [0x2eb4, 0x5197], [0x2eb5, 0x2626b], [0x2eb6, 0x7f8a], [0x2eb7, 0x2634c],
  [0x2eb8, 0x2634b], [0x2eb9, 0x8002], [0x2eba, 0x8080], [0x2ebb, 0x807f], [0x2ebc, 0x8089], [0x2ebd, 0x26951],
  [0x2ebe, 0x8279], [0x2ebf, 0x8279], [0x2ec0, 0x8279], [0x2ec1, 0x864e], [0x2ec2, 0x8864], [0x2ec3, 0x8980],
  [0x2ec4, 0x897f], [0x2ec5, 0x89c1], [0x2ec6, 0x89d2], [0x2ec7, 0x278b2], [0x2ec8, 0x8ba0], [0x2ec9, 0x8d1d],
  [0x2eca, 0x27fb7], [0x2ecb, 0x8f66], [0x2ecc, 0x8fb6], [0x2ecd, 0x8fb6], [0x2ece, 0x8fb6], [0x2ecf, 0x9091],
  [0x2ed0, 0x9485], [0x2ed1, 0x9577], [0x2ed2, 0x9578], [0x2ed3, 0x957f], [0x2ed4, 0x95e8], [0x2ed5, 0x28e0f],
  [0x2ed6, 0x961d], [0x2ed7, 0x96e8], [0x2ed8, 0x9752], [0x2ed9, 0x97e6], [0x2eda, 0x9875], [0x2edb, 0x98ce],
  [0x2edc, 0x98de], [0x2edd, 0x98df], [0x2ede, 0x2967f], [0x2edf, 0x98e0], [0x2ee0, 0x9963], [0x2ee1, 0x29810],
  [0x2ee2, 0x9a6c], [0x2ee3, 0x9aa8], [0x2ee4, 0x9b3c], [0x2ee5, 0x9c7c], [0x2ee6, 0x9e1f], [0x2ee7, 0x5364],
  [0x2ee8, 0x9ea6], [0x2ee9, 0x9ec4], [0x2eea, 0x9efe], [0x2eeb, 0x6589], [0x2eec, 0x9f50], [0x2eed, 0x6b6f],
  [0x2eee, 0x9f7f], [0x2eef, 0x7adc], [0x2ef0, 0x9f99], [0x2ef1, 0x9f9c], [0x2ef2, 0x4e80], [0x2ef3, 0x9f9f],
]);

const RADICAL = /[\u2e80-\u2eff\u2f00-\u2fdf]/u;

/** Characters a simplified-Chinese font draws with another character's glyph → the character meant. */
const SIMPLIFIED_TWINS: ReadonlyMap<string, string> = new Map([
  ['戶', '户'],
  ['戸', '户'],
  ['㬵', '胶'],
]);

/** Whether Han text is simplified: more characters only GB2312 has than characters only Big5 has. */
function isSimplified(text: string): boolean {
  let simplified = 0;
  let traditional = 0;
  let seen = 0;
  for (const ch of text) {
    if (!/\p{Script=Han}/u.test(ch)) continue;
    const gb = iconv.encode(ch, 'gb2312');
    const big5 = iconv.encode(ch, 'big5');
    const inGb = gb.length === 2 && gb[0]! >= 0xb0;
    const inBig5 = big5.length === 2 && big5[0]! >= 0xa4;
    if (inGb && !inBig5) simplified++;
    else if (inBig5 && !inGb) traditional++;
    if (++seen >= 5000) break;
  }
  return simplified > traditional;
}

/**
 * Extracted PDF text with the characters its fonts mapped wrongly restored: radicals and
 * compatibility forms written for ideographs, and in simplified text the glyph twins above.
 */
export function restoreIdeographs(text: string): string {
  let out = replaceRadicals(text.normalize('NFC')).text;
  if (/[戶戸㬵]/u.test(out) && isSimplified(out)) out = out.replace(/[戶戸㬵]/gu, (ch) => SIMPLIFIED_TWINS.get(ch) ?? ch);
  return out;
}

/** `text` with radicals written for ideographs replaced by the ideographs, and how many there were. */
export function replaceRadicals(text: string): { text: string; replaced: number } {
  if (!RADICAL.test(text)) return { text, replaced: 0 };
  let replaced = 0;
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x2f00 && c <= 0x2fdf) {
      const n = ch.normalize('NFKC');
      if (n !== ch) replaced++;
      out += n;
    } else if (c >= 0x2e80 && c <= 0x2eff && SUPPLEMENT.has(c)) {
      replaced++;
      out += String.fromCodePoint(SUPPLEMENT.get(c)!);
    } else out += ch;
  }
  return { text: out, replaced };
}
