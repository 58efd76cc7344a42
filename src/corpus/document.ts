/**
 * Turns one decoded file into a PolicyDocument: metadata from the raw text, then paragraphs
 * with structure, units, deadlines and repairs, then what the paragraphs say of the document
 * (文种, validity, references to other documents). Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import type { PolicyDocument } from '../domain/types.js';
import type { MetaHints } from './formats/conversion.js';
import { applyMetaHints } from './formats/hints.js';
import { extractReferences } from './citations.js';
import { docTypeOf } from './doctype.js';
import { extractMetadata } from './metadata.js';
import { parseParagraphs } from './parse.js';
import { extractValidity } from './validity.js';

/** Stable document id: 12 hex chars of sha1 over the corpus-relative path. */
export function documentId(file: string): string {
  return createHash('sha1').update(file.normalize('NFC')).digest('hex').slice(0, 12);
}

export interface DecodedFile {
  /** Corpus-relative path, forward slashes. */
  file: string;
  text: string;
  encoding: string;
  checksum: string;
  /** Size in bytes and modification time of the file as read (absent for in-memory inputs). */
  size?: number;
  mtimeMs?: number;
  /** Metadata the file states outside its text (a web page's meta tags); fills only what the text leaves empty. */
  hints?: MetaHints;
}

/** Builds a document from a decoded file. */
export function buildDocument(input: DecodedFile): PolicyDocument {
  const id = documentId(input.file);
  const meta = applyMetaHints(extractMetadata(input.text, input.file), input.hints, input.text);
  const paragraphs = parseParagraphs(input.text, { docId: id, meta });
  meta.docType = docTypeOf(meta.title);
  meta.validity = extractValidity(paragraphs, meta);
  meta.references = extractReferences(paragraphs, meta);
  return { id, file: input.file, encoding: input.encoding, checksum: input.checksum, meta, paragraphs };
}
