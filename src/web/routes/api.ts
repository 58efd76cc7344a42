/**
 * The JSON API: /api/search, /api/docs, /api/docs/:id, and /healthz. Each route parses its
 * input, calls one service method and sends the result as is; errors go to the error handler.
 */
import { Router } from 'express';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import type { SearchServiceApi } from '../../search/api.js';
import { parseSearchParams } from '../params.js';

export function apiRouter(service: SearchServiceApi, config: Config): Router {
  const router = Router();

  router.get('/api/search', (req, res) => {
    const request = parseSearchParams(req.query, config.limits, 'api');
    res.json(service.search(request));
  });

  router.get('/api/docs', (_req, res) => {
    res.json({ docs: service.listDocs() });
  });

  router.get('/api/docs/:id', (req, res) => {
    res.json(service.getDoc(req.params.id));
  });

  // Any other /api/* path is a JSON 404, never the HTML page.
  router.use('/api', () => {
    throw new AppError('E_NOT_FOUND');
  });

  return router;
}

/** GET /healthz: cheap liveness and size check, outside the rate limit. */
export function healthRouter(service: SearchServiceApi): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const { documents, paragraphs } = service.stats();
    res.json({ ok: true, documents, paragraphs });
  });
  return router;
}
