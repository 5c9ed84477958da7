// What every module's query handlers answer for a missing record or a bad argument: the gRPC status
// text the SDK produces, because CosmJS recognises a missing account by "rpc error: code = NotFound".
import type { QueryContext } from './context.ts';
import { ErrInvalidRequest, ErrKeyNotFound } from './sdk-errors.ts';

export function notFound(what: string): Error {
  return ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = ${what}`);
}

export function invalidArgument(what: string): Error {
  return ErrInvalidRequest.wrap(`rpc error: code = InvalidArgument desc = ${what}`);
}

export function decodeAddressArg(address: string, ctx: QueryContext): Uint8Array {
  if (address === '') throw invalidArgument('empty address string is not allowed');
  try {
    return ctx.addresses.decode(address);
  } catch (err) {
    throw invalidArgument((err as Error).message);
  }
}

/** A validator operator address argument (cairnvaloper1…). */
export function decodeValoperArg(address: string, ctx: QueryContext): Uint8Array {
  if (address === '') throw invalidArgument('empty validator address');
  try {
    return ctx.addresses.decode(address, ctx.addresses.validatorPrefix);
  } catch (err) {
    throw invalidArgument((err as Error).message);
  }
}
