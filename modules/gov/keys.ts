// gov state layout under "gov/": params, the next proposal id, proposals by id, the two queues of
// proposals waiting for a deadline (by end time in ms, then id, so byte order is deadline order and
// the end block walks them deterministically), and deposits and votes by (proposal id, address).
import { Deposit, Params, Proposal, Vote } from 'cosmjs-types/cosmos/gov/v1/gov';
import { Item, Map, lengthPrefixedBytes, marker, pairKey, protoCodec, u64Key, u64Value } from '../../core/framework/collections.ts';

export const MODULE = 'gov';

const PREFIX = new TextEncoder().encode('gov/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);
const byId = <T>(codec: { encode(v: T): Uint8Array; decode(b: Uint8Array): T }) => pairKey(u64Key, codec, () => 8);

export const params = new Item(key(0x01), protoCodec(Params));
/** The id the next proposal gets (the SDK's ProposalID sequence; genesis' starting_proposal_id). */
export const nextProposalId = new Item(key(0x02), u64Value);
export const constitution = new Item(key(0x03), { encode: (v: string) => new TextEncoder().encode(v), decode: (b: Uint8Array) => new TextDecoder().decode(b) });
export const proposals = new Map(key(0x10), u64Key, protoCodec(Proposal));
/** (deposit end time in ms, id) of proposals in their deposit period. */
export const inactiveQueue = new Map(key(0x11), byId(u64Key), marker);
/** (voting end time in ms, id) of proposals in their voting period. */
export const activeQueue = new Map(key(0x12), byId(u64Key), marker);
/** (proposal id, depositor) → what that depositor has put in. */
export const deposits = new Map(key(0x20), byId(lengthPrefixedBytes), protoCodec(Deposit));
/** (proposal id, voter) → the voter's (weighted) vote. */
export const votes = new Map(key(0x21), byId(lengthPrefixedBytes), protoCodec(Vote));
