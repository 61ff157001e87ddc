// GET /graphql in a browser: GraphiQL, served from this server alone under a strict CSP, and its
// bundled assets under /graphql/assets/. Off in production unless GRAPHQL_QUERY_PAGE says otherwise.
import express from 'express';
import { ErrorCode } from '../../errors';
import type { Logger } from '../../logger';
import { QUERY_PAGE_HEADERS, type HttpPolicy } from '../http-defaults';
import { queryPageAssets, type Assets } from './bundle';
import { queryPageHtml } from './page';

/**
 * Only this origin: scripts and workers from its files, requests to /graphql over HTTP and the
 * WebSocket ('self' covers ws: and wss: on the same host), fonts inlined as data: URLs. Monaco sets
 * inline styles, hence 'unsafe-inline' for styles only.
 */
export const QUERY_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  QUERY_PAGE_HEADERS['content-security-policy'],
].join('; ');

const pageHeaders = { ...QUERY_PAGE_HEADERS, 'content-security-policy': QUERY_PAGE_CSP, 'cache-control': 'no-store' };

export function queryPageRoutes(policy: HttpPolicy, logger: Logger): express.Router {
  const router = express.Router();
  if (!policy.queryPage) return router;
  let assets: Promise<Assets> | undefined;
  const loadAssets = () => {
    assets ??= queryPageAssets().catch((error: unknown) => {
      assets = undefined; // the next request tries again
      throw error;
    });
    return assets;
  };

  router.get('/graphql', (req, res, next) => {
    if (req.query.query || req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    void loadAssets().catch(() => undefined); // start the build while the browser parses the page
    res.set(pageHeaders).type('html').send(queryPageHtml);
  });
  router.get('/graphql/assets/:file', async (req, res, next) => {
    try {
      const asset = (await loadAssets()).get(req.params.file);
      // Not handed on: GraphQL under /graphql would answer a GET without a query with a 400.
      if (!asset) return void res.status(404).set('cache-control', 'no-store').json({ errors: [{ message: 'Không có tệp nào như vậy trong trình soạn truy vấn.', extensions: { code: ErrorCode.NOT_FOUND } }] });
      // The names do not change between versions, so browsers revalidate instead of keeping them.
      res.set({ ...pageHeaders, 'cache-control': 'no-cache', 'content-type': asset.contentType }).send(asset.body);
    } catch (error) {
      logger.error({ err: error }, 'the query page bundle could not be built');
      next(error);
    }
  });
  return router;
}
