/**
 * The main thread's app when worker threads answer requests (serve/pool.ts): everything that must
 * be decided once for the whole server rather than per worker, then the hand-over to a worker.
 *
 * In the order web/app.ts applies the same steps, so a request gets the answer the single-thread
 * app would give:
 * 1. request id, security headers, request limits (405 / 413 / 414): answered here;
 * 2. static assets: served here (no worker round trip), outside the rate limit;
 * 3. /healthz (answers even while the workers load) and /readyz (the index served, the last
 *    reload, and how many workers serve it): answered here, outside the rate limit;
 * 4. the per-IP rate limit, here and only here, so it counts every request of an address whatever
 *    worker answers it (the workers run the app with RATE_LIMIT off);
 * 5. everything else goes to a worker; its status, headers and body are sent as they are (the
 *    rate-limit headers set in step 4 stay).
 * Errors raised here (429, 503 when no worker can answer) go through the app's own error handler
 * and error page.
 *
 * Steps 1–4 use web/app.ts's own set-up (baseApp, perIpRateLimit);
 * test/server/workers.test.ts checks that the answers given here match the single-thread app's.
 */
import type express from 'express';
import type { Config } from '../config.js';
import { ERRORS } from '../domain/errors.js';
import type { IndexStatusSource } from '../search/reloader.js';
import { baseApp, perIpRateLimit } from '../web/app.js';
import { errorHandler, type AppLogger } from '../web/errors.js';
import { publicReloadAttempt } from '../web/routes/status.js';
import type { WorkerPool } from './pool.js';

export interface FrontAppOptions {
  config: Config;
  pool: WorkerPool;
  /** The reloader: what is being served and the last reload. */
  status: IndexStatusSource;
  logger: AppLogger;
}

export function createFrontApp(options: FrontAppOptions): express.Express {
  const { config, pool, status, logger } = options;
  // The same set-up as the app's (views for error pages, request ids, headers, limits, static).
  const app = baseApp(config);

  app.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true });
  });
  // What the app's /readyz says (web/routes/api.ts healthRouter, from the reloader's snapshot),
  // and how many workers serve the index.
  app.get('/readyz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const snap = status.snapshot();
    const lastReload = publicReloadAttempt(status.lastReload());
    const counts = pool.counts();
    const workers = { count: counts.total, serving: counts.serving };
    // Ready once the index is loaded and a worker serves it (at start-up the first one, see
    // WorkerPool.start; the others follow, workers.serving says how many).
    if (!snap || counts.serving === 0) {
      res.status(503).json({ ready: false, code: 'E_NOT_READY', reason: ERRORS.E_NOT_READY.message, lastReload, workers });
      return;
    }
    const m = snap.manifest;
    res.json({
      ready: true,
      documents: m.counts.documents,
      paragraphs: m.counts.paragraphs,
      builtAt: m.builtAt || null,
      corpusChecksum: snap.corpusChecksum,
      generation: snap.generation,
      loadedAt: snap.loadedAt,
      skipped: (m.skipped ?? []).length,
      warnings: (m.warnings ?? []).length,
      lastReload,
      workers,
    });
  });

  if (config.rateLimit > 0) app.use(perIpRateLimit(config.rateLimit));

  app.use((req, res, next) => pool.dispatch(req, res, next));
  app.use(errorHandler(logger));
  return app;
}
