/**
 * A worker thread's first module: before the app (serve/worker.ts) is imported, `nodejieba` is
 * made to call the shared segmenter thread (serve/shared-jieba.ts) when the pool runs one.
 */
import { workerData } from 'node:worker_threads';
import type { WorkerInit } from './protocol.js';
import { useSharedJieba } from './shared-jieba.js';

const init = workerData as WorkerInit;
if (init.jieba) useSharedJieba(init.jieba);
await import('./worker.js');
