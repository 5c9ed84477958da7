// Event types the registry emits (every attribute is a string and indexed). The README lists the
// attributes of each; amounts use the SDK's coin format ("100ucairn").
export const EVENTS = {
  registerOperator: 'register_operator',
  updateOperator: 'update_operator',
  addBond: 'add_bond',
  beginUnbond: 'begin_unbond',
  completeUnbonding: 'complete_unbonding',
  rotateReceiptKey: 'rotate_receipt_key',
  commitGpus: 'commit_gpus',
  registerModel: 'register_model',
  updateModel: 'update_model',
  deprecateModel: 'deprecate_model',
  serveModel: 'serve_model',
  stopServing: 'stop_serving',
  authorizePayerKey: 'authorize_payer_key',
  revokePayerKey: 'revoke_payer_key',
  submitAttestation: 'submit_attestation',
  updateParams: 'update_params',
  slashOperator: 'slash_operator',
  jailOperator: 'jail_operator',
  unjailOperator: 'unjail_operator',
  tombstoneOperator: 'tombstone_operator',
  forgedAttestation: 'forged_attestation',
} as const;

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
