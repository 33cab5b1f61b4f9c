/**
 * The HTTP service as a fastify instance: the JSON API under /api/v1 (zod schemas, one error
 * shape, keys and scopes), OpenAPI 3.1 at /openapi.json with a docs page at /docs, /health and
 * /ready, and the dashboard's built files at /. `lotsmith serve`, the tests (`app.inject`) and the
 * HTTP benchmark build it the same way; only the ports differ.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { KeyCache } from '../../app/apiKeys.js';
import { authHook } from './auth.js';
import type { ApiDeps, RouteContext } from './context.js';
import { errorHandler, sendError } from './errors.js';
import { backtestRoutes } from './routes/backtests.js';
import { holdingRoutes } from './routes/holdings.js';
import { householdRoutes } from './routes/households.js';
import { keyRoutes } from './routes/keys.js';
import { runRoutes } from './routes/runs.js';

export const API_PREFIX = '/api/v1';
/** JSON bodies; imports allow more (routes/holdings.ts). */
export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  /** The dashboard's built files (index.html and assets); undefined or missing: / says how to build them. */
  readonly webDir?: string | undefined;
  readonly logger?: boolean;
  /** How long a verified key is trusted before its hash is checked again. */
  readonly keyCacheMs?: number;
  readonly version?: string;
}

export async function buildApp(deps: ApiDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT, routerOptions: { ignoreTrailingSlash: true } });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorateRequest('principal', null);
  const cache = new KeyCache(deps.keys, options.keyCacheMs ?? 60_000, () => Date.now());
  const ctx: RouteContext = { deps, cache };

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Lotsmith API', version: options.version ?? '0.1.0', description: 'Tax-loss harvesting over HTTP: households, lots, gains, tax previews, the daily run and its proposals. See docs/api.md.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'lsk_<id>_<secret>, from `lotsmith keys create`' } } },
    },
    transform: (arg) => {
      const out = jsonSchemaTransform(arg);
      const scope = (arg.route.config as { scope?: string } | undefined)?.scope;
      return scope === undefined ? out : { ...out, schema: { ...out.schema, security: [{ apiKey: [] }], description: `Scope: ${scope}.` } };
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_req, res) => {
    const up = await deps.ping().catch(() => false);
    return up ? { status: 'ready' } : res.code(503).send({ status: 'unavailable' });
  });

  await app.register(
    async (api) => {
      api.addHook('onRequest', authHook(cache));
      householdRoutes(api, ctx);
      holdingRoutes(api, ctx);
      runRoutes(api, ctx);
      keyRoutes(api, ctx);
      backtestRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );

  const web = options.webDir;
  const hasWeb = web !== undefined && existsSync(join(web, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: resolve(web), prefix: '/', wildcard: false, index: 'index.html' });
  app.setNotFoundHandler((req, res) => {
    if (req.url.startsWith(`${API_PREFIX}/`) || req.url === API_PREFIX || req.method !== 'GET') {
      return sendError(res, 404, { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` });
    }
    if (hasWeb) return res.type('text/html; charset=utf-8').sendFile('index.html');
    return res
      .code(404)
      .type('text/plain; charset=utf-8')
      .send('The dashboard is not built: run `npm run build` (it builds web/dist). The API is under /api/v1; its docs at /docs.\n');
  });
  return app;
}
