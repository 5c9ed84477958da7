// The OpenAPI 3 document of the REST gateway, generated from the route table: one operation per
// route, its path fields and (for GET) the request's other fields as query parameters, named after
// the protobuf request and response types.
import { SOFTWARE_VERSION } from '../version.ts';
import { ROUTES, type Route } from './routes.ts';

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The request's fields in the gateway's spelling (top level; `pagination` stands for its sub-fields). */
function requestFields(route: Route): string[] {
  // A decoded empty message has every field (both generators build it from a full default object).
  const sample = route.request.decode(new Uint8Array()) as Record<string, unknown>;
  return Object.keys(sample).flatMap((k) => (k === 'pagination' ? ['pagination.key', 'pagination.offset', 'pagination.limit', 'pagination.count_total', 'pagination.reverse'] : [snake(k)]));
}

export function openApiDocument(): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const parameters = [
      ...inPath.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(route.method === 'GET' ? requestFields(route).filter((f) => !inPath.includes(f)).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })) : []),
    ];
    const error = { description: 'A gRPC status as JSON', content: { 'application/json': { schema: { $ref: '#/components/schemas/Status' } } } };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: `${route.service.split('.').slice(1, -1).join('_')}_${route.rpc}`,
      summary: `${route.query} (gRPC ${route.service}/${route.rpc})`,
      parameters,
      ...(route.method === 'POST' ? { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: route.requestName } } } } } : {}),
      responses: {
        '200': { description: route.responseName, content: { 'application/json': { schema: { type: 'object', description: `${route.responseName} in proto3 JSON` } } } },
        default: error,
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Cairn REST API', version: SOFTWARE_VERSION, description: 'The Cosmos SDK gRPC-gateway routes Cairn serves, and its own modules\u2019 queries. Heights: header x-cosmos-block-height.' },
    paths,
    components: {
      schemas: {
        Status: { type: 'object', properties: { code: { type: 'integer' }, message: { type: 'string' }, details: { type: 'array', items: { type: 'object' } } } },
      },
    },
  };
}
