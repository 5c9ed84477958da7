// Run by `npm start` and `npm test` before anything else: makes sure the pinned CometBFT binary and the
// watcher's ed25519 verifier (node/watcher/ed25519-verifier) are in `.tools/bin`, libfaketime (the chaos run's clock skew) is installed and, for `npm test` only (they
// are large, and only the explorer's browser test, the monitoring test and the indexer test need
// them), Debian's chromium, prometheus and postgresql. Idempotent; when all are there this takes well under 200 ms.
import { ensureCometbft } from '../node/cometbft/install.ts';
import { ensureVerifierBinary } from '../node/watcher/verifier-process.ts';
import { ensureLibfaketime } from './libfaketime.ts';
import { ensureChromium } from './chromium.ts';
import { ensurePrometheus } from './prometheus.ts';
import { ensurePostgresql } from './postgresql.ts';

try {
  const result = await ensureCometbft({ log: (line) => console.error(`setup: ${line}`) });
  if (result.installed) console.error(`setup: CometBFT ${result.version} is at ${result.binary}`);
  await ensureVerifierBinary((line) => console.error(`setup: ${line}`));
  ensureLibfaketime((line) => console.error(`setup: ${line}`));
  if (process.env['npm_lifecycle_event'] === 'test') {
    ensureChromium((line) => console.error(`setup: ${line}`));
    ensurePrometheus((line) => console.error(`setup: ${line}`));
    ensurePostgresql((line) => console.error(`setup: ${line}`));
  }
} catch (error) {
  console.error(`setup: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
