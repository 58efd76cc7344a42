/**
 * One jieba dictionary for all worker threads.
 *
 * nodejieba keeps its dictionary in per-thread addon data: every thread that segments would load
 * its own (~220 MB and ~1 s of CPU each, the largest cost of a worker). Instead one thread, the
 * segmenter thread (serve/segmenter-thread.ts), loads it; each worker's `nodejieba` is a stand-in
 * that sends the text there and waits for the words: a synchronous call, as the app expects (a
 * posted message, then Atomics.wait until the segmenter thread has posted the answer and
 * notified, then receiveMessageOnPort). A call costs two thread hand-overs, tens of microseconds;
 * queries and clauses are short, and a request segments a few of them.
 *
 * The stand-in is installed in the worker's CommonJS module cache under nodejieba's resolved path
 * before anything loads the addon, so analysis/segmenter.ts (the only module that uses nodejieba)
 * gets it from its `require('nodejieba')` unchanged: `load` does nothing (the segmenter thread
 * loaded the dictionary with the same options), `cut` and `cutForSearch` are forwarded with their
 * arguments, so every thread segments with the same dictionary and settings, byte for byte.
 */
import { createRequire, Module } from 'node:module';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** What a worker needs to reach the segmenter thread. */
export interface JiebaChannel {
  port: MessagePort;
  /** Int32 [0]: 1 once an answer is posted; [1]: 1 when the segmenter thread is gone. */
  signal: SharedArrayBuffer;
}

/** A request on a channel: the jieba method and its arguments. */
export type JiebaCall = ['cut' | 'cutForSearch', string, boolean | undefined];
export type JiebaReply = { words: string[] } | { error: string };

const ANSWERED = 0;
const GONE = 1;

/** A channel's two ends: `worker` goes to a worker (workerData), `segmenter` to the segmenter thread. */
export function jiebaChannel(): { worker: JiebaChannel; segmenter: JiebaChannel } {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(8);
  return { worker: { port: port1, signal }, segmenter: { port: port2, signal } };
}

/** Marks a channel's segmenter end as gone: a worker waiting on it gets an error instead of waiting forever. */
export function markGone(signal: SharedArrayBuffer): void {
  const flags = new Int32Array(signal);
  Atomics.store(flags, GONE, 1);
  Atomics.notify(flags, ANSWERED);
}

/** Segmenter thread: answers every call arriving on the channel with `jieba`. */
export function serveJieba(channel: JiebaChannel, jieba: Record<JiebaCall[0], (text: string, hmm?: boolean) => string[]>): void {
  const flags = new Int32Array(channel.signal);
  channel.port.on('message', ([method, text, hmm]: JiebaCall) => {
    let reply: JiebaReply;
    try {
      reply = { words: jieba[method](text, hmm) };
    } catch (e) {
      reply = { error: e instanceof Error ? e.message : String(e) };
    }
    channel.port.postMessage(reply);
    Atomics.store(flags, ANSWERED, 1);
    Atomics.notify(flags, ANSWERED);
  });
}

/** Worker thread: makes `require('nodejieba')` return the stand-in that calls the segmenter thread. */
export function useSharedJieba(channel: JiebaChannel): void {
  const flags = new Int32Array(channel.signal);
  const call = (method: JiebaCall[0], text: string, hmm: boolean | undefined): string[] => {
    Atomics.store(flags, ANSWERED, 0);
    channel.port.postMessage([method, text, hmm] satisfies JiebaCall);
    // Until the flag says answered: a wake-up can be the late notify of the previous call (its
    // flag was seen set before that notify came), and waiting in slices notices a segmenter
    // thread that died rather than waiting for it forever.
    while (Atomics.load(flags, ANSWERED) === 0) {
      if (Atomics.wait(flags, ANSWERED, 0, 500) === 'timed-out' && Atomics.load(flags, GONE)) throw new Error('the segmenter thread is gone');
    }
    const reply = receiveMessageOnPort(channel.port)?.message as JiebaReply | undefined;
    if (!reply) throw new Error('the segmenter thread answered nothing');
    if ('error' in reply) throw new Error(`jieba (segmenter thread): ${reply.error}`);
    return reply.words;
  };
  const require = createRequire(import.meta.url);
  const path = require.resolve('nodejieba');
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = {
    load: () => undefined,
    cut: (text: string, hmm?: boolean) => call('cut', text, hmm),
    cutForSearch: (text: string, hmm?: boolean) => call('cutForSearch', text, hmm),
  };
  require.cache[path] = standIn;
}
