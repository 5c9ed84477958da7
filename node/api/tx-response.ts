// The SDK's TxResponse for a committed tx, built from its bytes, its FinalizeBlock result and its
// block's time: what the REST API answers from CometBFT's kv index and the explorer from the
// PostgreSQL one, so both read the same shape.
import type { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';

export interface CommittedTx {
  readonly height: bigint;
  readonly hash: string;
  readonly bytes: Uint8Array;
  readonly result: Pick<ExecTxResult, 'code' | 'codespace' | 'data' | 'log' | 'info' | 'gasWanted' | 'gasUsed' | 'events'>;
  /** RFC 3339; '' when unknown. */
  readonly time: string;
}

export function committedTxResponse(c: CommittedTx): { tx: Tx; txResponse: TxResponse } {
  const r = c.result;
  return {
    tx: Tx.decode(c.bytes),
    txResponse: {
      height: c.height,
      txhash: c.hash.toUpperCase(),
      codespace: r.codespace,
      code: r.code,
      data: Buffer.from(r.data).toString('hex').toUpperCase(),
      rawLog: r.log,
      logs: [],
      info: r.info,
      gasWanted: r.gasWanted,
      gasUsed: r.gasUsed,
      tx: { typeUrl: '/cosmos.tx.v1beta1.Tx', value: c.bytes },
      timestamp: c.time,
      events: r.events,
    },
  };
}
