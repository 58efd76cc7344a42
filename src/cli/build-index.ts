/**
 * `npm run index -- [--corpus DIR] [--index DIR]`: builds the index and prints a summary.
 * A progress bar on a terminal, plain lines otherwise.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { backendKindFromEnv } from '../backends/backend.js';
import { loadConfig, resolveIndexDir } from '../config.js';
import { buildAndSave } from '../indexing/pipeline.js';
import { indexSize } from '../indexing/store.js';
import { corpusChecksum } from '../search/reloader.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { corpus: { type: 'string' }, index: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(
      'usage: npm run index -- [--corpus DIR] [--index DIR]\n' +
        '  defaults: $CORPUS_DIR or seeds/, $INDEX_DIR or index/; another --corpus without --index is\n' +
        '  indexed into its own folder, index/corpora/<name>-<hash>, never over the default index.',
    );
    return;
  }
  const config = loadConfig();
  const { corpusDir, indexDir } = resolveIndexDir(config, values.corpus, values.index);
  if (backendKindFromEnv() === 'postgres') {
    // SEARCH_BACKEND=postgres: the corpus goes into the database named by DATABASE_URL instead.
    const { runPostgresIndexCli } = await import('../backends/postgres/cli.js');
    await runPostgresIndexCli(config, corpusDir, process.env.DATABASE_URL?.trim() || undefined);
    return;
  }
  console.log(`corpus: ${corpusDir}\nindex:  ${indexDir}`);

  const tty = process.stderr.isTTY;
  const bar = tty
    ? new cliProgress.SingleBar({ format: '{stage} [{bar}] {value}/{total}', stream: process.stderr }, cliProgress.Presets.shades_classic)
    : null;
  let current = '';
  let lastLogged = 0;
  const { manifest, built, generation } = await buildAndSave({
    corpusDir,
    indexDir,
    maxFileBytes: config.limits.maxFileBytes,
    log: (m) => (bar ? bar.stop() : undefined, console.error(m)),
    onProgress: (stage, done, total) => {
      if (bar) {
        if (stage !== current) {
          if (current) bar.stop();
          bar.start(total, done, { stage: stage === 'parse' ? '解析' : '索引' });
          current = stage;
        } else bar.update(done);
        if (done === total) bar.stop();
      } else if (stage !== current || done === total || Date.now() - lastLogged > 2000) {
        console.error(`${stage}: ${done}/${total}`);
        current = stage;
        lastLogged = Date.now();
      }
    },
  });
  bar?.stop();
  const paragraphs = built.docs.flatMap((d) => d.paragraphs);
  const count = (f: (p: (typeof paragraphs)[number]) => number) => paragraphs.reduce((a, p) => a + f(p), 0);
  const size = await indexSize(indexDir);
  console.log(
    [
      `documents:  ${manifest.counts.documents}`,
      `paragraphs: ${manifest.counts.paragraphs}`,
      `clauses:    ${count((p) => (p.kind === 'clause' || p.kind === 'table-row' ? 1 : 0))}`,
      `units:      ${count((p) => p.units.length)}`,
      `deadlines:  ${count((p) => p.deadlines.length)}`,
      `repairs:    ${count((p) => p.repairs.length)}`,
      `skipped:    ${manifest.skipped.length}${manifest.skipped.map((s) => `\n  - ${s.file} [${s.code}]: ${s.reason}`).join('')}`,
      `warnings:   ${manifest.warnings.length}${manifest.warnings.map((w) => `\n  - ${w.file}: ${w.message}`).join('')}`,
      `generation: ${generation}`,
      `checksum:   ${corpusChecksum(manifest.files)} (corpus)`,
      `time:       ${(manifest.buildMs / 1000).toFixed(2)} s`,
      `index size: ${(size / 1024 / 1024).toFixed(2)} MB`,
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
