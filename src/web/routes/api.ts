/**
 * The JSON API: /api/search, /api/docs, /api/docs/:id, and the probes /healthz and /readyz. Each
 * route parses its input, calls one service method and sends the result as is; errors go to the
 * error handler.
 */
import { Router } from 'express';
import type { Config } from '../../config.js';
import { AppError, ERRORS } from '../../domain/errors.js';
import type { AsyncSearchServiceApi } from '../../search/api.js';
import type { IndexStatusSource } from '../../search/reloader.js';
import { parseSearchParams, parseTodayParam } from '../params.js';
import { indexSummary, publicReloadAttempt } from './status.js';

export function apiRouter(service: AsyncSearchServiceApi, config: Config): Router {
  const router = Router();

  router.get('/api/search', async (req, res) => {
    const request = parseSearchParams(req.query, config.limits, 'api');
    res.json(await service.search(request));
  });

  router.get('/api/docs', async (_req, res) => {
    res.json({ docs: await service.listDocs() });
  });

  router.get('/api/docs/:id', async (req, res) => {
    res.json(await service.getDoc(req.params.id, parseTodayParam(req.query)));
  });

  // Any other /api/* path is a JSON 404, never the HTML page.
  router.use('/api', () => {
    throw new AppError('E_NOT_FOUND');
  });

  return router;
}

/**
 * The probes, outside the rate limit and never cached:
 * - GET /healthz: the process is up and answering (constant work, no index access).
 * - GET /readyz: 200 with the served index's summary (documents, paragraphs, build time, corpus
 *   checksum, generation) and the last reload attempt; 503 with a reason while no index is loaded.
 */
export function healthRouter(service: AsyncSearchServiceApi, status?: IndexStatusSource): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const summary = await indexSummary(service, status);
    const lastReload = publicReloadAttempt(status?.lastReload() ?? null);
    if (!summary) {
      res.status(503).json({ ready: false, code: 'E_NOT_READY', reason: ERRORS.E_NOT_READY.message, lastReload });
      return;
    }
    const { documents, paragraphs, builtAt, corpusChecksum, generation, loadedAt } = summary;
    res.json({
      ready: true,
      documents,
      paragraphs,
      builtAt,
      corpusChecksum,
      generation,
      loadedAt,
      skipped: summary.skipped.length,
      warnings: summary.warnings.length,
      lastReload,
    });
  });
  return router;
}
