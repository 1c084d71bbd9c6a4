import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ApiBodyOptions } from '@nestjs/swagger';

type SchemaObject = Extract<ApiBodyOptions, { schema: unknown }>['schema'];
import { z } from 'zod';

/** A zod schema as OpenAPI sees it: the same schema that validates the request. */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as SchemaObject;
}

/** Swagger UI at /docs, the document at /docs/openapi.json. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Parley')
    .setDescription(
      'Event-sourced tracker of evolving negotiation positions. As-of reads take `at` (valid time) and ' +
        '`knownAt` (recorded time); see the contract for the as-of rule and the gap formulas.',
    )
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
