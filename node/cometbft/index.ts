// CometBFT integration: install, home directories, genesis, and the `cometbft start` child process.
export { COMETBFT_PACKAGE, COMETBFT_VERSION } from './version.ts';
export { cometbftBinary, installedVersion, runCometbft, toolsBinDir } from './binary.ts';
export type { RunCometbftOptions } from './binary.ts';
export { ensureCometbft, explainGoInstallFailure } from './install.ts';
export type { EnsureCometbftOptions, EnsureCometbftResult } from './install.ts';
export { initHome } from './home.ts';
export type { InitHomeOptions, InitHomeResult } from './home.ts';
export { configPath, configure, localSettings, peerAddress, readConfigValue, settingsToEdits } from './config.ts';
export type { CometbftSettings, LocalSettingsOptions } from './config.ts';
export { nodeId, readValidatorKey, validatorAddress } from './keys.ts';
export type { ValidatorKey } from './keys.ts';
export {
  MAX_CHAIN_ID_LENGTH,
  buildGenesis,
  defaultConsensusParams,
  formatGenesisTime,
  genesisPath,
  readGenesis,
  serializeGenesis,
  validateChainId,
  writeGenesis,
} from './genesis.ts';
export type { BuildGenesisOptions, ConsensusParamsJson, GenesisDoc, GenesisValidator, GenesisValidatorJson } from './genesis.ts';
export { rpcUrlFromLaddr, startCometbft } from './process.ts';
export type { CometbftProcess, StartCometbftOptions } from './process.ts';
export { rpcCall, status, waitForHeight } from './rpc.ts';
export type { NodeStatus, RpcOptions, WaitOptions } from './rpc.ts';
export { freePort, freePorts } from './ports.ts';
export * from './errors.ts';
