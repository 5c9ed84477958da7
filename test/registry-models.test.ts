// Model and adapter manifests, their version chains, and the offers operators make to serve them.
import { beforeEach, describe, expect, it } from 'vitest';
import * as E from '../modules/registry/errors.ts';
import {
  QueryAdaptersRequest,
  QueryAdaptersResponse,
  QueryModelRequest,
  QueryModelResponse,
  QueryModelServersRequest,
  QueryModelServersResponse,
  QueryModelVersionsRequest,
  QueryModelVersionsResponse,
  QueryOperatorServesRequest,
  QueryOperatorServesResponse,
} from '../proto/gen/cairn/registry/v1/query.ts';
import { MsgRegisterModelResponse } from '../proto/gen/cairn/registry/v1/tx.ts';
import { type Model, ModelKind } from '../proto/gen/cairn/registry/v1/types.ts';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { RegistryChain, contentHash, msgs } from './support/registry.ts';

let rc: RegistryChain;
let op: string;
let author: string;
let other: string;
const w = (i: number) => rc.wallets[i]!;
const [OP, OTHER, AUTHOR] = [0, 1, 2];

async function model(id: string): Promise<Model> {
  return (await rc.query('Model', QueryModelRequest, QueryModelResponse, { id })).model!;
}

beforeEach(async () => {
  rc = await RegistryChain.start({ params: { max_royalty_bps: 1000, max_royalty_recipients: 3, max_served_models: 2 } });
  [op, other, author] = [w(OP).address, w(OTHER).address, w(AUTHOR).address];
});

describe('MsgRegisterModel', () => {
  it('registers a base model with its weights hash, license, evals and royalty terms', async () => {
    const r = await rc.ok(w(AUTHOR), msgs.registerModel(author, 'llama-3.1-8b', { recipients: [{ address: author, weightBps: 7000 }, { address: other, weightBps: 3000 }] }));
    const response = MsgRegisterModelResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value);
    expect(response).toEqual({ id: 'llama-3.1-8b', version: 1n });
    expect(await model('llama-3.1-8b')).toMatchObject({
      id: 'llama-3.1-8b',
      kind: ModelKind.MODEL_KIND_BASE,
      author,
      contentHash: contentHash('llama-3.1-8b'),
      license: 'Apache-2.0',
      royaltyBps: 500,
      recipients: [{ address: author, weightBps: 7000 }, { address: other, weightBps: 3000 }],
      version: 1n,
      family: 'llama-3.1-8b',
      deprecated: false,
      registeredHeight: rc.height,
    });
  });

  it('registers an adapter of a base model and lists it among the base model\'s adapters', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'base'));
    await rc.ok(w(OTHER), msgs.registerAdapter(other, 'base/legal-lora', 'base', { recipients: [{ address: other, weightBps: 5000 }, { address: author, weightBps: 5000 }] }));
    expect(await model('base/legal-lora')).toMatchObject({ kind: ModelKind.MODEL_KIND_ADAPTER, baseModelId: 'base', author: other });
    const adapters = await rc.query('Adapters', QueryAdaptersRequest, QueryAdaptersResponse, QueryAdaptersRequest.fromPartial({ baseModelId: 'base' }));
    expect(adapters.adapters.map((m) => m.id)).toEqual(['base/legal-lora']);
  });

  it('refuses an adapter whose base model does not exist', async () => {
    await rc.expectRefused(w(AUTHOR), msgs.registerAdapter(author, 'lora', 'missing'), E.ErrBaseModelNotFound, 'missing');
  });

  it('refuses an adapter of an adapter', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'base'));
    await rc.ok(w(AUTHOR), msgs.registerAdapter(author, 'lora', 'base'));
    await rc.expectRefused(w(AUTHOR), msgs.registerAdapter(author, 'lora-on-lora', 'lora'), E.ErrBaseModelIsAdapter, 'adapters do not stack');
  });

  it('refuses an adapter of a deprecated base model', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'base'));
    await rc.ok(w(AUTHOR), msgs.deprecateModel(author, 'base'));
    await rc.expectRefused(w(OTHER), msgs.registerAdapter(other, 'lora', 'base'), E.ErrModelDeprecated, 'base model base');
  });

  it('refuses an inconsistent kind and base model', async () => {
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { baseModelId: 'x' }), E.ErrInvalidModelKind, 'a base model has no base_model_id');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { kind: ModelKind.MODEL_KIND_ADAPTER }), E.ErrInvalidModelKind, 'needs base_model_id');
    await rc.expectRefused(w(AUTHOR), msgs.registerAdapter(author, 'm', 'm'), E.ErrInvalidModelKind, 'its own base');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { kind: ModelKind.MODEL_KIND_UNSPECIFIED }), E.ErrInvalidModelKind);
  });

  it('refuses a royalty above max_royalty_bps', async () => {
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { royaltyBps: 1001 }), E.ErrRoyaltyTooHigh, 'royalty_bps 1001 > max_royalty_bps 1000');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { royaltyBps: 10_001 }), E.ErrRoyaltyTooHigh);
  });

  it('refuses recipient weights that do not sum to 10000', async () => {
    const r = (weights: number[]) => weights.map((weightBps, i) => ({ address: rc.wallets[i]!.address, weightBps }));
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { recipients: r([5000, 4999]) }), E.ErrInvalidRecipients, 'add up to 9999, not 10000');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { recipients: r([5000, 5001]) }), E.ErrInvalidRecipients, 'add up to 10001');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { recipients: r([10_000, 0]) }), E.ErrInvalidRecipients, 'weight_bps 0');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { recipients: [] }), E.ErrInvalidRecipients, 'at least one recipient');
    await rc.expectRefused(
      w(AUTHOR),
      msgs.registerModel(author, 'm', { recipients: [{ address: author, weightBps: 5000 }, { address: author, weightBps: 5000 }] }),
      E.ErrInvalidRecipients,
      'listed twice',
    );
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { recipients: r([2500, 2500, 2500, 2500]) }), E.ErrInvalidRecipients, 'max_royalty_recipients is 3');
  });

  it('accepts no recipients for a model without royalty', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'free', { royaltyBps: 0, recipients: [] }));
    expect((await model('free')).recipients).toEqual([]);
  });

  it('refuses a license that is not an SPDX id, and suggests the right case', async () => {
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { license: 'apache-2.0' }), E.ErrInvalidLicense, 'did you mean Apache-2.0?');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { license: 'Apache 2' }), E.ErrInvalidLicense);
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { license: '' }), E.ErrInvalidLicense);
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm', { license: 'LicenseRef-Llama-3-Community' }));
  });

  it('refuses malformed ids, content hashes and evals', async () => {
    for (const id of ['Upper', 'a b', '-lead', 'trail-', 'a--b', '', 'x'.repeat(129)]) {
      await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, id, { contentHash: contentHash('ok') }), E.ErrInvalidModelId);
    }
    for (const hash of ['sha256:abc', 'md5:' + '0'.repeat(32), 'sha256:' + 'G'.repeat(64), '']) {
      await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { contentHash: hash }), E.ErrInvalidContentHash);
    }
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { evals: [{ name: 'mmlu', hash: new Uint8Array(31), uri: 'https://e.example' }] }), E.ErrInvalidEval, 'sha256 has 32');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm', { evals: [{ name: 'mmlu', hash: new Uint8Array(32), uri: 'http://e.example' }] }), E.ErrInvalidEval);
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm', { evals: [{ name: 'mmlu', hash: new Uint8Array(32), uri: 'ipfs://bafyreport/mmlu.json' }] }));
  });

  it('refuses an id or a weights hash that is already registered', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm'));
    await rc.expectRefused(w(OTHER), msgs.registerModel(other, 'm', { contentHash: contentHash('other') }), E.ErrModelExists);
    await rc.expectRefused(w(OTHER), msgs.registerModel(other, 'copy', { contentHash: contentHash('m') }), E.ErrDuplicateContentHash, 'is model m');
  });

  it('chains versions: a new version names its predecessor, which learns its successor', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm-v1'));
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm-v2', { previousVersion: 'm-v1' }));
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm-v3', { previousVersion: 'm-v2' }));
    expect(await model('m-v1')).toMatchObject({ nextVersion: 'm-v2', version: 1n });
    expect(await model('m-v3')).toMatchObject({ previousVersion: 'm-v2', version: 3n, family: 'm-v1' });
    const versions = await rc.query('ModelVersions', QueryModelVersionsRequest, QueryModelVersionsResponse, { id: 'm-v2', pagination: undefined });
    expect(versions.versions.map((m) => m.id)).toEqual(['m-v1', 'm-v2', 'm-v3']);
  });

  it('refuses a version chain that forks, crosses authors or kinds, or names a missing predecessor', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm-v1'));
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm-v2', { previousVersion: 'm-v1' }));
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm-v2b', { previousVersion: 'm-v1' }), E.ErrInvalidVersion, 'already has a next version, m-v2');
    await rc.expectRefused(w(OTHER), msgs.registerModel(other, 'theirs', { previousVersion: 'm-v2' }), E.ErrNotAuthor);
    await rc.expectRefused(w(AUTHOR), msgs.registerAdapter(author, 'lora', 'm-v1', { previousVersion: 'm-v2' }), E.ErrInvalidVersion, 'another kind');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'm-v9', { previousVersion: 'nope' }), E.ErrInvalidVersion, 'does not exist');
    await rc.expectRefused(w(AUTHOR), msgs.registerModel(author, 'self', { previousVersion: 'self' }), E.ErrInvalidVersion);
  });
});

describe('MsgUpdateModel', () => {
  it('lets the author replace the license, evals and royalty terms', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm'));
    await rc.ok(w(AUTHOR), msgs.updateModel(author, 'm', { royaltyBps: 900, recipients: [{ address: other, weightBps: 10_000 }] }));
    expect(await model('m')).toMatchObject({ license: 'MIT', evals: [], royaltyBps: 900, recipients: [{ address: other, weightBps: 10_000 }], updatedHeight: rc.height });
  });

  it('refuses an update by anyone but the author', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm'));
    await rc.expectRefused(w(OTHER), msgs.updateModel(other, 'm'), E.ErrNotAuthor, `m belongs to ${author}`);
  });

  it('refuses bad terms, a missing model and a deprecated one', async () => {
    await rc.expectRefused(w(AUTHOR), msgs.updateModel(author, 'm'), E.ErrModelNotFound);
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm'));
    await rc.expectRefused(w(AUTHOR), msgs.updateModel(author, 'm', { royaltyBps: 2000 }), E.ErrRoyaltyTooHigh);
    await rc.expectRefused(w(AUTHOR), msgs.updateModel(author, 'm', { license: 'GPL' }), E.ErrInvalidLicense);
    await rc.expectRefused(w(AUTHOR), msgs.updateModel(author, 'm', { recipients: [{ address: author, weightBps: 9000 }] }), E.ErrInvalidRecipients);
    await rc.ok(w(AUTHOR), msgs.deprecateModel(author, 'm'));
    await rc.expectRefused(w(AUTHOR), msgs.updateModel(author, 'm'), E.ErrModelDeprecated);
  });
});

describe('MsgDeprecateModel', () => {
  it('marks the model deprecated for good; only the author may, and only once', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'm'));
    await rc.expectRefused(w(OTHER), msgs.deprecateModel(other, 'm'), E.ErrNotAuthor);
    await rc.ok(w(AUTHOR), msgs.deprecateModel(author, 'm'));
    expect(await model('m')).toMatchObject({ deprecated: true, deprecatedHeight: rc.height });
    await rc.expectRefused(w(AUTHOR), msgs.deprecateModel(author, 'm'), E.ErrModelDeprecated, 'already deprecated');
    await rc.expectRefused(w(AUTHOR), msgs.deprecateModel(author, 'gone'), E.ErrModelNotFound);
  });
});

describe('MsgServeModel and MsgStopServing', () => {
  beforeEach(async () => {
    await rc.ok(w(OP), msgs.registerOperator(op, 1));
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'base'));
    await rc.ok(w(AUTHOR), msgs.registerAdapter(author, 'lora', 'base'));
  });

  async function servers(modelId: string) {
    return (await rc.query('ModelServers', QueryModelServersRequest, QueryModelServersResponse, { modelId, pagination: undefined })).servers;
  }

  it('declares, re-prices and withdraws offers', async () => {
    await rc.ok(w(OP), msgs.serveModel(op, 'base', 3n));
    const since = rc.height;
    await rc.ok(w(OP), msgs.serveModel(op, 'lora', 5n));
    expect((await servers('base')).map((s) => [s.offer!.operator, s.offer!.pricePerUnit!.amount, s.moniker])).toEqual([[op, '3', 'gpu-farm']]);
    await rc.ok(w(OP), msgs.serveModel(op, 'base', 2n));
    expect((await servers('base'))[0]!.offer).toMatchObject({ pricePerUnit: { amount: '2' }, sinceHeight: since });
    const serves = await rc.query('OperatorServes', QueryOperatorServesRequest, QueryOperatorServesResponse, { operator: op, pagination: undefined });
    expect(serves.offers.map((o) => o.modelId)).toEqual(['base', 'lora']);
    await rc.ok(w(OP), msgs.stopServing(op, 'base'));
    expect(await servers('base')).toEqual([]);
  });

  it('refuses to serve a missing or deprecated model, at a price in another denom, or from a non-operator', async () => {
    await rc.expectRefused(w(OP), msgs.serveModel(op, 'nope', 1n), E.ErrModelNotFound);
    await rc.expectRefused(w(OP), msgs.serveModel(op, 'base', 1n, 'uusdc'), E.ErrInvalidPrice, 'prices are in ucairn');
    await rc.expectRefused(w(OP), msgs.serveModel(op, 'base', 0n), E.ErrInvalidPrice, 'must be positive');
    await rc.expectRefused(w(OTHER), msgs.serveModel(other, 'base', 1n), E.ErrOperatorNotFound);
    await rc.ok(w(AUTHOR), msgs.deprecateModel(author, 'lora'));
    await rc.expectRefused(w(OP), msgs.serveModel(op, 'lora', 1n), E.ErrModelDeprecated);
  });

  it('refuses more offers than max_served_models, and stopping an offer that does not exist', async () => {
    await rc.ok(w(AUTHOR), msgs.registerModel(author, 'third'));
    await rc.ok(w(OP), msgs.serveModel(op, 'base', 1n));
    await rc.ok(w(OP), msgs.serveModel(op, 'lora', 1n));
    await rc.expectRefused(w(OP), msgs.serveModel(op, 'third', 1n), E.ErrTooManyServedModels);
    await rc.ok(w(OP), msgs.serveModel(op, 'lora', 4n));
    await rc.expectRefused(w(OP), msgs.stopServing(op, 'third'), E.ErrNotServing);
  });
});
