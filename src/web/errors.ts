/**
 * Request ids and the one error-handling middleware.
 *
 * Every request gets an id (sent back in `X-Request-Id`). Every error becomes
 * `{ error: { code, message, requestId } }` with the catalog status for JSON paths, or the
 * Chinese error page showing the same code and id for HTML paths. The error is logged with the
 * id (server errors with their stack, client errors as one line), so a user quoting the id on
 * the page leads to the log line; no stack trace or internal message ever reaches a response.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { AppError, ERRORS, isAppError, type ErrorCode } from '../domain/errors.js';

export interface AppLogger {
  info(message: string): void;
  error(message: string, err?: unknown): void;
}

export const consoleLogger: AppLogger = {
  info: (message) => console.log(message),
  error: (message, err) => console.error(message, err),
};

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A short random id: 12 hex digits, unique enough to find one request in a day of logs. */
export function newRequestId(): string {
  // randomUUID draws from a cached entropy pool: cheaper per request than randomBytes.
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

/**
 * Gives each request an id in `res.locals.requestId` and the `X-Request-Id` response header.
 * Always generated here, never taken from the client, so log lines cannot be forged or mixed up.
 */
export const assignRequestId: RequestHandler = (_req, res, next) => {
  const id = newRequestId();
  res.locals.requestId = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  next();
};

export function requestIdOf(res: Response): string {
  return typeof res.locals.requestId === 'string' ? res.locals.requestId : '';
}

/** JSON for API paths and the probes; HTML for everything else. */
export function wantsJson(req: Request): boolean {
  const p = req.path;
  return p === '/api' || p.startsWith('/api/') || p === '/healthz' || p === '/readyz';
}

/** Terminal middleware for paths no route handled. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('E_NOT_FOUND'));
};

/** Statuses raised by Express, Node or middleware (http-errors style `status`) → catalog codes. */
const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'E_BAD_PARAM',
  404: 'E_NOT_FOUND',
  405: 'E_METHOD_NOT_ALLOWED',
  413: 'E_PAYLOAD_TOO_LARGE',
  414: 'E_URI_TOO_LONG',
  431: 'E_HEADERS_TOO_LARGE',
};

/** Maps errors thrown by Express itself (bad URL encoding, oversized requests…) to catalog errors. */
function toAppError(err: unknown): AppError | null {
  if (isAppError(err)) return err;
  const status = typeof err === 'object' && err !== null && 'status' in err ? (err as { status: unknown }).status : undefined;
  const code = typeof status === 'number' ? STATUS_CODES[status] : undefined;
  return code ? new AppError(code) : null;
}

/** The request path for display on the 404 page (decoded when possible; the template escapes it). */
function safePath(req: Request): string {
  try {
    return decodeURIComponent(req.path);
  } catch {
    return req.path;
  }
}

/** A URL fit for one log line: control characters escaped, at most 300 characters. */
function loggableUrl(url: string): string {
  const short = url.length > 300 ? `${url.slice(0, 300)}…(${url.length} chars)` : url;
  return JSON.stringify(short).slice(1, -1);
}

export function errorHandler(logger: AppLogger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const requestId = requestIdOf(res);
    const where = `${req.method} ${loggableUrl(req.originalUrl)}`;
    if (res.headersSent) {
      logger.error(`[${requestId}] error after the response started: ${where}`, err);
      next(err);
      return;
    }
    let appError = toAppError(err);
    if (!appError) {
      logger.error(`[${requestId}] unexpected error: ${where}`, err);
      appError = new AppError('E_INTERNAL');
    } else if (appError.status >= 500) {
      logger.error(`[${requestId}] ${appError.status} ${appError.code}: ${where}: ${appError.message}`);
    } else {
      logger.info(`[${requestId}] ${appError.status} ${appError.code}: ${where}`);
    }
    res.status(appError.status);
    if (appError.status === 413 || appError.status === 431) res.setHeader('Connection', 'close');
    if (appError.code === 'E_METHOD_NOT_ALLOWED') res.setHeader('Allow', 'GET, HEAD');
    const body = { error: { code: appError.code, message: appError.message, requestId } };
    if (wantsJson(req)) {
      res.json(body);
      return;
    }
    const retryAfter = Number(res.getHeader('Retry-After'));
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const locals = {
      status: appError.status,
      code: appError.code,
      message: appError.message,
      title: ERRORS[appError.code].message,
      q,
      path: safePath(req),
      requestId,
      retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    };
    res.render('error', locals, (renderErr: Error | null, html?: string) => {
      if (renderErr || html === undefined) {
        logger.error(`[${requestId}] error page failed to render`, renderErr);
        res.type('text/plain; charset=utf-8').send(`${appError.status} ${appError.message} (${requestId})`);
        return;
      }
      res.type('html').send(html);
    });
  };
}

/**
 * Request limits for an app that accepts no request bodies: URLs longer than `maxUrlLength`
 * bytes → 414, methods other than GET and HEAD → 405, any request body → 413. (Headers larger
 * than Node's limit never reach Express; the HTTP server answers those, see http-server.ts.)
 */
export function requestLimits(maxUrlLength: number): RequestHandler {
  return (req, _res, next) => {
    if (Buffer.byteLength(req.originalUrl) > maxUrlLength) {
      next(new AppError('E_URI_TOO_LONG', `最长 ${maxUrlLength} 字节。`));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next(new AppError('E_METHOD_NOT_ALLOWED'));
      return;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (req.headers['transfer-encoding'] !== undefined || !(length === 0)) {
      next(new AppError('E_PAYLOAD_TOO_LARGE'));
      return;
    }
    next();
  };
}
