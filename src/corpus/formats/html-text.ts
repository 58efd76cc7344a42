/**
 * An HTML element as the plain text a `.txt` of it would hold, in the layout of the seeds:
 * - each block (<p>, <div>, <h1>…, <li>) is a paragraph, separated by a blank line;
 * - a <br> is a line break inside it (a single newline: the parser decides, as for a hard-wrapped
 *   text file, whether the lines are one paragraph);
 * - runs of spaces, tabs and newlines in the source collapse to one space, as a browser shows
 *   them; &nbsp; and the ideographic space are kept (the parser's repairs remove them between
 *   Chinese characters, recording that they were there);
 * - a data table becomes the seeds' flattened table: every cell on a line of its own starting
 *   with a tab, a blank line after each row (the header row first), which the parser turns into
 *   table-header / table-row paragraphs with the cells joined by '\t';
 * - a table that only lays out the page (one column, or tables inside tables) is read as blocks.
 * Pure.
 */
import { attr, childrenOf, elementChildren, isElement, isText, rawText, type HtmlElement, type HtmlNode } from './html-dom.js';

/** Elements whose content is never text of the document. */
const NEVER_TEXT = new Set([
  'head', 'title', 'meta', 'link', 'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'object', 'embed',
  'svg', 'math', 'canvas', 'img', 'picture', 'video', 'audio', 'source', 'track', 'map', 'area',
  'select', 'option', 'button', 'input', 'textarea', 'datalist',
]);

/** Elements that start and end a paragraph. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'legend',
  'li', 'main', 'menu', 'nav', 'ol', 'p', 'section', 'summary', 'ul', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th',
]);

const ASCII_SPACES = /[ \t\n\r\f]+/g;
const HAN_OR_CJK_PUNCT = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’…—]/u;

export interface FlattenOptions {
  /** Elements left out with everything inside them (page furniture, a table already read as metadata). */
  skip?: (el: HtmlElement) => boolean;
}

/** Whether an element is hidden from readers (hidden attribute, display:none, visibility:hidden). */
export function isHidden(el: HtmlElement): boolean {
  if (attr(el, 'hidden') !== null) return true;
  const style = attr(el, 'style');
  return style !== null && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

interface Line {
  text: string;
  /** Newlines before this line: 1 (line break) or 2 (paragraph break). */
  breakBefore: number;
  /** A table cell (starts with a tab) or a line of a <pre>: not trimmed on the left. */
  raw: boolean;
}

/** Collects text into lines, collapsing whitespace the way a browser renders it. */
class TextWriter {
  private readonly lines: Line[] = [];
  private open: Line | null = null;
  private pending = 0;

  text(raw: string): void {
    const t = raw.replace(ASCII_SPACES, ' ');
    if (!this.open) {
      if (t.trim() === '') return; // whitespace between blocks shows nothing
      this.open = { text: t.replace(/^ /, ''), breakBefore: Math.max(this.pending, 1), raw: false };
      this.lines.push(this.open);
      this.pending = 0;
      return;
    }
    this.open.text += this.open.text.endsWith(' ') ? t.replace(/^ /, '') : t;
  }

  /** Text of a <pre>: its spaces and line breaks as written. */
  preformatted(raw: string): void {
    raw.split(/\r\n|\r|\n/).forEach((piece, i) => {
      if (i > 0) this.break(1);
      if (piece.trim() === '') return;
      if (!this.open) {
        this.open = { text: '', breakBefore: Math.max(this.pending, 1), raw: true };
        this.lines.push(this.open);
        this.pending = 0;
      }
      this.open.text += piece;
    });
  }

  /** A table cell on a line of its own, after a single line break. */
  cell(text: string): void {
    this.break(1);
    this.lines.push({ text: `\t${text}`, breakBefore: Math.max(this.pending, 1), raw: true });
    this.pending = 0;
    this.break(1);
  }

  break(n: 1 | 2): void {
    this.open = null;
    this.pending = Math.max(this.pending, n);
  }

  /** The text: lines trimmed, empty lines dropped (their breaks kept), no leading or trailing breaks. */
  toString(): string {
    let out = '';
    let carried = 0;
    for (const line of this.lines) {
      const text = line.raw ? line.text.replace(/[ \u00a0]+$/u, '') : line.text.replace(/^[ ]+|[ ]+$/g, '');
      if (text.trim() === '') {
        carried = Math.max(carried, line.breakBefore);
        continue;
      }
      if (out !== '') out += '\n'.repeat(Math.max(carried, line.breakBefore));
      out += text;
      carried = 0;
    }
    return out;
  }

  /** The lines joined into one (a table cell's content): no separator between Chinese, else a space. */
  toSingleLine(): string {
    let out = '';
    for (const line of this.toString().split('\n')) {
      const piece = line.trim();
      if (!piece) continue;
      const glue = out === '' || HAN_OR_CJK_PUNCT.test(out[out.length - 1]!) || HAN_OR_CJK_PUNCT.test(piece[0]!) ? '' : ' ';
      out += glue + piece;
    }
    return out.replace(/\t/g, ' ');
  }
}

/** Rows of a table (in <thead>, <tbody>, <tfoot> or directly under it), not those of tables inside it. */
function tableRows(table: HtmlElement): HtmlElement[] {
  const rows: HtmlElement[] = [];
  for (const child of elementChildren(table)) {
    if (child.tagName === 'tr') rows.push(child);
    else if (child.tagName === 'thead' || child.tagName === 'tbody' || child.tagName === 'tfoot') {
      for (const tr of elementChildren(child)) if (tr.tagName === 'tr') rows.push(tr);
    }
  }
  return rows;
}

function rowCells(row: HtmlElement): HtmlElement[] {
  return elementChildren(row).filter((c) => c.tagName === 'td' || c.tagName === 'th');
}

function containsTable(el: HtmlElement): boolean {
  for (const child of elementChildren(el)) if (child.tagName === 'table' || containsTable(child)) return true;
  return false;
}

/**
 * A table holding data, as opposed to one laying out the page: at least two columns in some row
 * and no table inside it. Old CMS templates put whole articles in single-cell tables.
 */
export function isDataTable(table: HtmlElement): boolean {
  const rows = tableRows(table);
  return rows.some((r) => rowCells(r).length >= 2) && !rows.some((r) => rowCells(r).some(containsTable));
}

function walk(node: HtmlNode, w: TextWriter, opts: FlattenOptions): void {
  if (isText(node)) {
    w.text(node.value);
    return;
  }
  if (!isElement(node)) {
    for (const child of childrenOf(node)) walk(child, w, opts);
    return;
  }
  const tag = node.tagName;
  if (NEVER_TEXT.has(tag) || isHidden(node) || opts.skip?.(node)) return;
  if (tag === 'br') {
    w.break(1);
    return;
  }
  if (tag === 'hr') {
    w.break(2);
    return;
  }
  if (tag === 'pre' || tag === 'listing' || tag === 'xmp') {
    w.break(2);
    w.preformatted(rawText(node));
    w.break(2);
    return;
  }
  if (tag === 'table' && isDataTable(node)) {
    writeTable(node, w, opts);
    return;
  }
  const block = BLOCKS.has(tag);
  if (block) w.break(2);
  for (const child of childrenOf(node)) walk(child, w, opts);
  if (block) w.break(2);
}

function writeTable(table: HtmlElement, w: TextWriter, opts: FlattenOptions): void {
  w.break(2);
  const caption = elementChildren(table).find((c) => c.tagName === 'caption');
  if (caption) {
    walk(caption, w, opts);
    w.break(2);
  }
  for (const row of tableRows(table)) {
    if (isHidden(row) || opts.skip?.(row)) continue;
    const cells = rowCells(row)
      .filter((c) => !isHidden(c))
      .map((c) => {
        const inner = new TextWriter();
        for (const child of childrenOf(c)) walk(child, inner, opts);
        return inner.toSingleLine();
      });
    if (cells.every((c) => c === '')) continue;
    for (const cell of cells) w.cell(cell);
    w.break(2);
  }
}

/** The text of an element (or a whole document) in the layout of the seeds. */
export function htmlToText(root: HtmlNode, opts: FlattenOptions = {}): string {
  const w = new TextWriter();
  walk(root, w, opts);
  return w.toString();
}
