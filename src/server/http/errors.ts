import type { FastifyError, FastifyInstance } from 'fastify';
import { Problem, pickLang } from '../errors.js';
import { describeValidationError } from './validation.js';

/** Every error leaves as `{code, message[, field, details]}` with a stable code; bad input never becomes a 500. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | Problem | Error, req, reply) => {
    const lang = pickLang(req.headers['accept-language'], req.actor?.user.locale);
    let problem: Problem;
    if (err instanceof Problem) problem = err;
    else if ((err as FastifyError).validation) {
      const fe = err as FastifyError;
      const { field, reason } = describeValidationError(fe.validation!, fe.validationContext ?? 'body');
      problem = new Problem('VALIDATION_FAILED', { field, reason });
    } else {
      const status = (err as FastifyError).statusCode ?? 500;
      const code = (err as FastifyError).code;
      if (status === 413 || code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT') problem = new Problem('FILE_TOO_LARGE');
      else if (status === 429) problem = new Problem('RATE_LIMITED');
      else if (status === 415) problem = new Problem('BAD_REQUEST', { reason: 'unsupported content type' });
      else if (status >= 400 && status < 500) problem = new Problem('BAD_REQUEST', { reason: err.message });
      else {
        req.log.error({ err }, 'unhandled error');
        problem = new Problem('INTERNAL');
      }
    }
    if (problem.status >= 500) req.log.error({ err }, 'server error');
    const headers = (err as { headers?: Record<string, string> }).headers;
    if (problem.status === 429 && headers) reply.headers(headers);
    return reply.status(problem.status).send(problem.toJSON(lang));
  });
}
