/**
 * The segmenter thread: holds the one jieba dictionary of a server with worker threads
 * (analysis/segmenter.ts, the same options as everywhere) and answers the workers' segmentation
 * calls (serve/shared-jieba.ts); the main thread sends it one channel per worker.
 *
 * The dictionary (~1 s of CPU) is loaded when the main thread says `load` — at start-up, once the
 * first worker has its modules loaded, so the two do not compete for a core while the worker's
 * start is on the way to readiness — or by the first call, whichever comes first.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { loadSegmenter } from '../analysis/segmenter.js';
import { serveJieba, type JiebaCall, type JiebaChannel } from './shared-jieba.js';

const port = parentPort;
if (!port) throw new Error('serve/segmenter-thread.ts runs in a worker thread (see serve/pool.ts)');

type Jieba = Record<JiebaCall[0], (text: string, hmm?: boolean) => string[]>;
const require = createRequire(import.meta.url);
/** The instance segmenter.ts loaded the dictionary into (the same module, from the same path). */
const jieba = (): Jieba => {
  loadSegmenter();
  return require('nodejieba') as Jieba;
};
const methods: Jieba = {
  cut: (text, hmm) => jieba().cut(text, hmm),
  cutForSearch: (text, hmm) => jieba().cutForSearch(text, hmm),
};

port.on('message', (msg: { type: 'connect'; channel: JiebaChannel } | { type: 'load' }) => {
  if (msg.type === 'connect') serveJieba(msg.channel, methods);
  else loadSegmenter();
});
