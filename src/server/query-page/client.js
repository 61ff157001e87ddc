// The query page's browser code, bundled by esbuild (see bundle.ts): GraphiQL with its docs explorer,
// autocomplete and history, queries over HTTP and subscriptions over the WebSocket on the same path.
// Plain JavaScript without JSX, so that neither tsc nor jest has to know about the browser.
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

const endpoint = new URL(location.pathname, location.href);
const assets = new URL('graphql/assets/', endpoint.origin + '/');

// Monaco's workers are bundled beside this file; no worker is fetched from anywhere else.
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === 'json' || label === 'graphql' ? label : 'editor';
    return new Worker(new URL(`${name}.worker.js`, assets));
  },
};

const lowerCased = (headers) => Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));

// One socket per identity: the server reads the province and the token once, when the socket opens.
const sockets = new Map();
function socketFor(headers) {
  const connectionParams = { province: headers['x-province'], authorization: headers.authorization };
  const key = JSON.stringify(connectionParams);
  if (!sockets.has(key)) {
    const url = new URL(endpoint);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    sockets.set(key, createClient({ url: url.href, connectionParams, lazy: true }));
  }
  return sockets.get(key);
}

function fetcher(params, options = {}) {
  const headers = lowerCased(options.headers);
  // Parsed here: GraphiQL's own documentAST can lag behind text typed just before the run.
  let operation = null;
  try {
    operation = getOperationAST(parse(params.query), params.operationName ?? undefined);
  } catch {
    // the server answers the syntax error
  }
  if (operation?.operation === 'subscription') return socketFor(headers).iterate(params);
  return fetch(endpoint, {
    method: 'POST',
    headers: { accept: 'application/graphql-response+json, application/json', ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  }).then((response) => response.json());
}

const defaultQuery = `# Tiêu đề (tab Headers): "X-Province" là mã GSO hoặc tên viết tắt của tỉnh,
# "Authorization": "Bearer <token>" lấy từ: npm run token -- --province 92 --role official
{
  province { name gsoCode status }
  agencies(first: 10) { totalCount edges { node { code name kind } } }
}
`;

createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    defaultHeaders: JSON.stringify({ 'X-Province': '92' }, null, 2),
    // A bearer token stays in this tab only: headers are not written to localStorage.
    shouldPersistHeaders: false,
  }),
);
