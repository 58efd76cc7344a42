/**
 * The server edge: reads the configuration, opens (building if needed) the index, listens.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { openSearchService } from './search/service.js';
import { createApp } from './web/app.js';

async function main(): Promise<void> {
  // Flags override the environment: npm start -- --corpus DIR --index DIR --port N
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, index: { type: 'string' }, port: { type: 'string' } } });
  const config = loadConfig(values.port === undefined ? process.env : { ...process.env, PORT: values.port });
  if (values.corpus) config.corpusDir = resolve(values.corpus);
  if (values.index) config.indexDir = resolve(values.index);
  const service = await openSearchService({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    limits: config.limits,
    log: (msg) => console.log(msg),
  });
  const { documents, paragraphs } = service.stats();
  const app = createApp({ service, config });
  const server = app.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    console.log(`政策文件检索: ${documents} documents, ${paragraphs} paragraphs`);
    console.log(`listening on http://localhost:${port}/`);
  });
  server.on('error', (err) => {
    console.error(`cannot listen on port ${config.port}: ${err.message}`);
    process.exit(1);
  });
  const shutdown = () => server.close(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
