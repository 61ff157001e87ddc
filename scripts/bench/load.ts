// Runs autocannon in a worker thread (see load-worker.cjs) and returns its figures.
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  /** http://host:port */
  url: string;
  connections: number;
  /** seconds */
  duration: number;
  /** Sent in rotation. */
  requests: LoadRequest[];
  /** A string every good response body contains. */
  expect: string;
  /** Seconds a request may take before it counts as a timeout (bad); default 60. */
  timeout?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  /** Responses that were not a 200 with data, plus socket errors and timeouts. */
  bad: number;
  sample: string | null;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'load-worker.cjs'), { workerData: options });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
