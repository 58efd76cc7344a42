/**
 * Baseline: SQLite FTS5 with the `trigram` tokenizer (better-sqlite3), the usual answer to
 * "substring search in Chinese without a segmenter". One table, rowid = paragraph number, the
 * normalized text as the only column. A term is matched as a quoted FTS5 phrase, which the trigram
 * tokenizer answers exactly for three characters or more; for one or two characters FTS5 matches
 * nothing. The `+LIKE` variant answers those short terms with `text LIKE '%…%'` (a scan).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pathSize } from './disk.js';
import type { BenchDirs, Engine, EngineSpec } from './engine-core.js';

const dbFile = (dirs: BenchDirs) => join(dirs.baselineDir, 'fts5-trigram.sqlite');

/** A term as an FTS5 string: double quotes inside are doubled. */
export function fts5Phrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** A term as a LIKE pattern with `\` as the escape character. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The trigram tokenizer indexes characters (code points), not UTF-16 units. */
const charLength = (s: string) => Array.from(s).length;

/** The SQL and parameters for an AND of terms, with or without the LIKE fallback for short terms. */
export function fts5Query(terms: readonly string[], likeFallback: boolean): { sql: string; params: string[] } {
  const long = likeFallback ? terms.filter((t) => charLength(t) >= 3) : [...terms];
  const short = likeFallback ? terms.filter((t) => charLength(t) < 3) : [];
  const where: string[] = [];
  const params: string[] = [];
  if (long.length) {
    where.push('paragraphs MATCH ?');
    params.push(long.map(fts5Phrase).join(' AND '));
  }
  for (const t of short) {
    where.push("text LIKE ? ESCAPE '\\'");
    params.push(likePattern(t));
  }
  return { sql: `SELECT rowid FROM paragraphs WHERE ${where.join(' AND ')}`, params };
}

async function buildFts5(texts: readonly string[], dirs: BenchDirs): Promise<void> {
  await mkdir(dirs.baselineDir, { recursive: true });
  const file = dbFile(dirs);
  await rm(file, { force: true });
  const db = new Database(file);
  try {
    // A bulk load: no journal, no fsync per transaction (the file is rebuilt from scratch anyway).
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec("CREATE VIRTUAL TABLE paragraphs USING fts5(text, tokenize = 'trigram')");
    const insert = db.prepare('INSERT INTO paragraphs(rowid, text) VALUES (?, ?)');
    db.transaction(() => texts.forEach((t, n) => insert.run(n, t)))();
    // Merge the index segments into one b-tree, as the FTS5 documentation advises after a bulk load.
    db.exec("INSERT INTO paragraphs(paragraphs) VALUES ('optimize')");
  } finally {
    db.close();
  }
}

function openFts5(dirs: BenchDirs, likeFallback: boolean): Engine {
  const db = new Database(dbFile(dirs), { readonly: true, fileMustExist: true });
  const statements = new Map<string, Database.Statement>();
  return {
    id: likeFallback ? 'fts5-like' : 'fts5',
    coverage: dirs.paragraphs,
    query(terms) {
      const { sql, params } = fts5Query(terms, likeFallback);
      let stmt = statements.get(sql);
      if (!stmt) statements.set(sql, (stmt = db.prepare(sql).pluck()));
      return stmt.all(...params) as number[];
    },
    close: () => db.close(),
  };
}

export function fts5Spec(likeFallback: boolean): EngineSpec {
  return {
    id: likeFallback ? 'fts5-like' : 'fts5',
    label: likeFallback ? 'SQLite FTS5 trigram + LIKE' : 'SQLite FTS5 trigram',
    how: likeFallback
      ? 'terms of ≥3 chars as quoted FTS5 phrases (AND), shorter terms as text LIKE \'%…%\''
      : 'every term as a quoted FTS5 phrase, AND-ed; nothing for terms under 3 chars',
    // Both variants query the same database; the plain variant builds it.
    build: likeFallback ? undefined : buildFts5,
    load: async (dirs) => openFts5(dirs, likeFallback),
    sizeBytes: (dirs) => pathSize(dbFile(dirs)),
  };
}
