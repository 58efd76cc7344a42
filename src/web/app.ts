/**
 * createApp(): the whole web application — security headers, static assets, rate limit, JSON
 * API, HTML pages, 404 and the one error handler — built around a SearchServiceApi and testable
 * without a port (server.ts listens).
 */
import { fileURLToPath } from 'node:url';
import express from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { SearchServiceApi } from '../search/api.js';
import { consoleLogger, errorHandler, notFound, type AppLogger } from './errors.js';
import { gapSymbol, repairTitle, formatDate, sectionPath, truncate } from './render.js';
import { isHeadingKind } from './view-models.js';
import { apiRouter, healthRouter } from './routes/api.js';
import { pagesRouter } from './routes/pages.js';

export interface AppOptions {
  service: SearchServiceApi;
  config: Config;
  logger?: AppLogger;
}

const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));
const PUBLIC_DIR = fileURLToPath(new URL('./public', import.meta.url));

export function createApp(options: AppOptions): express.Express {
  const { service, config } = options;
  const logger = options.logger ?? consoleLogger;
  const app = express();

  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  // Compile each template once (includes too: a document page includes the segment partial
  // once per paragraph) and drop indentation whitespace from the HTML.
  app.set('view cache', true);
  app.set('view options', { rmWhitespace: true });
  app.set('x-powered-by', false);
  app.set('query parser', 'simple'); // flat strings/arrays only: ?q[a]=1 stays a plain key
  // Helpers every template may call; they return plain strings that templates escape.
  Object.assign(app.locals, { formatDate, sectionPath, truncate, repairTitle, gapSymbol, isHeadingKind });

  app.use(
    helmet({
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
          // The app itself speaks plain HTTP (TLS, if any, ends at a proxy); upgrading
          // subresource requests would break a direct http:// deployment.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );

  // Static assets before the rate limit: a page load should cost one request, not three.
  app.use('/static', express.static(PUBLIC_DIR, { index: false, maxAge: '1h', fallthrough: true }));
  app.use(healthRouter(service));

  if (config.rateLimit > 0) {
    app.use(
      rateLimit({
        windowMs: 60_000,
        limit: config.rateLimit,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        handler: (_req, _res, next) => next(new AppError('E_RATE_LIMITED')),
      }),
    );
  }

  app.use(apiRouter(service, config));
  app.use(pagesRouter(service, config));
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
