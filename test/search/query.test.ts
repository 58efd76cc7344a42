import { describe, expect, it } from 'vitest';
import { formatQuery, parseQuery } from '../../src/search/query.js';

const show = (q: string) => {
  const p = parseQuery(q, 16);
  return {
    clauses: p.clauses.map((c) => c.map((t) => `${t.phrase ? '"' : ''}${t.norm}`)),
    filters: p.filters.map((t) => `${t.field}=${t.norm}`),
    excluded: p.excluded.map((t) => t.norm),
  };
};

describe('parseQuery', () => {
  it.each([
    ['天台 标准目录', [['天台'], ['标准目录']], [], []],
    ['"规则和标准"', [['"规则和标准']], [], []],
    ['“政务 公开”', [['"政务公开']], [], []],
    ['「最多跑一次」', [['"最多跑一次']], [], []],
    ['疫情防控 -天台', [['疫情防控']], [], ['天台']],
    ['疫情防控 -"复工复产"', [['疫情防控']], [], ['复工复产']],
    ['权责清单 OR 权力清单 公开', [['权责清单', '权力清单'], ['公开']], [], []],
    ['地区:天台县 年份：2020 单位:县府办 公开', [['公开']], ['region=天台县', 'year=2020', 'unit=县府办'], []],
    ['标题:东阳 文号:鼓政办[2020]65号', [], ['title=东阳', 'docNumber=鼓政办[2020]65号'], []],
    ['文号:鼓政办2020 65号', [], ['docNumber=鼓政办[2020]65号'], []],
    ['鼓政办2020 65号', [['鼓政办[2020]65号']], [], []],
    ['鼓政办（2020）65号 公开', [['鼓政办[2020]65号'], ['公开']], [], []],
    // Inside quotes a field name and colon are text; a quoted 文号 alone is still a 文号
    // (an identifier, whatever brackets it was typed with), but within a longer phrase it is text.
    ['"单位:市府办、市委组织部"', [['"单位:市府办、市委组织部']], [], []],
    ['"温政办（2020）58号"', [['温政办[2020]58号']], [], []],
    ['“鼓政办(2020)65号”', [['鼓政办[2020]65号']], [], []],
    ['"温政办（2020）58号文件"', [['"温政办(2020)58号文件']], [], []],
    ['标题:"东阳市"', [], ['title=东阳市'], []],
    ['２０２０ 年', [['2020'], ['年']], [], []],
  ])('%s', (q, clauses, filters, excluded) => {
    expect(show(q)).toEqual({ clauses, filters, excluded });
  });

  it.each(['', '   ', '""', '“”', 'OR'])('rejects an empty query %j', (q) => {
    expect(() => parseQuery(q, 16)).toThrow(expect.objectContaining({ code: 'E_QUERY_EMPTY' }));
  });

  it('rejects too many terms', () => {
    expect(() => parseQuery(Array.from({ length: 17 }, (_, i) => `词${i}`).join(' '), 16)).toThrow(
      expect.objectContaining({ code: 'E_TOO_MANY_TERMS' }),
    );
  });

  it('survives hostile input', () => {
    for (const q of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '((((', '\u0000\u0001', '"unterminated', '-"-"-', '标题:', '𠀀𠀁']) {
      try {
        const p = parseQuery(q, 16);
        expect(typeof formatQuery(p)).toBe('string');
      } catch (e) {
        expect(e).toMatchObject({ code: 'E_QUERY_EMPTY' });
      }
    }
  });

  it('formats back to an equivalent query', () => {
    for (const q of ['天台 标准目录', '"规则和标准" -疫情', '权责清单 OR 权力清单', '地区:天台县 公开']) {
      expect(show(formatQuery(parseQuery(q, 16)))).toEqual(show(q));
    }
  });
});
