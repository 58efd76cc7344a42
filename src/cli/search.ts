/**
 * `npm run search -- "query" [--limit N] [--corpus DIR] [--index DIR]`: prints hits with citations,
 * for quick checks from a terminal. Builds the index first when it is missing or stale.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { isAppError } from '../domain/errors.js';
import { openSearchService } from '../search/service.js';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { corpus: { type: 'string' }, index: { type: 'string' }, limit: { type: 'string', default: '10' } },
  });
  const q = positionals.join(' ');
  if (!q.trim()) {
    console.error('usage: npm run search -- "检索词" [--limit N]');
    process.exit(2);
  }
  const config = loadConfig();
  const service = await openSearchService({
    corpusDir: values.corpus ? resolve(values.corpus) : config.corpusDir,
    indexDir: values.index ? resolve(values.index) : config.indexDir,
    limits: config.limits,
    log: (m) => console.error(m),
  });
  const limit = Number(values.limit);
  const res = service.search({ q, limit: Number.isInteger(limit) && limit > 0 ? limit : 10, offset: 0, sort: 'relevance' });
  console.log(`${res.total} 条结果（${res.tookMs} ms）`);
  for (const [i, h] of res.hits.entries()) {
    // Terminal highlighting: bracket the highlighted spans.
    let text = '';
    let at = 0;
    for (const [s, e] of h.highlights) {
      text += `${h.text.slice(at, s)}【${h.text.slice(s, e)}】`;
      at = e;
    }
    text += h.text.slice(at);
    console.log(`\n${i + 1}. ${h.citation}  (score ${h.score})\n   ${text.replace(/\t/g, ' | ')}`);
  }
  if (res.total === 0 && res.suggestions.length) console.log(`\n可以试试：${res.suggestions.join('；')}`);
}

main().catch((e: unknown) => {
  console.error(isAppError(e) ? `${e.code}: ${e.message}` : `error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
