// The baseline (baseline-server.ts) in a process of its own, as `npm run bench` runs it:
//   node --import tsx scripts/bench/baseline-main.ts <app database url> [pool size = 10] [port = 0]
// Prints "baseline listening at http://127.0.0.1:<port>" once it listens; SIGTERM or SIGINT closes it.
import { startBaseline } from './baseline-server';

async function main() {
  const [url, pool = '10', port = '0'] = process.argv.slice(2);
  if (!url) throw new Error('usage: baseline-main.ts <app database url> [pool size] [port]');
  const baseline = await startBaseline(url, Number(pool), Number(port));
  console.log(`baseline listening at ${baseline.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void baseline.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
