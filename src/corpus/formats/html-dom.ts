/**
 * The few questions the HTML converters ask of a parse5 tree: tag, attribute, children, text.
 * parse5 builds the same tree a browser does from the same bytes (unclosed <p>, stray </td> and
 * all), which matters for pages typed by hand into a CMS.
 */
import type { DefaultTreeAdapterTypes as T } from 'parse5';

export type HtmlNode = T.Node;
export type HtmlElement = T.Element;

export function isElement(node: HtmlNode): node is HtmlElement {
  return 'tagName' in node;
}

export function isText(node: HtmlNode): node is T.TextNode {
  return node.nodeName === '#text';
}

/** Child nodes of any node (none for text, comments and doctypes); a <template>'s content. */
export function childrenOf(node: HtmlNode): HtmlNode[] {
  if (isElement(node) && node.tagName === 'template') return (node as T.Template).content.childNodes;
  return 'childNodes' in node ? node.childNodes : [];
}

export function elementChildren(node: HtmlNode): HtmlElement[] {
  return childrenOf(node).filter(isElement);
}

/** An attribute's value, or null when absent. Names compare in lower case, as parse5 stores them. */
export function attr(el: HtmlElement, name: string): string | null {
  const a = el.attrs.find((x) => x.name === name);
  return a ? a.value : null;
}

/** Every element under `root` (itself included), in document order. */
export function* descendants(root: HtmlNode): Generator<HtmlElement> {
  const stack: HtmlNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isElement(node)) yield node;
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

/** The first element with this tag under `root`, in document order. */
export function findTag(root: HtmlNode, tag: string): HtmlElement | null {
  for (const el of descendants(root)) if (el.tagName === tag) return el;
  return null;
}

/** All text under a node, concatenated as is (no skipping, no whitespace collapsing). */
export function rawText(node: HtmlNode): string {
  if (isText(node)) return node.value;
  let out = '';
  for (const child of childrenOf(node)) out += rawText(child);
  return out;
}

/** Text with every run of whitespace (including &nbsp; and the ideographic space) made one space, trimmed. */
export function squashedText(node: HtmlNode): string {
  return rawText(node).replace(/[\s\u3000]+/gu, ' ').trim();
}
