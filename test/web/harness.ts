/**
 * Test harness for the web layer: a Config for tests, and an app listening on an ephemeral
 * loopback port (supertest is not a dependency; Node's fetch does the requests).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type express from 'express';
import { DEFAULT_LIMITS, type Config } from '../../src/config.js';
import type { AppLogger } from '../../src/web/errors.js';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { port: 0, corpusDir: 'seeds', indexDir: 'index', rateLimit: 0, limits: { ...DEFAULT_LIMITS }, ...overrides };
}

/** A logger that records instead of printing, so tests can assert on server-side logging. */
export function memoryLogger(): AppLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    error: (m, err) => lines.push(`error: ${m} ${err instanceof Error ? err.message : String(err ?? '')}`),
  };
}

export interface Running {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: express.Express): Promise<Running> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
