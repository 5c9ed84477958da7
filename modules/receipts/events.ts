// Event types the receipts module emits (every attribute a string, all indexed; amounts "100ucairn").
export const EVENTS = {
  depositEscrow: 'escrow_deposit',
  withdrawRequested: 'escrow_withdraw_requested',
  withdrawn: 'escrow_withdrawn',
  submitBatch: 'batch_submitted',
  sampleDrawn: 'batch_sample_drawn',
  revealReceipt: 'receipt_revealed',
  requestReceipt: 'receipt_requested',
  challenge: 'batch_challenged',
  fault: 'operator_fault',
  rejectBatch: 'batch_rejected',
  finalizeBatch: 'batch_finalized',
  epochRoots: 'receipts_epoch_roots',
  reserve: 'capacity_reserved',
  startReservation: 'reservation_started',
  completeReservation: 'reservation_completed',
  refusal: 'reservation_refused',
  updateParams: 'receipts_update_params',
} as const;

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
