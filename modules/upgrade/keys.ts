// upgrade state layout under "upgrade/": the one scheduled plan, and the height each applied plan ran at.
import { Plan } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import { Item, Map, lastStringKey, protoCodec, u64Value } from '../../core/framework/collections.ts';

export const MODULE = 'upgrade';

const PREFIX = new TextEncoder().encode('upgrade/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);

/** The scheduled plan, until it is applied or cancelled. */
export const plan = new Item(key(0x01), protoCodec(Plan));
/** plan name → the height its handler ran at. */
export const done = new Map(key(0x02), lastStringKey, u64Value);
