/**
 * The real server (src/server.ts) in a child process, for the tests of test/server/: start it with
 * an environment, wait until it serves, send requests (Node's http, so any method, body or raw URL
 * can be sent), and stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  log(): string;
  exit: Promise<number | null>;
  /** SIGTERM, then the exit code (SIGKILL after 20 s). */
  stop(): Promise<number | null>;
}

/**
 * Starts the server with `env` over the test environment (port 0, rate limit off) and resolves
 * once it logged that it serves an index (the start-up line ` documents, N paragraphs`), or with
 * `waitFor: 'listening'` as soon as it listens.
 */
export async function startServer(env: Record<string, string>, opts: { waitFor?: 'serving' | 'listening'; timeoutMs?: number } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (log += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = opts.waitFor === 'listening' ? /localhost:\d+\//u : / documents, \d+ paragraphs/u;
  const until = Date.now() + (opts.timeoutMs ?? 90_000);
  while (!ready.test(log) || !/localhost:(\d+)\//u.test(log)) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const port = Number(/localhost:(\d+)\//u.exec(log)![1]);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exit;
    clearTimeout(timer);
    return code;
  };
  return { child, port, log: () => log, exit, stop };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection; the URL is sent exactly as given (no normalization). */
export function send(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

/** GET `path` as JSON (status must be 200). */
export async function getJson<T>(port: number, path: string): Promise<T> {
  const r = await send(port, path);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body) as T;
}

/** Polls until `check` holds (or throws after `timeoutMs`). */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
