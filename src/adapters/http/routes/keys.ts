/** The tenant's own API keys (admin scope): list, create (the key shown once), revoke. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createApiKey } from '../../../app/apiKeys.js';
import { reply, tenantOf, type RouteContext } from '../context.js';
import { ApiError } from '../errors.js';
import { NewKeyBody } from '../schemas.js';
import { z } from 'zod';

export function keyRoutes(app: FastifyInstance, { deps, cache }: RouteContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/me', { schema: { tags: ['keys'], summary: "The calling key's tenant and scopes" }, config: { scope: 'read' } }, async (req) => {
    const p = req.principal;
    return { tenant: p?.tenant, keyId: p?.keyId, scopes: p?.scopes };
  });

  api.get('/keys', { schema: { tags: ['keys'], summary: "The tenant's keys (never their secrets)" }, config: { scope: 'admin' } }, async (req) => {
    const keys = await deps.keys.list(tenantOf(req));
    return { items: keys.map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, createdAt: k.createdAt, revokedAt: k.revokedAt ?? null })) };
  });

  api.post('/keys', { schema: { tags: ['keys'], summary: 'Create a key; the response is the only time it is shown', body: NewKeyBody }, config: { scope: 'admin' } }, async (req, res) => {
    const created = await createApiKey(deps.keys, { tenant: tenantOf(req), name: req.body.name, scopes: req.body.scopes });
    return reply(res, created, (v) => v, 201);
  });

  api.delete('/keys/:id', { schema: { tags: ['keys'], summary: 'Revoke a key', params: z.strictObject({ id: z.string().min(1).max(100) }) }, config: { scope: 'admin' } }, async (req, res) => {
    const revoked = await deps.keys.revoke(tenantOf(req), req.params.id);
    if (!revoked) throw new ApiError(404, 'NOT_FOUND', `no key "${req.params.id}"`, 'params.id');
    cache.forget(req.params.id);
    return res.code(204).send();
  });
}
