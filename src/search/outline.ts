/**
 * A document's outline: the tree of headings and labelled clauses, for the document page.
 */
import type { Paragraph } from '../domain/types.js';
import type { OutlineNode } from './api.js';

const OUTLINE_KINDS = new Set(['title', 'heading', 'clause']);

/** Builds the section tree from paragraphs in order, nesting by section path depth. */
export function buildOutline(paragraphs: Paragraph[]): OutlineNode[] {
  const roots: OutlineNode[] = [];
  const stack: OutlineNode[] = [];
  for (const p of paragraphs) {
    if (!OUTLINE_KINDS.has(p.kind)) continue;
    if (p.kind === 'clause' && !p.label) continue;
    const level = p.kind === 'title' ? 0 : p.section.length + 1;
    const text = p.kind === 'clause' ? clauseHeadline(p.text, p.label) : p.text;
    const node: OutlineNode = { id: p.id, label: p.kind === 'title' ? null : p.label, text, level, children: [] };
    while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
    if (stack.length) stack[stack.length - 1]!.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  return roots;
}

/** The lead sentence of a clause ("（一）加强权力配置信息公开。…" → "加强权力配置信息公开"). */
export function clauseHeadline(text: string, label: string | null): string {
  let body = label && text.startsWith(label) ? text.slice(label.length) : text;
  body = body.trim();
  const stop = body.search(/[。；;！？]/u);
  const head = stop > 0 ? body.slice(0, stop) : body;
  return head.length > 40 ? `${head.slice(0, 40)}…` : head;
}
