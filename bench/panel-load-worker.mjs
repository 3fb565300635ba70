// Runs autocannon in a worker thread for bench/panel.ts, so the load generator does not share the
// event loop of the server it measures (as wrk or a separate autocannon process would not).
// Input (workerData): { url, connections, duration, headers }. Output: one message with every
// response time in ms, sorted, the responses per second and autocannon's error counts.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const autocannon = createRequire(import.meta.url)('autocannon');
const times = [];
const load = autocannon(workerData);
load.on('response', (_client, _status, _bytes, ms) => times.push(ms));
const result = await load;
times.sort((a, b) => a - b);
parentPort.postMessage({
  times,
  // Requests per second over the run (completed responses).
  average: times.length / workerData.duration,
  non2xx: result.non2xx,
  errors: result.errors,
});
