// The royalty module's message types for a CosmJS Registry.
import type { GeneratedType } from '@cosmjs/proto-signing';
import { MsgUpdateParams } from '../../proto/gen/cairn/royalty/v1/tx.ts';

export const ROYALTY_PACKAGE = 'cairn.royalty.v1';

export const royaltyTypes: ReadonlyArray<[string, GeneratedType]> = [[`/${ROYALTY_PACKAGE}.MsgUpdateParams`, MsgUpdateParams as unknown as GeneratedType]];
