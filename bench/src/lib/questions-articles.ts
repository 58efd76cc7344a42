/**
 * Article keys for the question benchmark: the judged answers of a question are articles
 * (`中华人民共和国民法典第五十四条`), the index holds paragraphs. Both sides map to one key,
 * the normalized law title (without 中华人民共和国) followed by the article label, so
 * `民法典第五十四条` is the same key whether it comes from a judgement or from any paragraph of
 * that article (its first line, a later 款, an item （三）). Documents sharing a title (the
 * files of 民法典, or two versions of one law) share keys, which is intended: a judgement names
 * the law, not the file.
 */
import { basename } from 'node:path';
import { normalizeForMatch } from '../../../src/analysis/normalize.js';
import type { BuiltIndex } from '../../../src/indexing/build.js';

/** An article label: 第五十四条, 第一千零二十条, 第一百二十条之一. */
export const ARTICLE_LABEL = /^第[零〇一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?$/u;

/** A judged article name: the law's title, then its article label at the end. */
const MATCH_NAME = /^(.+?)(第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)$/u;

const PRC = normalizeForMatch('中华人民共和国');

/**
 * A law title as it appears in keys: normalized, without 中华人民共和国 wherever it occurs —
 * judgements write `劳动合同法` and `最高人民法院关于适用《民法典》…的解释` where the documents'
 * titles are `中华人民共和国劳动合同法` and `…适用《中华人民共和国民法典》…的解释`.
 */
export function titleKey(title: string): string {
  const norm = normalizeForMatch(title);
  return norm.split(PRC).join('') || norm;
}

/** The key of an article of the law titled `title`. */
export const articleKey = (title: string, label: string) => titleKey(title) + label;

/** A judged name (`个体工商户条例第二条`) as title and label, or null when it names no article. */
export function splitMatchName(name: string): { title: string; label: string } | null {
  const m = MATCH_NAME.exec(name.trim());
  return m ? { title: m[1]!, label: m[2]! } : null;
}

/** A judged name as a key, or null when it names no article. */
export function judgedKey(name: string): string | null {
  const parts = splitMatchName(name);
  return parts ? articleKey(parts.title, parts.label) : null;
}

/** The article a paragraph belongs to: its own label if it is one, else the innermost enclosing one. */
export function articleLabelOf(label: string | null, sectionLabels: readonly string[]): string | null {
  if (label !== null && ARTICLE_LABEL.test(label)) return label;
  for (let i = sectionLabels.length - 1; i >= 0; i--) if (ARTICLE_LABEL.test(sectionLabels[i]!)) return sectionLabels[i]!;
  return null;
}

/** A document's title, or its file name without the `(YYYY-MM-DD)` suffix when it has none. */
function docTitle(title: string | null, file: string): string {
  return title ?? basename(file).replace(/\.[^.]+$/u, '').replace(/\(\d{4}-\d{2}-\d{2}\)$/u, '');
}

export interface ArticleMap {
  /** Key id → key. */
  keys: string[];
  /** Key → key id. */
  ids: Map<string, number>;
  /** Paragraph number → key id; -1 for a paragraph outside any article. */
  keyOf: Int32Array;
  /**
   * The articles of each document ("units"): unit → key id, and its paragraph numbers in
   * document order. Two documents with one title have one key but two units.
   */
  unitKey: Uint32Array;
  unitParagraphs: Uint32Array[];
  /** Paragraphs inside an article. */
  paragraphsInArticles: number;
  /** Title keys of the documents (see titleKey). */
  titles: Set<string>;
}

/** Reads every paragraph of the index (each parsed on first read) and maps it to its article key. */
export function buildArticleMap(built: BuiltIndex): ArticleMap {
  const total = built.refs.length;
  const keys: string[] = [];
  const ids = new Map<string, number>();
  const keyOf = new Int32Array(total).fill(-1);
  const unitKeys: number[] = [];
  const unitParagraphs: number[][] = [];
  let inArticles = 0;
  const titles = new Set<string>();
  for (let d = 0; d < built.docs.length; d++) {
    const doc = built.docs[d]!;
    const title = titleKey(docTitle(doc.meta.title, doc.file));
    titles.add(title);
    const units = new Map<number, number>();
    for (let n = built.docStart[d]!; n < built.docStart[d + 1]!; n++) {
      const p = built.paragraph(n);
      const label = articleLabelOf(p.label, p.sectionLabels);
      if (label === null) continue;
      const key = title + label;
      let id = ids.get(key);
      if (id === undefined) {
        id = keys.length;
        keys.push(key);
        ids.set(key, id);
      }
      keyOf[n] = id;
      inArticles++;
      let unit = units.get(id);
      if (unit === undefined) {
        unit = unitKeys.length;
        unitKeys.push(id);
        unitParagraphs.push([]);
        units.set(id, unit);
      }
      unitParagraphs[unit]!.push(n);
    }
  }
  return {
    keys,
    ids,
    keyOf,
    unitKey: Uint32Array.from(unitKeys),
    unitParagraphs: unitParagraphs.map((list) => Uint32Array.from(list)),
    paragraphsInArticles: inArticles,
    titles,
  };
}
