import { describe, expect, it } from 'vitest';
import { charGramKeys, charGrams, gramKey, queryGramKeys, queryGrams, wordsOfNormalized } from '../../src/analysis/analyzer.js';
import { normalizeForMatch, normalizeWithMap, toOriginalSpan } from '../../src/analysis/normalize.js';

describe('normalizeForMatch', () => {
  it.each([
    ['2020 年', '2020年', 'PDF spacing between digits and 年'],
    ['（一）', '(一)', 'full-width parentheses fold to half-width'],
    ['(一)', '(一)', 'half-width stays'],
    ['责任单位：区府办', '责任单位:区府办', 'full-width colon'],
    ['温鹿政办〔2020〕35号', '温鹿政办[2020]35号', '六角括号 fold to square brackets'],
    ['温鹿政办[2020]35号', '温鹿政办[2020]35号', 'square brackets'],
    ['温鹿政办【2020】35号', '温鹿政办[2020]35号', '方头括号'],
    ['“一件事”', '"一件事"', 'Chinese quotes'],
    ['１２３４５热线', '12345热线', 'full-width digits'],
    ['ＡＢＣ', 'abc', 'full-width Latin, lower-cased'],
    ['政务\t公开\u3000工作', '政务公开工作', 'tabs and ideographic spaces'],
    ['，。、；', ',。、;', 'comma and semicolon fold, 。and 、 stay'],
    ['', '', 'empty'],
  ])('%s → %s (%s)', (input, expected) => {
    expect(normalizeForMatch(input)).toBe(expected);
  });
});

describe('normalizeWithMap', () => {
  it.each([
    ['2020 年 9 月底前', '2020年9'],
    ['（责任单位：县府办）', '责任单位:'],
    ['监管规则 and 标准', 'and标准'],
    ['ＡＢＣ１２３', 'c12'],
  ])('maps a match in %s for %s back to the original text', (original, needle) => {
    const n = normalizeWithMap(original);
    const at = n.text.indexOf(needle);
    expect(at).toBeGreaterThanOrEqual(0);
    const [s, e] = toOriginalSpan(n, at, at + needle.length, original);
    expect(normalizeForMatch(original.slice(s, e))).toBe(needle);
  });

  it('keeps surrogate pairs whole', () => {
    const original = '𠀀政务';
    const n = normalizeWithMap(original);
    expect(n.map[n.text.length]).toBe(original.length);
    expect(toOriginalSpan(n, 0, 2, original)).toEqual([0, 2]);
  });
});

describe('grams', () => {
  it.each([
    ['政务公开', ['政', '政务', '务', '务公', '公', '公开', '开']],
    ['公', ['公']],
    ['', []],
  ])('charGrams(%s)', (input, expected) => {
    expect(charGrams(input).sort()).toEqual([...expected].sort());
  });
  it.each([
    ['政务公开', ['政务', '务公', '公开']],
    ['公', ['公']],
    ['公公公', ['公公']],
  ])('queryGrams(%s)', (input, expected) => {
    expect(queryGrams(input)).toEqual(expected);
  });
  // The typed-array postings use numeric keys: the same grams, one key each, never colliding.
  it.each(['政务公开', '公', '公公公', '2020年9月底前', '(一)加强权力配置', '𠀀𠀁a', '', 'ab'])('gram keys of %j match the gram strings', (input) => {
    expect(charGramKeys(input).sort((a, b) => a - b)).toEqual(charGrams(input).map(gramKey).sort((a, b) => a - b));
    expect(queryGramKeys(input)).toEqual(queryGrams(input).map(gramKey));
    const keys = charGrams(input).map(gramKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(Number.isSafeInteger(k)).toBe(true);
  });
});

describe('wordsOfNormalized (jieba, policy dictionary)', () => {
  it.each([
    ['2020年温州市鹿城区政务公开工作要点', ['2020', '年', '温州市', '鹿城区', '政务公开', '工作要点']],
    ['责任单位:县府办', ['责任单位', '县府办']],
    ['12345热线', ['12345热线']],
    ['规则和标准', ['规则', '标准']],
  ])('%s', (input, expected) => {
    const words = wordsOfNormalized(input);
    expect(words.map((w) => w.text)).toEqual(expected);
    for (const w of words) expect(input.slice(w.start, w.end)).toBe(w.text);
  });
});
