import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBodyFor } from './response-bodies';
import { describeError } from './describe-error';

const logger = new Logger('HttpErrors');

/** Writes any error as the route's error body: the predecessor's envelope or the v1 shape. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const described = describeError(error);
  if (described.status >= 500) {
    // routeOptions.url is the route template: the raw URL may carry a user's secret.
    const route = request.routeOptions?.url ?? 'unmatched route';
    logger.error(
      `${request.method} ${route} failed (request ${request.id}): ` +
        `${error instanceof Error ? error.stack : String(error)}`,
    );
  }
  if (described.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(described.retryAfterSeconds));
  }
  void reply
    .status(described.status)
    .type('application/json; charset=utf-8')
    .send(errorBodyFor(request.url, described));
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), error);
  }
}
