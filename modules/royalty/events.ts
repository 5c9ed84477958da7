// Event types the royalty module emits (attributes are strings, all indexed; amounts like "100ucairn").
export const EVENTS = {
  /** batch_id, mode (escrow|offchain), total, fee_burned, fee_treasury, royalties, operator_amount */
  split: 'royalty_split',
  /** recipient, model_id, amount, kind (paid|owed), batch_id */
  royalty: 'royalty',
  /** epoch, root (hex), recipients, paid, owed */
  epochRoot: 'royalty_epoch_root',
  updateParams: 'royalty_update_params',
} as const;
