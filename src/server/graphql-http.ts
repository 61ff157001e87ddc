// POST /graphql, the API's hot path, served beside express rather than through it: the same edge
// (compression, request id, CORS: http-defaults.ts), the same JSON body limit and refusals, then
// Apollo's own HTTP entry point (executeHTTPGraphQLRequest, what its express integration calls).
//
// Why: express' router walked every route registered before /graphql for every operation, and its
// request and response decorations (req.get, res.send) cost as much again: together about a tenth of
// a `{ __typename }`'s CPU. Everything else (GET /graphql, the query page, health, metrics, files,
// other methods and paths) stays with express.
import type http from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { answerTransportFailure, type HttpEdge, type Middleware, type RefusalDeps } from './http-defaults';

/** What this path serves: POST to exactly /graphql (with or without a query string). */
export function isGraphQLPost(req: http.IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  return url === '/graphql' || url.startsWith('/graphql?');
}

export interface GraphQLPostOptions<Context extends BaseContext> {
  edge: HttpEdge;
  /** The JSON body parser with the body limit (express.json). */
  jsonBody: Middleware;
  context(req: http.IncomingMessage, res: http.ServerResponse): Promise<Context>;
  refusal: RefusalDeps;
}

export function graphqlPost<Context extends BaseContext>(apollo: ApolloServer<Context>, options: GraphQLPostOptions<Context>) {
  const steps: Middleware[] = [options.edge.compress, options.edge.stamp, options.edge.cors, options.jsonBody];
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const refuse = (error: unknown) => (res.headersSent ? void res.destroy() : answerTransportFailure(req, res, error, options.refusal));
    let index = 0;
    const next = (error?: unknown) => {
      if (error) return refuse(error); // as express: null or undefined is no error (cors passes null)
      const step = steps[index++];
      if (!step) return void answer(apollo, options, req, res).catch(refuse);
      try {
        step(req, res, next);
      } catch (thrown) {
        refuse(thrown);
      }
    };
    next();
  };
}

async function answer<Context extends BaseContext>(apollo: ApolloServer<Context>, options: GraphQLPostOptions<Context>, req: http.IncomingMessage, res: http.ServerResponse) {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: query < 0 ? '' : url.slice(query), body: (req as { body?: unknown }).body },
    context: () => options.context(req, res),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) {
    res.write(chunk);
    (res as { flush?: () => void }).flush?.(); // compression's, so that each part leaves at once
  }
  res.end();
}
