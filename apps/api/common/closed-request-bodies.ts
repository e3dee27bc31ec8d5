import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/**
 * Marks every schema a request body uses (directly or nested) `additionalProperties: false`.
 *
 * The ValidationPipe runs with `whitelist` and `forbidNonWhitelisted`: a property a DTO does not
 * declare, at any depth, is a 400. @nestjs/swagger leaves `additionalProperties` out, which in
 * OpenAPI means "anything else is allowed"; this makes the document say what the API does.
 * Schemas that a response also uses are left open (responses may grow new fields).
 */
export function closeRequestBodySchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const refsIn = (node: unknown, found: Set<string>): Set<string> => {
    if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
          const name = value.slice('#/components/schemas/'.length);
          if (!found.has(name)) {
            found.add(name);
            refsIn(schemas[name], found);
          }
        } else {
          refsIn(value, found);
        }
      }
    }
    return found;
  };

  const inRequests = new Set<string>();
  const inResponses = new Set<string>();
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem ?? {})) {
      if (!operation || typeof operation !== 'object') continue;
      const { requestBody, responses } = operation as { requestBody?: unknown; responses?: unknown };
      refsIn(requestBody, inRequests);
      refsIn(responses, inResponses);
    }
  }
  for (const name of inRequests) {
    const schema = schemas[name];
    if (schema && schema.type === 'object' && !inResponses.has(name) && !('additionalProperties' in schema)) {
      schema.additionalProperties = false;
    }
  }
  return document;
}
