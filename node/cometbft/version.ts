// The one place the CometBFT version is pinned. Everything else (setup, docs, tests) reads it from here.
// v0.38.x is the line CosmJS 0.39 recognises (`connectComet` knows "0.37.", "0.38." and "1."); v0.39+
// would silently fall back to the Tendermint 0.37 client.
export const COMETBFT_VERSION = 'v0.38.25';

// The Go package that `go install` builds.
export const COMETBFT_PACKAGE = 'github.com/cometbft/cometbft/cmd/cometbft';

// `cometbft version` prints the bare semver ("0.38.25"), or "0.38.25+<commit>" when built from a checkout.
export function matchesPinnedVersion(reported: string): boolean {
  const want = COMETBFT_VERSION.replace(/^v/, '');
  const got = reported.trim();
  return got === want || got.startsWith(`${want}+`);
}
