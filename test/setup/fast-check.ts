// In CI (CI=true) every property test runs with one fixed seed, so a run is reproducible and a
// failure can be replayed locally with CI=true; elsewhere each run explores new inputs.
import fc from 'fast-check';

const seed = process.env['CAIRN_FC_SEED'] ?? (process.env['CI'] ? '20261122' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
