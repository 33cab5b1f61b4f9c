/**
 * Keys on every /api/v1 request: `Authorization: Bearer lsk_…` names the tenant and the scopes.
 * No key or a bad one is 401; a key without the route's scope is 403. The tenant then scopes every
 * query the route makes (the stores are opened per tenant), so ids of another tenant are 404.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { grants, type KeyCache } from '../../app/apiKeys.js';
import { sendError } from './errors.js';

export function bearerKey(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (h === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export function authHook(cache: KeyCache) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.principal = null;
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    const key = bearerKey(request);
    if (key === undefined) {
      await sendError(reply.header('www-authenticate', 'Bearer'), 401, { code: 'UNAUTHORIZED', message: 'send an API key: Authorization: Bearer lsk_…' });
      return;
    }
    const principal = await cache.check(key);
    if (principal === undefined) {
      await sendError(reply.header('www-authenticate', 'Bearer error="invalid_token"'), 401, { code: 'UNAUTHORIZED', message: 'the API key is not valid (unknown, revoked or mistyped)' });
      return;
    }
    if (!grants(principal.scopes, scope)) {
      await sendError(reply, 403, { code: 'FORBIDDEN', message: `this key has scope ${principal.scopes.join(', ')}; the route needs ${scope}` });
      return;
    }
    request.principal = principal;
  };
}
