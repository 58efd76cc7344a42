/**
 * createApp(): the whole web application — request ids, security headers, request limits, static
 * assets, probes, rate limit, JSON API, HTML pages, 404 and the one error handler — built around a
 * SearchServiceApi and testable without a port (server.ts listens, see http-server.ts).
 */
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import express from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { AsyncSearchServiceApi } from '../search/api.js';
import type { IndexStatusSource } from '../search/reloader.js';
import { assignRequestId, consoleLogger, errorHandler, notFound, requestLimits, type AppLogger } from './errors.js';
import { parseQueryString } from './params.js';
import { gapSymbol, repairTitle, formatDate, sectionPath, truncate } from './render.js';
import { isHeadingKind } from './view-models.js';
import { apiRouter, healthRouter } from './routes/api.js';
import { pagesRouter } from './routes/pages.js';
import { draftingRouter } from './routes/drafting.js';
import { statusRouter } from './routes/status.js';
import { commitmentsRouter } from './routes/commitments.js';

export interface AppOptions {
  service: AsyncSearchServiceApi;
  config: Config;
  logger?: AppLogger;
  /** What is being served and the last reload (server.ts passes its reloader); for /readyz and /status. */
  status?: IndexStatusSource;
}

const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));
const PUBLIC_DIR = fileURLToPath(new URL('./public', import.meta.url));

/**
 * The security headers of every response (helmet): a strict same-origin CSP and no referrer
 * outside the site. Shared with the worker-thread front (serve/front-app.ts).
 */
export function securityHeaders() {
  return helmet({
    // Links out of the site carry no URL (queries stay private); same-origin links keep it.
    referrerPolicy: { policy: 'same-origin' },
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        // The app itself speaks plain HTTP (TLS, if any, ends at a proxy); upgrading
        // subresource requests would break a direct http:// deployment.
        'upgrade-insecure-requests': null,
      },
    },
  });
}

/**
 * What every request meets before the routes, in the app and in the worker-thread front
 * (serve/front-app.ts): views and template helpers, the query parser, a request id, security
 * headers, request limits and the static assets.
 */
export function baseApp(config: Config): express.Express {
  const app = express();

  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  // Compile each template once (includes too: a document page includes the segment partial
  // once per paragraph). EJS reads no other option from Express's settings, so the engine is
  // registered with its own: includes name their file from the views root ('/partials/…'),
  // which EJS joins instead of probing the disk for it on every include.
  app.set('view cache', true);
  app.engine('ejs', (path: string, data: object, done: (err: Error | null, html?: string) => void) => {
    const settings = (data as { settings?: Record<string, unknown> }).settings;
    ejs.renderFile(path, data, { root: VIEWS_DIR, views: [VIEWS_DIR], cache: settings?.['view cache'] === true }, done);
  });
  app.set('x-powered-by', false);
  // No ETag on computed responses: a search carries its own tookMs, so a hash of the body never
  // matches a second time, and hashing every body costs a few percent of a request's CPU.
  // Static assets keep theirs (express.static sets its own).
  app.set('etag', false);
  // Flat strings/arrays only (?q[a]=1 stays a plain key), every value sanitized: see params.ts.
  app.set('query parser', parseQueryString);
  // Helpers every template may call; they return plain strings that templates escape.
  Object.assign(app.locals, { formatDate, sectionPath, truncate, repairTitle, gapSymbol, isHeadingKind });

  app.use(assignRequestId);
  app.use(securityHeaders());

  app.use(requestLimits(config.limits.maxUrlLength));

  // Static assets before the rate limit: a page load should cost one request, not three.
  app.use('/static', express.static(PUBLIC_DIR, { index: false, maxAge: '1h', fallthrough: true }));
  return app;
}

/** The per-IP rate limit (RATE_LIMIT requests a minute); over it, E_RATE_LIMITED (429). */
export function perIpRateLimit(limit: number): express.RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError('E_RATE_LIMITED')),
  });
}

export function createApp(options: AppOptions): express.Express {
  const { service, config } = options;
  const logger = options.logger ?? consoleLogger;
  const app = baseApp(config);
  app.use(healthRouter(service, options.status));

  if (config.rateLimit > 0) app.use(perIpRateLimit(config.rateLimit));

  // Before apiRouter: its catch-all answers every other /api/* path with a JSON 404.
  app.use(commitmentsRouter(service, config));
  app.use(draftingRouter(service, config));
  app.use(apiRouter(service, config));
  app.use(pagesRouter(service, config));
  app.use(statusRouter(service, options.status));
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
