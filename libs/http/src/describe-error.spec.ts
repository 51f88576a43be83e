import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { mongo } from 'mongoose';
import { DomainError, ERROR_CODES } from '@app/contracts';
import { describeError } from './describe-error';
import { httpStatusOf } from './error-status';

describe('describeError', () => {
  it.each(ERROR_CODES)('maps DomainError %s to its status, code and message', (code) => {
    expect(describeError(new DomainError(code, `message for ${code}`))).toEqual({
      status: httpStatusOf(code),
      code,
      message: `message for ${code}`,
    });
  });

  it('turns the retryAfterSeconds of a rate_limited error into a Retry-After, keeping the details', () => {
    const error = new DomainError('rate_limited', 'Too many requests', { retryAfterSeconds: 7 });
    expect(describeError(error)).toStrictEqual({
      status: 429,
      code: 'rate_limited',
      message: 'Too many requests',
      details: { retryAfterSeconds: 7 },
      retryAfterSeconds: 7,
    });
  });

  it('keeps the details of a DomainError', () => {
    const details = { inUse: 9_000, limit: 10_000 };
    expect(describeError(new DomainError('capacity_exceeded', 'Too many', details))).toStrictEqual({
      status: 422,
      code: 'capacity_exceeded',
      message: 'Too many',
      details,
    });
  });

  it('answers a framework 404 with "No such route", never the URL (it may carry a secret)', () => {
    const url = '/discounts/api/v1.0/get_code/user-1/very-s3cret-value/1';
    const described = describeError(new NotFoundException(`Cannot GET ${url}`));
    expect(described).toEqual({ status: 404, code: 'not_found', message: 'No such route' });
    expect(JSON.stringify(described)).not.toContain('very-s3cret-value');
  });

  it('a 404 HttpException built from a plain string does not echo it either', () => {
    const described = describeError(new HttpException('Cannot POST /v1/brands/s3cret', HttpStatus.NOT_FOUND));
    expect(described.message).toBe('No such route');
  });

  it('keeps the message of other framework client errors', () => {
    expect(describeError(new BadRequestException('Unexpected end of JSON input'))).toEqual({
      status: 400,
      code: 'invalid_input',
      message: 'Unexpected end of JSON input',
    });
    expect(describeError(new PayloadTooLargeException('Request body is too large'))).toEqual({
      status: 413,
      code: 'payload_too_large',
      message: 'Request body is too large',
    });
    expect(describeError(new UnsupportedMediaTypeException('Unsupported Media Type: text/plain'))).toEqual({
      status: 415,
      code: 'unsupported_media_type',
      message: 'Unsupported Media Type: text/plain',
    });
    expect(describeError(new ForbiddenException())).toEqual({
      status: 403,
      code: 'forbidden',
      message: 'Forbidden',
    });
  });

  it('joins an array of messages (class-validator style)', () => {
    expect(describeError(new BadRequestException(['a must be a string', 'b is required'])).message).toBe(
      'a must be a string; b is required',
    );
  });

  it('falls back to the exception message when the response has none', () => {
    expect(describeError(new HttpException({ reason: 'x' }, 400)).message).toBe('Http Exception');
  });

  /** The driver's own error objects need a topology description; an empty one will do. */
  const noTopology = {
    error: null,
    servers: new Map(),
    type: 'Unknown',
  } as unknown as mongo.TopologyDescription;
  const mongooseSelection = Object.assign(new Error('connect ECONNREFUSED mongodb://u:pw@db:27017'), {
    name: 'MongooseServerSelectionError',
  });

  it.each([
    [
      'a MongoServerSelectionError',
      new mongo.MongoServerSelectionError('connect ECONNREFUSED mongodb://u:pw@db:27017', noTopology),
    ],
    ["mongoose's MongooseServerSelectionError", mongooseSelection],
    ['a MongoNetworkError', new mongo.MongoNetworkError('socket closed')],
    ['a MongoNotConnectedError', new mongo.MongoNotConnectedError('not connected')],
    ['a MongoTopologyClosedError', new mongo.MongoTopologyClosedError()],
  ])('answers %s with 503 and a generic message', (_, error) => {
    const described = describeError(error);
    expect(described).toEqual({
      status: 503,
      code: 'service_unavailable',
      message: 'The database is unavailable; try again shortly',
    });
    expect(JSON.stringify(described)).not.toContain('pw@');
  });

  it.each([
    ['an unknown Error', new Error('connect to mongodb://admin:hunter2@db failed')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'hunter2')")],
    ['a thrown string', 'hunter2'],
    ['undefined', undefined],
    ['null', null],
    ['a plain object', { message: 'hunter2', status: 400 }],
  ])('answers %s with a bare 500 that leaks nothing', (_, error) => {
    const described = describeError(error);
    expect(described).toStrictEqual({ status: 500, code: 'internal', message: 'Internal error' });
    expect(JSON.stringify(described)).not.toContain('hunter2');
  });
});
