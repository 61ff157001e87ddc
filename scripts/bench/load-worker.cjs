// One autocannon run, in a worker thread: the servers under test run in processes of their own, and
// the bench's main thread samples their CPU and memory meanwhile, which must not delay the load.
// workerData: { url, connections, duration, requests: [{ path, headers, body }], expect, timeout? }.
// Requests are sent in rotation; a response counts as bad unless it is a 200 whose body holds no
// "errors" and does hold `expect` (so a null tracking result is caught too).
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');

const { url, connections, duration, requests, expect } = workerData;
// autocannon's default is 10 s: a year's statistics on a large table can take longer under load
const timeout = workerData.timeout ?? 60;
let next = 0;
let bad = 0;
let sample = null;

autocannon(
  {
    url,
    connections,
    duration,
    timeout,
    requests: [
      {
        setupRequest(request) {
          const chosen = requests[next++ % requests.length];
          return { ...request, method: 'POST', path: chosen.path, headers: { ...request.headers, ...chosen.headers }, body: chosen.body };
        },
        onResponse(status, body) {
          if (status === 200 && !body.includes('"errors"') && body.includes(expect)) return;
          bad++;
          sample ??= `${status} ${body.slice(0, 300)}`;
        },
      },
    ],
  },
  (error, raw) => {
    if (error) throw error;
    // off the main thread autocannon leaves its histograms encoded, for the caller to aggregate
    const result = autocannon.aggregateResult([raw], { url, connections, duration });
    parentPort.postMessage({
      requestsPerSecond: raw.totalCompletedRequests / raw.duration,
      total: raw.totalCompletedRequests,
      p50: result.latency.p50,
      p99: result.latency.p99,
      // socket errors and timeouts are not responses: count them as bad too
      bad: bad + result.errors + result.timeouts,
      sample,
    });
  },
);
