/**
 * The HTTP server around the app: size and time limits Node enforces before Express sees a
 * request, clean answers to malformed or oversized requests, and graceful shutdown.
 *
 * - Headers (the request line included) over `maxHeaderBytes` → 431, malformed requests → 400,
 *   requests whose headers or body arrive too slowly → 408; each as a small JSON error with a
 *   request id, then the connection is closed. The process never sees them as exceptions.
 * - `shutdown()` stops accepting connections at once (new connections are refused), lets
 *   requests already received finish — their responses carry `Connection: close` — closes idle
 *   keep-alive connections after a short grace (a request already on its way over an accepted
 *   connection is still served), and gives up after `timeoutMs`, closing whatever is left.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { RequestListener } from 'node:http';
import { ERRORS, type ErrorCode } from '../domain/errors.js';
import { newRequestId, REQUEST_ID_HEADER } from './errors.js';

export interface HttpServerOptions {
  /** Largest request head (request line and headers), bytes. Default 16 KiB (Node's default). */
  maxHeaderBytes?: number;
  /** Time allowed to receive the request head, ms. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time allowed to receive the whole request, ms. Default 30 s. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open, ms. Default 5 s. */
  keepAliveTimeoutMs?: number;
}

const closing = new WeakSet<Server>();

/** The raw response for a request Node could not parse; `Connection: close`, JSON body. */
function rawError(status: number, reason: string, code: ErrorCode): string {
  const requestId = newRequestId();
  const body = JSON.stringify({ error: { code, message: ERRORS[code].message, requestId } });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    `${REQUEST_ID_HEADER}: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // Nothing can be sent on a reset or half-written connection.
  const busy = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || busy) {
    socket.destroy();
    return;
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') socket.end(rawError(431, 'Request Header Fields Too Large', 'E_HEADERS_TOO_LARGE'));
  else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  else socket.end(rawError(400, 'Bad Request', 'E_BAD_PARAM'));
}

/** An HTTP server for `app` with the limits above. */
export function createHttpServer(app: RequestListener, opts: HttpServerOptions = {}): Server {
  const server = createServer(
    {
      maxHeaderSize: opts.maxHeaderBytes ?? 16 * 1024,
      headersTimeout: opts.headersTimeoutMs ?? 10_000,
      requestTimeout: opts.requestTimeoutMs ?? 30_000,
    },
    app,
  );
  server.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 5_000;
  server.maxHeadersCount = 100;
  server.on('clientError', onClientError);
  // Runs before the app: once shutting down, every response closes its connection.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing.has(server)) res.setHeader('Connection', 'close');
  });
  return server;
}

export interface ShutdownOptions {
  /** After this long, remaining connections are closed and the result is 'timeout'. */
  timeoutMs: number;
  /** Idle connections are closed after this long (a request already sent is still read). Default 200 ms. */
  graceMs?: number;
}

/**
 * Stops `server` gracefully (see the file comment). Resolves 'drained' when every connection
 * has ended, or 'timeout' when `timeoutMs` passed first.
 */
export function shutdown(server: Server, opts: ShutdownOptions): Promise<'drained' | 'timeout'> {
  closing.add(server);
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: 'drained' | 'timeout') => {
      if (done) return;
      done = true;
      clearInterval(idleSweep);
      clearTimeout(graceTimer);
      clearTimeout(deadline);
      resolve(outcome);
    };
    // net.Server#close: stop listening now. (http.Server#close would also drop idle keep-alive
    // connections at once, including ones whose next request is already in flight.)
    NetServer.prototype.close.call(server, () => finish('drained'));
    let idleSweep: NodeJS.Timeout | undefined;
    const graceTimer = setTimeout(() => {
      server.closeIdleConnections();
      idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    }, opts.graceMs ?? 200);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish('timeout');
    }, opts.timeoutMs);
  });
}
