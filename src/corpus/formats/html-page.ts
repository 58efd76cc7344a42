/**
 * A government web page as saved from a browser: which element is the article, which elements are
 * page furniture (navigation, breadcrumbs, share bars, footers), and what the page states about
 * the document outside its text (the `<meta>` tags of the government-website template and the
 * 信息公开 table above the article). Pure.
 *
 * The article is a known CMS container when there is one (TRS_Editor, #zoom, …), else the element
 * that holds most of the page's Chinese text outside links, found by walking down from <body> while
 * one child holds at least 80% of it. Furniture is recognised by tag (nav, aside, header, footer),
 * by class or id words (breadcrumb, share, footer…) or by its wording (当前位置, 分享到, 打印本页),
 * and only when it is a small, or link-dominated, part of the page: a CMS that puts the whole
 * article inside <form id="form1"> or a div called "main-header" must not lose it.
 */
import { formatDocNumber, parseDocNumber } from '../metadata.js';
import { readDataLines } from '../../analysis/segmenter.js';
import { attr, childrenOf, descendants, elementChildren, findTag, isElement, isText, squashedText, type HtmlElement, type HtmlNode } from './html-dom.js';
import { isDataTable, isHidden } from './html-text.js';
import type { MetaHints } from './conversion.js';

const HAN = /\p{Script=Han}/gu;

function hanCount(s: string): number {
  return s.match(HAN)?.length ?? 0;
}

/** Elements that hold no readable text. */
const NO_TEXT = new Set(['head', 'script', 'style', 'noscript', 'template', 'iframe', 'svg', 'select', 'option', 'textarea', 'button']);

/** Chinese text under each element, and how much of it is link text. */
interface Measure {
  han: number;
  linkHan: number;
}

function measureAll(root: HtmlNode, excluded: (el: HtmlElement) => boolean): Map<HtmlElement, Measure> {
  const out = new Map<HtmlElement, Measure>();
  const visit = (node: HtmlNode, inLink: boolean): Measure => {
    if (isText(node)) {
      const han = hanCount(node.value);
      return { han, linkHan: inLink ? han : 0 };
    }
    if (isElement(node) && (NO_TEXT.has(node.tagName) || isHidden(node) || excluded(node))) {
      if (isElement(node)) out.set(node, { han: 0, linkHan: 0 });
      return { han: 0, linkHan: 0 };
    }
    const link = inLink || (isElement(node) && node.tagName === 'a');
    const m = { han: 0, linkHan: 0 };
    for (const child of childrenOf(node)) {
      const c = visit(child, link);
      m.han += c.han;
      m.linkHan += c.linkHan;
    }
    if (isElement(node)) out.set(node, m);
    return m;
  };
  visit(root, false);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Furniture

const FURNITURE_TAGS = new Set(['nav', 'aside', 'menu', 'form', 'header', 'footer']);
/** Words of class and id names that mark page furniture (split at - and _; compared in lower case). */
const FURNITURE_WORDS = new Set([
  'nav', 'navbar', 'navigation', 'menu', 'breadcrumb', 'breadcrumbs', 'crumb', 'crumbs', 'bread', 'position', 'location',
  'share', 'sharing', 'bdshare', 'fenxiang', 'toolbar', 'print', 'footer', 'foot', 'header', 'sidebar', 'related',
  'xgwz', 'xglj', 'pagination', 'pager', 'copyright', 'banner', 'login', 'search', 'qrcode', 'ewm', 'ad', 'ads', 'advert',
  'gotop', 'backtop', 'friendlink', 'links', 'skip',
]);
/** What furniture says: breadcrumbs, share and print bars, font-size switches, QR-code captions. */
const FURNITURE_TEXT = /^(当前位置|您的位置|你的位置|您现在的位置|你现在的位置|当前页面|首页\s*[>＞»])|分享到|打印本页|关闭窗口|【\s*打印|【\s*关闭|字体\s*[:：]\s*[【\[]?\s*大|字号\s*[:：]\s*[【\[]?\s*大|扫一扫在手机|手机扫一扫/u;

function classWords(el: HtmlElement): string[] {
  return `${attr(el, 'class') ?? ''} ${attr(el, 'id') ?? ''}`
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean);
}

/** Decides furniture from the raw measures: a small or link-dominated element marked as such. */
function furniturePredicate(raw: Map<HtmlElement, Measure>, pageHan: number): (el: HtmlElement) => boolean {
  return (el) => {
    const m = raw.get(el) ?? { han: 0, linkHan: 0 };
    const small = m.han < pageHan * 0.3 || m.linkHan > m.han * 0.5;
    if (!small) return false;
    if (FURNITURE_TAGS.has(el.tagName)) {
      // A <header> holding the article's <h1> is the article's own header.
      return !(el.tagName === 'header' && findTag(el, 'h1'));
    }
    if (classWords(el).some((w) => FURNITURE_WORDS.has(w))) return true;
    if (m.han > 0 && m.han < 80) {
      const text = squashedText(el);
      if (text.length < 120 && FURNITURE_TEXT.test(text)) return true;
    }
    return false;
  };
}

// ---------------------------------------------------------------------------------------------
// Page metadata: <meta> tags and the 信息公开 table

/** Labels of the 信息公开 table and the article info line, and the field each one fills (null: read, not kept). */
const FIELD_OF_LABEL: ReadonlyMap<string, keyof MetaHints | null> = new Map<string, keyof MetaHints | null>([
  ['标题', 'title'], ['名称', 'title'], ['文件名称', 'title'], ['信息名称', 'title'], ['文章标题', 'title'],
  ['发文机关', 'issuer'], ['发布机构', 'issuer'], ['发文单位', 'issuer'], ['发布单位', 'issuer'], ['发文机构', 'issuer'],
  ['信息来源', 'issuer'], ['来源', 'issuer'], ['文章来源', 'issuer'],
  ['文号', 'docNumber'], ['发文字号', 'docNumber'], ['文件编号', 'docNumber'], ['发文文号', 'docNumber'],
  ['成文日期', 'issuedDate'], ['成文时间', 'issuedDate'], ['发文日期', 'issuedDate'], ['发文时间', 'issuedDate'],
  ['发布日期', 'publishedDate'], ['发布时间', 'publishedDate'], ['公开日期', 'publishedDate'], ['公开时间', 'publishedDate'],
  ['生成日期', 'publishedDate'], ['更新时间', null], ['更新日期', null],
  ['索引号', null], ['索取号', null], ['主题分类', null], ['主题词', null], ['体裁分类', null], ['组配分类', null],
  ['服务对象', null], ['公开方式', null], ['公开范围', null], ['公开类别', null], ['载体类型', null], ['记录形式', null],
  ['有效性', null], ['生效日期', null], ['废止日期', null], ['失效日期', null], ['关键词', null], ['关键字', null],
  ['内容描述', null], ['内容概述', null], ['摘要', null], ['作者', null], ['浏览次数', null], ['点击数', null],
  ['阅读次数', null], ['访问量', null], ['字号', null], ['责任编辑', null], ['编辑', null],
]);
const LABELS = [...FIELD_OF_LABEL.keys()].sort((a, b) => b.length - a.length);
/** A label written with spaces between its characters ("索 引 号") and followed by a colon. */
const LABEL_SOURCE = LABELS.map((l) => [...l].join('[\\s\\u3000]*')).join('|');
const LABEL_WITH_COLON = new RegExp(`(?:^|[\\s\\u3000]|】|\\])(${LABEL_SOURCE})[\\s\\u3000]*[:：]`, 'gu');
const LABEL_ONLY = new RegExp(`^(${LABEL_SOURCE})[\\s\\u3000]*[:：]?$`, 'u');

/** Meta tag names (lower case) of the government-website template and the field each fills. */
const FIELD_OF_META: ReadonlyMap<string, keyof MetaHints> = new Map<string, keyof MetaHints>([
  ['articletitle', 'title'],
  ['pubdate', 'publishedDate'],
  ['publishdate', 'publishedDate'],
  ['firstpublishedtime', 'publishedDate'],
  ['contentsource', 'issuer'],
]);

let issuerSuffixes: string[] | null = null;

/** An organ name: Chinese characters ending with an issuer suffix (data/issuer-suffixes.txt). */
function looksLikeOrgan(s: string): boolean {
  issuerSuffixes ??= readDataLines('data/issuer-suffixes.txt');
  return /^[\u4e00-\u9fa5（）()·]{3,40}$/u.test(s) && issuerSuffixes.some((x) => s.endsWith(x) && s.length > x.length);
}

/** `2020-08-14`, `2020/8/14 10:23`, `2020年8月14日`, `2020.08.14` → ISO, or null. */
export function isoDateOf(s: string): string | null {
  const m = s.match(/((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/u);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A stated value for a field, in the form MetaHints holds it, or null when it does not fit. */
function hintValue(field: keyof MetaHints, raw: string): string | null {
  const value = raw.replace(/[\s\u3000]+/gu, ' ').trim();
  if (!value) return null;
  switch (field) {
    case 'title':
      return hanCount(value) >= 4 ? value.replace(/\s+/gu, '') : null;
    case 'issuer': {
      const organ = value.replace(/\s+/gu, '');
      return looksLikeOrgan(organ) ? organ : null;
    }
    case 'docNumber': {
      const parts = parseDocNumber(value);
      return parts ? formatDocNumber(parts) : null;
    }
    case 'issuedDate':
    case 'publishedDate':
      return isoDateOf(value);
  }
}

/** Elements with no block inside: table cells, list items, paragraphs, spans. */
function isLeafBlock(el: HtmlElement): boolean {
  return !elementChildren(el).some((c) => ['p', 'div', 'table', 'tr', 'td', 'th', 'li', 'ul', 'ol', 'dl', 'dd', 'dt', 'section'].includes(c.tagName));
}

function nextElementSibling(el: HtmlElement): HtmlElement | null {
  const parent = el.parentNode;
  if (!parent) return null;
  const siblings = elementChildren(parent);
  return siblings[siblings.indexOf(el) + 1] ?? null;
}

/** What the page says about the document outside its text, and the elements that say it. */
export interface PageInfo {
  hints: MetaHints;
  /** Label cells, info lines and their values: left out of the article text. */
  infoElements: Set<HtmlElement>;
  /** The part of the page's <title> ("标题_栏目_网站") that reads as a document's title, or null. */
  pageTitle: string | null;
}

/** Reads the <meta> tags and every "label：value" of the page (first value of each field wins). */
export function readPageInfo(document: HtmlNode): PageInfo {
  const hints: MetaHints = {};
  const infoElements = new Set<HtmlElement>();
  const set = (field: keyof MetaHints | null, raw: string): void => {
    if (!field || hints[field] !== undefined) return;
    const value = hintValue(field, raw);
    if (value !== null) hints[field] = value;
  };
  for (const el of descendants(document)) {
    if (el.tagName === 'meta') {
      const name = (attr(el, 'name') ?? '').toLowerCase();
      const field = FIELD_OF_META.get(name);
      if (field) set(field, attr(el, 'content') ?? '');
      continue;
    }
    if (NO_TEXT.has(el.tagName) || !isLeafBlock(el) || el.tagName === 'a') continue;
    const text = squashedText(el);
    if (!text || text.length > 160) continue;
    const only = LABEL_ONLY.exec(text);
    if (only) {
      // A label cell; its value is the next cell (or the <dd> after a <dt>, the next <span>).
      const valueEl = nextElementSibling(el);
      const label = only[1]!.replace(/[\s\u3000]+/gu, '');
      infoElements.add(el);
      if (valueEl && !LABEL_ONLY.test(squashedText(valueEl))) {
        set(FIELD_OF_LABEL.get(label) ?? null, squashedText(valueEl));
        infoElements.add(valueEl);
      }
      continue;
    }
    // "label：value" pairs, possibly several in one line ("发布时间：2020-08-24 来源：区政府办").
    const starts = [...text.matchAll(LABEL_WITH_COLON)];
    if (starts.length === 0 || text.slice(0, starts[0]!.index).trim() !== '') continue;
    starts.forEach((m, i) => {
      const valueStart = m.index + m[0].length;
      const valueEnd = i + 1 < starts.length ? starts[i + 1]!.index : text.length;
      set(FIELD_OF_LABEL.get(m[1]!.replace(/[\s\u3000]+/gu, '')) ?? null, text.slice(valueStart, valueEnd));
    });
    infoElements.add(el);
  }
  const titleEl = findTag(document, 'title');
  const parts = titleEl ? squashedText(titleEl).split(/\s*[_|｜]\s*|\s+[-—–]\s+/u) : [];
  const pageTitle = parts.find(looksLikeDocTitle) ?? null;
  return { hints, infoElements, pageTitle };
}

// ---------------------------------------------------------------------------------------------
// The article

/** Class and id names of the article body in common government CMS templates (TRS, 大汉, 拓尔思…). */
const KNOWN_CONTAINERS = new Set(
  [
    'TRS_Editor', 'TRS_UEDITOR', 'zoom', 'UCAP-CONTENT', 'pages_content', 'article-content', 'article_content', 'articleContent',
    'art_con', 'artCon', 'con_txt', 'conTxt', 'content_text', 'contentText', 'txt_content', 'xxgk_content', 'news_content',
    'detail-content', 'detail_content', 'main-txt', 'zwgk_content', 'wzcon', 'Custom_UnionStyle', 'view', 'zw', 'article-body',
  ].map((s) => s.toLowerCase()),
);

function isKnownContainer(el: HtmlElement): boolean {
  const names = `${attr(el, 'class') ?? ''} ${attr(el, 'id') ?? ''}`.toLowerCase().split(/\s+/);
  return names.some((n) => KNOWN_CONTAINERS.has(n));
}

export interface Article {
  /** The element holding the article's text. */
  container: HtmlElement;
  /** Elements inside it to leave out: furniture and the page's metadata. */
  skip: (el: HtmlElement) => boolean;
}

/** Finds the article of a page. */
export function findArticle(document: HtmlNode, info: PageInfo): Article {
  const body = findTag(document, 'body') ?? (elementChildren(document)[0] as HtmlElement);
  const raw = measureAll(body, () => false);
  const pageHan = raw.get(body)?.han ?? 0;
  const furniture = furniturePredicate(raw, pageHan);
  const skip = (el: HtmlElement): boolean => info.infoElements.has(el) || furniture(el);
  const clean = measureAll(body, skip);
  const score = (el: HtmlElement): number => {
    const m = clean.get(el);
    return m ? m.han - m.linkHan : 0;
  };

  const total = score(body);
  let best: HtmlElement | null = null;
  for (const el of descendants(body)) {
    if (!isKnownContainer(el) || skip(el)) continue;
    if (score(el) >= total * 0.3 && (!best || score(el) > score(best))) best = el;
  }
  if (best) return { container: best, skip };

  let node = body;
  for (;;) {
    if (node.tagName === 'table' && isDataTable(node)) break;
    let top: HtmlElement | null = null;
    for (const child of elementChildren(node)) if (!skip(child) && (!top || score(child) > score(top))) top = child;
    if (!top || score(top) < score(node) * 0.8 || score(top) === 0) break;
    node = top;
  }
  return { container: node, skip };
}

let docTypes: string[] | null = null;

/** A document's title: some Chinese text ending with a 文种 (data/doc-types.txt), not a site or column name. */
export function looksLikeDocTitle(s: string): boolean {
  docTypes ??= readDataLines('data/doc-types.txt');
  const bare = s.replace(/[\s\u3000]+/gu, '').replace(/[（(][^）)]{1,12}[）)]$/u, '');
  return hanCount(bare) >= 6 && docTypes.some((t) => bare.endsWith(t));
}

/**
 * The page's visible title above the article: the last h1–h3, or element named "…title…", before
 * it that reads as a document's title.
 */
export function headingBefore(document: HtmlNode, container: HtmlElement): string | null {
  let found: string | null = null;
  for (const el of descendants(document)) {
    if (el === container) break;
    if (/^h[1-3]$/.test(el.tagName) || classWords(el).some((w) => w === 'title' || w.endsWith('title'))) {
      const text = squashedText(el);
      if (text.length <= 120 && looksLikeDocTitle(text)) found = text;
    }
  }
  return found;
}
