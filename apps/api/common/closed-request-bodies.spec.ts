import type { OpenAPIObject } from '@nestjs/swagger';
import { closeRequestBodySchemas } from './closed-request-bodies';

describe(closeRequestBodySchemas.name, () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (schema: object) => ({ content: { 'application/json': { schema } } });

  it('closes every schema a request body reaches, and leaves response schemas open', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/things': {
          post: { requestBody: json(ref('Body')), responses: { '201': json(ref('Answer')) } },
        },
      },
      components: {
        schemas: {
          Body: { type: 'object', properties: { nested: ref('Nested'), list: { type: 'array', items: ref('Item') } } },
          Nested: { type: 'object', properties: { shared: ref('Shared') } },
          Item: { type: 'object', properties: {} },
          Shared: { type: 'object', properties: {} },
          Answer: { type: 'object', properties: { shared: ref('Shared') } },
          Free: { type: 'object', additionalProperties: true },
        },
      },
    } as unknown as OpenAPIObject;
    const schemas = closeRequestBodySchemas(document).components!.schemas as Record<string, Record<string, unknown>>;
    expect(schemas.Body.additionalProperties).toBe(false);
    expect(schemas.Nested.additionalProperties).toBe(false);
    expect(schemas.Item.additionalProperties).toBe(false);
    expect(schemas.Shared).not.toHaveProperty('additionalProperties');
    expect(schemas.Answer).not.toHaveProperty('additionalProperties');
    expect(schemas.Free.additionalProperties).toBe(true);
  });
});
