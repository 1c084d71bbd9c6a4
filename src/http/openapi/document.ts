import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ApiBodyOptions } from '@nestjs/swagger';
import { z } from 'zod';
import { requestExamples } from './examples';
import { OPERATIONS, type Operation } from './operations';
import { errorSchema } from './service-responses';

type SchemaObject = Extract<ApiBodyOptions, { schema: unknown }>['schema'];
type OperationObject = Record<string, unknown> & { parameters?: { in: string; name: string }[] };

/** A zod schema as OpenAPI sees it: the same schema that validates the request. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as SchemaObject;
}

const ROLE_NOTE: Record<Operation['access'], string> = {
  public: 'Open to everyone.',
  reader: 'Needs a reader, writer or admin key when PARLEY_API_KEYS is set.',
  writer: 'Needs a writer or admin key when PARLEY_API_KEYS is set.',
  admin: 'Needs an admin key when PARLEY_API_KEYS is set.',
  metrics: 'Open when PARLEY_METRICS_PUBLIC=true, else needs a reader key (when PARLEY_API_KEYS is set).',
};

const json = (schema: z.ZodType) => ({ 'application/json': { schema: openApiSchema(schema, 'output') } });

/** Query parameters from the zod schema the route parses them with. */
function queryParameters(schema: z.ZodType) {
  const object = openApiSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: object.required?.includes(name) ?? false, schema: rest, ...(description ? { description } : {}) };
  });
}

function responses(operation: Operation, hasInput: boolean) {
  const answers: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(operation.responses)) {
    if (body === null) answers[status] = { description: 'No content' };
    else if (!(body instanceof z.ZodType)) answers[status] = { description: body.description, content: { [body.type]: { schema: { type: 'string' } } } };
    else {
      const content: Record<string, unknown> = json(body);
      if (operation.csv && status === '200') content['text/csv'] = { schema: { type: 'string', description: 'CSV with a header row (format=csv or Accept: text/csv)' } };
      if (status === '200') for (const [type, description] of Object.entries(operation.also ?? {})) content[type] = { schema: { type: 'string', format: 'binary', description } };
      answers[status] = { description: Number(status) < 300 ? 'OK' : 'See `error` and `issues`', content };
    }
  }
  const error = (description: string) => ({ description, content: json(errorSchema) });
  if (hasInput) answers['400'] ??= error('invalid_request: `issues` name each field and the reason');
  if (operation.access !== 'public') {
    answers['401'] = error('No valid key');
    if (operation.access !== 'reader' && operation.access !== 'metrics') answers['403'] = error('The key\'s role is too weak');
    answers['429'] = error('Rate limited (see Retry-After)');
  }
  if (operation.negotiation) answers['404'] ??= error('Unknown negotiation');
  return answers;
}

/**
 * Completes what @nestjs/swagger finds in the controllers from OPERATIONS: summaries,
 * parameters and bodies from the zod schemas the routes parse with, every response body,
 * security as the guard enforces it. A route missing from OPERATIONS is an error, so the
 * document cannot fall behind the routes.
 */
export function completeDocument(document: OpenAPIObject, publicUrl: string): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item as Record<string, OperationObject>)) {
      const key = `${method.toUpperCase()} ${path}`;
      const operation = OPERATIONS[key];
      if (!operation) throw new Error(`OpenAPI: ${key} is not described in src/http/openapi/operations.ts`);
      const pathParameters = (raw.parameters ?? []).filter((p) => p.in === 'path').map((p) => ({ ...p, schema: { type: 'string' } }));
      const parameters = [...pathParameters, ...(operation.query ? queryParameters(operation.query) : [])];
      if (key === 'GET /feed') parameters.push({ name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' }, description: 'Resume after this global position (wins over `after`)' } as never);
      const { requestBody: _ignored, ...kept } = raw;
      item[method as 'get'] = {
        ...kept,
        summary: operation.summary,
        description: [operation.description, ROLE_NOTE[operation.access]].filter(Boolean).join('\n\n'),
        parameters,
        ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: openApiSchema(operation.body), ...requestExamples(key) } } } } : {}),
        ...(key === 'POST /negotiations/{nid}/events:import' ? { requestBody: { required: true, content: { 'application/x-ndjson': { schema: { type: 'string', description: 'One event per line, each as an item of `events` in POST …/events; a line without id gets a UUIDv5 of (negotiation, line)' } } } } } : {}),
        ...(key === 'POST /admin/restore' ? { requestBody: { required: true, content: { 'application/x-ndjson': { schema: { type: 'string', description: 'An export, trailer included' } } } } } : {}),
        responses: responses(operation, parameters.length > 0 || operation.body !== undefined),
        security: operation.access === 'public' ? [] : operation.access === 'metrics' ? [{}, { bearer: [] }] : [{ bearer: [] }],
      } as never;
    }
  }
  document.servers = [{ url: publicUrl, description: 'this server' }];
  // Keys are opaque strings, not JWTs (@nestjs/swagger's bearer default says JWT).
  const bearer = document.components?.securitySchemes?.bearer as { bearerFormat?: string } | undefined;
  if (bearer) delete bearer.bearerFormat;
  return document;
}

export function buildOpenApiDocument(app: INestApplication, publicUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Parley')
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .setDescription(
      'Event-sourced tracker of evolving negotiation positions. As-of reads take `at` (valid time), `knownAt` (recorded time), ' +
        '`publicAt` and `version`; the contract states the as-of rule and the gap formulas. This document is also at /docs/openapi.json.',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from PARLEY_API_KEYS (opaque; not a JWT)' }, 'bearer')
    .build();
  return completeDocument(SwaggerModule.createDocument(app, config), publicUrl);
}

/** Swagger UI at /docs, the document at /docs/openapi.json. */
export function setupOpenApi(app: INestApplication, publicUrl: string): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, publicUrl), { jsonDocumentUrl: 'docs/openapi.json' });
}
