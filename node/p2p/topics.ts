// Names on the wire. The chain id is part of every name so two chains never share a mesh.

export function receiptsTopic(chainId: string): string {
  return `cairn/${chainId}/receipts/1`;
}

export function attestationsTopic(chainId: string): string {
  return `cairn/${chainId}/attestations/1`;
}

/** Request/response protocol that fetches a stored batch by its root. */
export function fetchProtocol(chainId: string): string {
  return `/cairn/${chainId}/batch-fetch/1`;
}
