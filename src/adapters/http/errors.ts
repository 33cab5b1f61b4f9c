/**
 * The API's one error shape, `{ error: { code, message, path?, issues? } }`, and the status of each
 * kind of problem. Issues from the use cases keep the CLI's wording (describeIssue), so a file
 * refused over HTTP reads as it does in a terminal.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { describeIssue, type Issue } from '../../core/kernel/errors.js';

export interface ApiIssue {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
}

export interface ApiErrorBody {
  readonly error: ApiIssue & { readonly issues?: readonly ApiIssue[] };
}

/** A refusal a route raises itself (401, 403, 404 for an id of no household of the tenant). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

const STATUS: Partial<Record<Issue['code'], number>> = { NOT_FOUND: 404, CONFLICT: 409, NO_CLOSES: 422, SPLIT_MISMATCH: 422 };

/** Where an issue points: the uploaded file's row and field, else the request body's field. */
function issuePath(i: Issue, where: string): string | undefined {
  if (i.at.file !== undefined) return [i.at.file, i.at.row !== undefined ? `row ${i.at.row}` : undefined, i.at.field].filter((x) => x !== undefined).join(':');
  if (i.at.field !== undefined) return `${where}.${i.at.field}`;
  return undefined;
}

export function issuesError(issues: readonly Issue[], where = 'body'): { status: number; body: ApiErrorBody } {
  const first = issues[0];
  const status = Math.max(...issues.map((i) => STATUS[i.code] ?? 400));
  const list = issues.map((i) => {
    const path = issuePath(i, where);
    return { code: i.code, message: describeIssue(i), ...(path !== undefined ? { path } : {}) };
  });
  const head = list[0] ?? { code: 'BAD_REQUEST', message: 'bad request' };
  return {
    status: first === undefined ? 400 : status,
    body: { error: { ...head, message: issues.length > 1 ? `${issues.length} problems found; nothing was applied. ${head.message}` : head.message, ...(issues.length > 1 ? { issues: list } : {}) } },
  };
}

export function sendError(reply: FastifyReply, status: number, error: ApiErrorBody['error']): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error });
}

const CONTEXT: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/** Fastify's and the zod provider's errors in the one shape. */
export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof ApiError) return sendError(reply, err.status, { code: err.code, message: err.message, ...(err.path !== undefined ? { path: err.path } : {}) });
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = CONTEXT[err.validationContext ?? 'body'] ?? 'body';
    const issues = err.validation.map((v) => {
      const field = v.instancePath.split('/').filter((s) => s !== '').join('.');
      const path = field === '' ? where : `${where}.${field}`;
      return { code: 'BAD_REQUEST', message: `${path}: ${v.message ?? 'invalid'}`, path };
    });
    const head = issues[0] as ApiIssue;
    return sendError(reply, 400, { ...head, ...(issues.length > 1 ? { issues } : {}) });
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, { code: 'PAYLOAD_TOO_LARGE', message: `the request body is over the limit of ${request.routeOptions.bodyLimit ?? 0} bytes` });
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: `send the body as application/json (got ${request.headers['content-type'] ?? 'none'})` });
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendError(reply, 400, { code: 'BAD_REQUEST', message: 'the JSON body is empty', path: 'body' });
  if (err.statusCode === 400 && (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(err.message))) {
    return sendError(reply, 400, { code: 'BAD_REQUEST', message: `malformed JSON: ${err.message}`, path: 'body' });
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return sendError(reply, err.statusCode, { code: err.code ?? 'BAD_REQUEST', message: err.message });
  request.log.error(err);
  return sendError(reply, 500, { code: 'INTERNAL', message: 'internal error; the server log has the details' });
}
