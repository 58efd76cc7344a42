/**
 * `SEARCH_BACKEND=postgres DATABASE_URL=postgres://… npm run index [-- --corpus DIR]`: the index CLI
 * for the PostgreSQL backend (src/cli/build-index.ts hands over to it). Builds the corpus, writes
 * a new generation (schema created or migrated on first run), switches to it atomically, and
 * prints a summary. Exits non-zero, with the old generation still current, when anything fails.
 */
import type { Config } from '../../config.js';
import { indexToPostgres } from './index-corpus.js';

export async function runPostgresIndexCli(config: Config, corpusDir: string, databaseUrl: string | undefined): Promise<void> {
  if (!databaseUrl) throw new Error('SEARCH_BACKEND=postgres needs DATABASE_URL (postgres://user:password@host:5432/database)');
  console.log(`corpus:   ${corpusDir}\ndatabase: ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
  let last = 0;
  const { manifest, write } = await indexToPostgres({
    corpusDir,
    databaseUrl,
    maxFileBytes: config.limits.maxFileBytes,
    log: (m) => console.error(m),
    onProgress: (stage, done, total) => {
      if (done === total || Date.now() - last > 2000) {
        console.error(`${stage}: ${done}/${total}`);
        last = Date.now();
      }
    },
    onWrite: (stage, done, total) => {
      if (done === total || Date.now() - last > 2000) {
        console.error(`write ${stage}: ${done}/${total}`);
        last = Date.now();
      }
    },
  });
  console.log(
    [
      `documents:  ${write.counts.documents}`,
      `paragraphs: ${write.counts.paragraphs}`,
      `grams:      ${write.counts.grams} (${write.counts.gramPostings} postings)`,
      `words:      ${write.counts.words}`,
      `commitments: ${write.counts.commitments}`,
      `skipped:    ${manifest.skipped.length}`,
      ...manifest.skipped.map((s) => `  ${s.file}: ${s.code} ${s.reason}`),
      `warnings:   ${manifest.warnings.length}`,
      `generation: ${write.generation} (previous ${write.previous ?? 'none'}; retired ${write.retired.length ? write.retired.join(', ') : 'none'})`,
      `time:       build ${(manifest.buildMs / 1000).toFixed(1)} s, write ${(write.ms / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
}
