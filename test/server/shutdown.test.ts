/**
 * Graceful shutdown of the real server (src/server.ts in a child process, seeds corpus, temp
 * index): with requests in flight — 8 whose heads are still arriving (so they are certainly in
 * flight at SIGTERM) and 32 heavy pages on keep-alive connections — SIGTERM stops the listener at
 * once (new connections are refused), every request is answered in full with a 200, those
 * finished after the signal with `Connection: close`, and the process exits 0. A request that never completes (headers half sent) cannot hold the
 * process: after SHUTDOWN_TIMEOUT_MS the connection is closed and the exit code is 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const IN_FLIGHT = 32;
/** Requests whose head is still arriving when SIGTERM comes. */
const SLOW = 8;
/** A heavy page: 100 hits rendered with marks, facets and citations. */
const HEAVY = `/?q=${encodeURIComponent('政务公开')}&limit=100`;

interface Running {
  child: ChildProcess;
  port: number;
  log: () => string;
  exit: Promise<number | null>;
}

let indexDir: string;

async function startServer(env: Record<string, string> = {}, viaNpm = false): Promise<Running> {
  const [cmd, args] = viaNpm ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'src/server.ts']];
  const child = spawn(cmd as string, args as string[], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', CORPUS_DIR: join(ROOT, 'seeds'), INDEX_DIR: indexDir, RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (log += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const until = Date.now() + 90_000;
  while (!/ documents, \d+ paragraphs/.test(log)) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(/localhost:(\d+)\//.exec(log)![1]);
  return { child, port, log: () => log, exit };
}

/** One GET on `agent`; resolves with status, headers and the whole body. */
function get(port: number, path: string, agent: Agent, onHeaders?: () => void): Promise<{ status: number; connection: string; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      onHeaders?.();
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, connection: String(res.headers.connection ?? ''), body }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

/** Resolves with the error code of a fresh TCP connection attempt ('connected' if it succeeds). */
function tryConnect(port: number): Promise<string> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      done('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

beforeAll(() => {
  indexDir = mkdtempSync(join(tmpdir(), 'shutdown-index-'));
});

afterAll(() => {
  rmSync(indexDir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it(`SIGTERM with requests in flight: all answered 200 in full, new connections refused, exit 0`, async () => {
    const server = await startServer();
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const slow: Array<{ socket: Socket; response: Promise<string> }> = [];
    try {
      // Open IN_FLIGHT keep-alive connections (accepted by the server, now idle).
      const warm = await Promise.all(Array.from({ length: IN_FLIGHT }, () => get(server.port, '/healthz', agent)));
      expect(warm.every((r) => r.status === 200)).toBe(true);

      // SLOW requests whose head is only half sent: in flight when SIGTERM arrives, by construction.
      for (let i = 0; i < SLOW; i++) {
        const socket = connect(server.port, '127.0.0.1');
        await new Promise((r) => socket.once('connect', r));
        const response = new Promise<string>((done, fail) => {
          let data = '';
          socket.setEncoding('utf8').on('data', (c: string) => (data += c));
          socket.on('end', () => done(data));
          socket.on('error', fail);
        });
        socket.write(`GET ${HEAVY} HTTP/1.1\r\nHost: localhost\r\n`);
        slow.push({ socket, response });
      }
      await new Promise((r) => setTimeout(r, 100));

      // A heavy request on every keep-alive connection; SIGTERM as soon as the first answer starts.
      let signalled = false;
      const inFlight = Array.from({ length: IN_FLIGHT }, () =>
        get(server.port, HEAVY, agent, () => {
          if (!signalled) {
            signalled = true;
            server.child.kill('SIGTERM');
          }
        }),
      );

      // The listener closes at once: poll until a new connection is refused.
      const until = Date.now() + 10_000;
      while (!server.log().includes('SIGTERM: shutting down') && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      expect(server.log()).toContain('SIGTERM: shutting down');
      let refused = '';
      for (let i = 0; i < 100 && refused !== 'ECONNREFUSED'; i++) {
        refused = await tryConnect(server.port);
        if (refused !== 'ECONNREFUSED') await new Promise((r) => setTimeout(r, 10));
      }
      expect(refused).toBe('ECONNREFUSED');
      expect(server.child.exitCode).toBeNull(); // still draining

      // The half-sent requests now complete their heads, after SIGTERM and after the refusal.
      for (const { socket } of slow) socket.write('\r\n');
      const slowResponses = await Promise.all(slow.map((s) => s.response));
      const results = await Promise.all(inFlight);
      const exitCode = await server.exit;
      console.log(
        `shutdown: SIGTERM with ${SLOW} half-received and ${IN_FLIGHT} sent requests in flight; new connection refused; ` +
          `${slowResponses.filter((r) => r.startsWith('HTTP/1.1 200')).length}/${SLOW} and ${results.filter((r) => r.status === 200).length}/${IN_FLIGHT} answered 200 ` +
          `(${results.filter((r) => r.connection === 'close').length} of the latter with Connection: close); exit code ${exitCode}`,
      );
      for (const r of slowResponses) {
        expect(r.slice(0, 40)).toMatch(/^HTTP\/1\.1 200 OK/);
        expect(r).toMatch(/\r\nConnection: close\r\n/i);
        expect(r).toContain('<mark>');
        expect(r.trimEnd().endsWith('</html>')).toBe(true);
      }
      expect(results.map((r) => r.status)).toEqual(Array(IN_FLIGHT).fill(200));
      for (const r of results) {
        expect(r.body).toContain('<mark>');
        expect(r.body.trimEnd().endsWith('</html>')).toBe(true);
      }
      expect(exitCode).toBe(0);
      expect(server.log()).toContain('all requests finished');
    } finally {
      agent.destroy();
      for (const { socket } of slow) socket.destroy();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 120_000);

  it('`npm start` stops on SIGTERM: the signal reaches the server, nothing keeps running', async () => {
    const s = await startServer({}, true);
    expect(await tryConnect(s.port)).toBe('connected');
    s.child.kill('SIGTERM'); // npm's own process, as a supervisor or `kill` would signal it
    expect(await s.exit).toBe(0);
    expect(s.log()).toContain('SIGTERM: shutting down');
    // The port is closed: no orphaned server process is left behind npm.
    await new Promise((r) => setTimeout(r, 200));
    expect(await tryConnect(s.port)).toBe('ECONNREFUSED');
  }, 120_000);

  it('a request that never completes cannot hold the process: SHUTDOWN_TIMEOUT_MS, then exit 1', async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '500' });
    try {
      // Half a request: the headers never end.
      const socket = connect(server.port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      socket.write('GET /help HTTP/1.1\r\nHost: localhost\r\n');
      socket.on('error', () => {});
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      server.child.kill('SIGTERM');
      const exitCode = await server.exit;
      const ms = Date.now() - started;
      expect(exitCode).toBe(1);
      expect(ms).toBeGreaterThanOrEqual(450);
      expect(ms).toBeLessThan(5_000);
      expect(server.log()).toContain('shutdown timeout');
      socket.destroy();
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 120_000);
});
