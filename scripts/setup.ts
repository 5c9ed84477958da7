// Run by `npm start` and `npm test` before anything else: makes sure the pinned CometBFT binary is in
// `.tools/bin`, and libfaketime (the chaos run's clock skew) is installed. Idempotent; when both
// are there this takes well under 200 ms.
import { ensureCometbft } from '../node/cometbft/install.ts';
import { ensureLibfaketime } from './libfaketime.ts';

try {
  const result = await ensureCometbft({ log: (line) => console.error(`setup: ${line}`) });
  if (result.installed) console.error(`setup: CometBFT ${result.version} is at ${result.binary}`);
  ensureLibfaketime((line) => console.error(`setup: ${line}`));
} catch (error) {
  console.error(`setup: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
