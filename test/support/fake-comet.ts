// A stand-in for a CometBFT v0.38 JSON-RPC endpoint in front of a Cosmos-style app, just enough for
// the client commands: status, abci_info, the auth/bank/Simulate ABCI queries, broadcast_tx_sync
// (which really verifies the SIGN_MODE_DIRECT signature), tx and tx_search. Integration tests
// against a real node live in test/; this one lets the CLI's own tests run in milliseconds.
import { createServer } from 'node:http';
import { AUTH_TYPE_URLS } from '../../sdk/auth/messages.ts';
import { BANK_TYPE_URLS } from '../../sdk/bank/messages.ts';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Secp256k1, Secp256k1Signature, sha256 } from '@cosmjs/crypto';
import { fromBase64, fromHex, toBase64, toHex } from '@cosmjs/encoding';
import { makeSignBytes } from '@cosmjs/proto-signing';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';

export interface FakeAccount {
  accountNumber: bigint;
  sequence: bigint;
  balances: Array<{ denom: string; amount: string }>;
}

export interface TxOutcome {
  readonly code: number;
  readonly codespace?: string;
  readonly log?: string;
  readonly gasUsed?: bigint;
}

export interface DecodedTx {
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  readonly messages: MsgSend[];
}

export interface FakeCometOptions {
  readonly chainId?: string;
  /** CheckTx answer for a correctly signed tx; default code 0. */
  readonly checkTx?: (tx: DecodedTx) => TxOutcome;
  /** Block result; default success with 50000 gas. */
  readonly deliverTx?: (tx: DecodedTx) => TxOutcome;
  /** gas_used returned by Simulate. */
  readonly simulateGas?: bigint;
  /** A refusal Simulate answers with instead (code, codespace, log). */
  readonly simulateFails?: { readonly code: number; readonly codespace: string; readonly log: string };
  /** Total supply, served two coins per page. */
  readonly supply?: Array<{ denom: string; amount: string }>;
}

interface StoredTx {
  readonly hash: string;
  readonly height: number;
  readonly bytes: Uint8Array;
  readonly outcome: TxOutcome;
  readonly gasWanted: bigint;
}

export class FakeComet {
  readonly chainId: string;
  readonly accounts = new Map<string, FakeAccount>();
  /** Every tx that passed the signature check, decoded. */
  readonly received: DecodedTx[] = [];
  height = 10;
  #server: Server | undefined;
  #url = '';
  readonly #options: FakeCometOptions;
  readonly #txs = new Map<string, StoredTx>();

  constructor(options: FakeCometOptions = {}) {
    this.#options = options;
    this.chainId = options.chainId ?? 'cairn-test-1';
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const call = JSON.parse(body) as { id: number; method: string; params?: Record<string, unknown> };
        let reply: unknown;
        try {
          reply = { jsonrpc: '2.0', id: call.id, result: this.#handle(call.method, call.params ?? {}) };
        } catch (error) {
          reply = { jsonrpc: '2.0', id: call.id, error: { code: -32603, message: 'Internal error', data: (error as Error).message } };
        }
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #handle(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'status':
        return this.#status();
      case 'abci_info':
        return { response: { data: 'cairn', version: '0.1.0', app_version: '1', last_block_height: String(this.height), last_block_app_hash: toBase64(new Uint8Array(32).fill(7)) } };
      case 'abci_query':
        return { response: this.#query(String(params['path']), fromHex(String(params['data']))) };
      case 'broadcast_tx_sync':
        return this.#broadcast(fromBase64(String(params['tx'])));
      case 'tx': {
        const hash = toHex(fromBase64(String(params['hash']))).toUpperCase();
        const stored = this.#txs.get(hash);
        if (!stored) throw new Error(`tx (${hash}) not found`);
        return this.#txJson(stored);
      }
      case 'tx_search': {
        const match = /tx\.hash='([0-9A-F]+)'/i.exec(String(params['query']));
        const stored = match ? this.#txs.get((match[1] ?? '').toUpperCase()) : undefined;
        return { txs: stored ? [this.#txJson(stored)] : [], total_count: stored ? '1' : '0' };
      }
      default:
        throw new Error(`method ${method} not implemented by the fake`);
    }
  }

  #status(): unknown {
    return {
      node_info: {
        protocol_version: { p2p: '8', block: '11', app: '1' },
        id: 'ab'.repeat(20),
        listen_addr: 'tcp://127.0.0.1:26656',
        network: this.chainId,
        version: '0.38.25',
        channels: '40202122233038606100',
        moniker: 'fake-node',
        other: { tx_index: 'on', rpc_address: this.#url },
      },
      sync_info: {
        latest_block_hash: 'CD'.repeat(32),
        latest_app_hash: '07'.repeat(32),
        latest_block_height: String(this.height),
        latest_block_time: '2026-11-22T06:00:00.123456789Z',
        earliest_block_hash: 'EF'.repeat(32),
        earliest_app_hash: '01'.repeat(32),
        earliest_block_height: '1',
        earliest_block_time: '2026-11-22T05:00:00Z',
        catching_up: false,
      },
      validator_info: {
        address: '12'.repeat(20),
        pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(new Uint8Array(32).fill(3)) },
        voting_power: '10',
      },
    };
  }

  #query(path: string, data: Uint8Array): Record<string, unknown> {
    const ok = (value: Uint8Array): Record<string, unknown> => ({ code: 0, log: '', value: toBase64(value), height: String(this.height), codespace: '' });
    const fail = (code: number, log: string, codespace = 'sdk'): Record<string, unknown> => ({ code, log, value: '', height: String(this.height), codespace });
    switch (path) {
      case '/cosmos.auth.v1beta1.Query/Account': {
        const { address } = QueryAccountRequest.decode(data);
        const account = this.accounts.get(address);
        if (!account) return fail(22, `rpc error: code = NotFound desc = account ${address} not found: key not found`);
        const base = BaseAccount.fromPartial({ address, accountNumber: account.accountNumber, sequence: account.sequence });
        return ok(
          QueryAccountResponse.encode({ account: { typeUrl: AUTH_TYPE_URLS.BaseAccount, value: BaseAccount.encode(base).finish() } }).finish(),
        );
      }
      case '/cosmos.bank.v1beta1.Query/AllBalances': {
        const { address } = QueryAllBalancesRequest.decode(data);
        const balances = this.accounts.get(address)?.balances ?? [];
        return ok(QueryAllBalancesResponse.encode(QueryAllBalancesResponse.fromPartial({ balances })).finish());
      }
      case '/cosmos.bank.v1beta1.Query/TotalSupply': {
        const request = QueryTotalSupplyRequest.decode(data);
        const start = request.pagination?.key.length ? (request.pagination.key[0] ?? 0) : 0;
        const supply = this.#options.supply ?? [];
        const page = supply.slice(start, start + 2);
        const next = start + 2 < supply.length ? new Uint8Array([start + 2]) : new Uint8Array();
        return ok(QueryTotalSupplyResponse.encode(QueryTotalSupplyResponse.fromPartial({ supply: page, pagination: { nextKey: next } })).finish());
      }
      case '/cosmos.tx.v1beta1.Service/Simulate':
        if (this.#options.simulateFails !== undefined) return fail(this.#options.simulateFails.code, this.#options.simulateFails.log, this.#options.simulateFails.codespace);
        return ok(
          SimulateResponse.encode(
            SimulateResponse.fromPartial({ gasInfo: { gasWanted: 18446744073709551615n, gasUsed: this.#options.simulateGas ?? 60_000n }, result: {} }),
          ).finish(),
        );
      default:
        return fail(6, `unknown query path ${path}`);
    }
  }

  #broadcast(bytes: Uint8Array): unknown {
    const hash = toHex(sha256(bytes)).toUpperCase();
    const raw = TxRaw.decode(bytes);
    const body = TxBody.decode(raw.bodyBytes);
    const authInfo = AuthInfo.decode(raw.authInfoBytes);
    const messages = body.messages.map((any) => MsgSend.decode(any.value));
    const sender = this.accounts.get(messages[0]?.fromAddress ?? '');
    const signerInfo = authInfo.signerInfos[0];
    const refuse = (code: number, log: string): unknown => ({ code, data: '', log, codespace: 'sdk', hash });
    if (!sender || !signerInfo?.publicKey) return refuse(9, 'unknown address');
    if (signerInfo.sequence !== sender.sequence) return refuse(32, `account sequence mismatch, expected ${sender.sequence}, got ${signerInfo.sequence}`);
    const pubkey = PubKey.decode(signerInfo.publicKey.value).key;
    const signBytes = makeSignBytes({ bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, chainId: this.chainId, accountNumber: sender.accountNumber });
    const signature = raw.signatures[0] ?? new Uint8Array();
    if (signature.length !== 64 || !Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(signature), sha256(signBytes), pubkey)) {
      return refuse(4, 'signature verification failed; please verify account number, sequence and chain-id');
    }
    const decoded = { body, authInfo, messages };
    this.received.push(decoded);
    const check = this.#options.checkTx?.(decoded) ?? { code: 0 };
    if (check.code !== 0) return { code: check.code, data: '', log: check.log ?? '', codespace: check.codespace ?? 'sdk', hash };
    sender.sequence += 1n;
    const outcome = this.#options.deliverTx?.(decoded) ?? { code: 0, gasUsed: 50_000n };
    this.height += 1;
    this.#txs.set(hash, { hash, height: this.height, bytes, outcome, gasWanted: authInfo.fee?.gasLimit ?? 0n });
    return { code: 0, data: '', log: '', codespace: '', hash };
  }

  #txJson(stored: StoredTx): unknown {
    const ok = stored.outcome.code === 0;
    return {
      hash: stored.hash,
      height: String(stored.height),
      index: 0,
      tx: toBase64(stored.bytes),
      tx_result: {
        code: stored.outcome.code,
        codespace: stored.outcome.codespace ?? (ok ? '' : 'sdk'),
        log: stored.outcome.log ?? '',
        data: '',
        gas_wanted: String(stored.gasWanted),
        gas_used: String(stored.outcome.gasUsed ?? 40_000n),
        events: ok ? [{ type: 'message', attributes: [{ key: 'action', value: BANK_TYPE_URLS.MsgSend, index: true }] }] : [],
      },
    };
  }
}
