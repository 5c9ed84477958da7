// The registry module: GPU operators and their bonds, GPU commitments, model and adapter
// manifests, serving offers, payer receipt keys and TEE attestations. See README.md.
import type { Module } from '../../core/framework/module.ts';
import type { GenesisState } from '../../proto/gen/cairn/registry/v1/genesis.ts';
import type { RegistryAccounts, RegistryBank } from './deps.ts';
import { registryGenesis } from './genesis.ts';
import type { RegistryKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { msgAddBond } from './msgs/add-bond.ts';
import { msgAuthorizePayerKey } from './msgs/authorize-payer-key.ts';
import { msgBeginUnbond } from './msgs/begin-unbond.ts';
import { msgCommitGpus } from './msgs/commit-gpus.ts';
import { msgDeprecateModel } from './msgs/deprecate-model.ts';
import { msgRegisterModel } from './msgs/register-model.ts';
import { msgReportForgedAttestation } from './msgs/report-forged-attestation.ts';
import { msgUnjailOperator } from './msgs/unjail-operator.ts';
import { msgRegisterOperator } from './msgs/register-operator.ts';
import { msgRevokePayerKey } from './msgs/revoke-payer-key.ts';
import { msgRotateReceiptKey } from './msgs/rotate-receipt-key.ts';
import { msgServeModel } from './msgs/serve-model.ts';
import { msgStopServing } from './msgs/stop-serving.ts';
import { msgSubmitAttestation } from './msgs/submit-attestation.ts';
import { msgUpdateModel } from './msgs/update-model.ts';
import { msgUpdateOperator } from './msgs/update-operator.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { registryQueries } from './queries.ts';
import { beginBlock, endBlock } from './block.ts';
import { checkRegistryInvariants } from './invariants.ts';

export { RegistryKeeper } from './keeper.ts';
export type { EvidenceLog, Punishment, PunishResult, RegistryApi, ReceiptKeyInfo } from './api.ts';
export { checkRegistryInvariants } from './invariants.ts';
export { BONDS_ACCOUNT } from './keys.ts';

export function registryModule(registry: RegistryKeeper, bank: RegistryBank, accounts: RegistryAccounts): Module<GenesisState> {
  return {
    name: keys.MODULE,
    consensusVersion: 1,
    genesis: registryGenesis(registry, bank, accounts),
    msgs: [
      msgRegisterOperator(registry, bank),
      msgUpdateOperator(registry),
      msgAddBond(registry, bank),
      msgBeginUnbond(registry),
      msgRotateReceiptKey(registry),
      msgCommitGpus(registry),
      msgRegisterModel(registry),
      msgUpdateModel(registry),
      msgDeprecateModel(registry),
      msgServeModel(registry),
      msgStopServing(registry),
      msgAuthorizePayerKey(registry),
      msgRevokePayerKey(),
      msgSubmitAttestation(registry),
      msgUpdateParams(registry),
      msgReportForgedAttestation(registry),
      msgUnjailOperator(registry),
    ],
    queries: registryQueries(registry),
    invariants: checkRegistryInvariants,
    beginBlock: (ctx) => beginBlock(registry, ctx),
    endBlock: (ctx) => endBlock(registry, ctx),
  };
}
