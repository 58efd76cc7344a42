/**
 * The one error-handling middleware: every error becomes `{ error: { code, message } }` with
 * the catalog status for the API, or the Chinese error page for HTML routes. Unknown errors
 * are logged server-side and shown as E_INTERNAL; no stack trace ever reaches a response.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, ERRORS, isAppError } from '../domain/errors.js';

export interface AppLogger {
  info(message: string): void;
  error(message: string, err?: unknown): void;
}

export const consoleLogger: AppLogger = {
  info: (message) => console.log(message),
  error: (message, err) => console.error(message, err),
};

/** JSON for API paths and the health check; HTML for everything else. */
export function wantsJson(req: Request): boolean {
  return req.path === '/api' || req.path.startsWith('/api/') || req.path === '/healthz';
}

/** Terminal middleware for paths no route handled. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('E_NOT_FOUND'));
};

/** Maps errors thrown by Express itself (bad URL encoding, oversized headers…) to catalog errors. */
function toAppError(err: unknown): AppError | null {
  if (isAppError(err)) return err;
  const status = typeof err === 'object' && err !== null && 'status' in err ? (err as { status: unknown }).status : undefined;
  if (status === 400) return new AppError('E_BAD_PARAM');
  if (status === 404) return new AppError('E_NOT_FOUND');
  return null;
}

/** The request path for display on the 404 page (decoded when possible; the template escapes it). */
function safePath(req: Request): string {
  try {
    return decodeURIComponent(req.path);
  } catch {
    return req.path;
  }
}

export function errorHandler(logger: AppLogger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      logger.error(`error after response started: ${req.method} ${req.originalUrl}`, err);
      next(err);
      return;
    }
    let appError = toAppError(err);
    if (!appError) {
      logger.error(`unexpected error: ${req.method} ${req.originalUrl}`, err);
      appError = new AppError('E_INTERNAL');
    }
    const body = { error: { code: appError.code, message: appError.message } };
    res.status(appError.status);
    if (wantsJson(req)) {
      res.json(body);
      return;
    }
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const locals = { status: appError.status, code: appError.code, message: appError.message, title: ERRORS[appError.code].message, q, path: safePath(req) };
    res.render('error', locals, (renderErr: Error | null, html?: string) => {
      if (renderErr || html === undefined) {
        logger.error('error page failed to render', renderErr);
        res.type('text/plain; charset=utf-8').send(`${appError.status} ${appError.message}`);
        return;
      }
      res.type('html').send(html);
    });
  };
}
