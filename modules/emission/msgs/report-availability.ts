// MsgReportAvailability: a bonded validator (or the reporter it named with MsgSetAvailabilityReporter)
// reports operators' uptime for the current epoch. Reports from non-validators, from a reporter the
// validator did not name, for another epoch, for unknown operators or malformed are refused whole.
// MsgSetAvailabilityReporter names (or, empty, removes) that reporter.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { EMISSION_TYPE_URLS, MAX_REPORTS } from '../../../sdk/emission/messages.ts';
import {
  MsgReportAvailability,
  MsgReportAvailabilityResponse,
  MsgSetAvailabilityReporter,
  MsgSetAvailabilityReporterResponse,
} from '../../../proto/gen/cairn/emission/v1/tx.ts';
import { ErrInvalidReport, ErrNotReporter, ErrNotValidator, ErrUnknownOperator, ErrWrongEpoch } from '../errors.ts';
import type { EmissionKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';

export function msgReportAvailability(k: EmissionKeeper): MsgHandler<MsgReportAvailability> {
  return {
    typeUrl: EMISSION_TYPE_URLS.MsgReportAvailability,
    decode: (bytes) => MsgReportAvailability.decode(bytes),
    signers: (msg) => [msg.reporter === '' ? msg.validator : msg.reporter],

    validate(msg, ctx) {
      ctx.addresses.decode(msg.validator);
      if (msg.reporter !== '') ctx.addresses.decode(msg.reporter);
      if (msg.reports.length === 0 || msg.reports.length > MAX_REPORTS) throw ErrInvalidReport.wrap(`${msg.reports.length} reports; 1 to ${MAX_REPORTS} per message`);
      const seen = new Set<string>();
      for (const r of msg.reports) {
        if (seen.has(r.operator)) throw ErrInvalidReport.wrap(`operator ${r.operator} reported twice`);
        seen.add(r.operator);
        ctx.addresses.decode(r.operator);
        if (!Number.isInteger(r.uptimeBps) || r.uptimeBps > 10_000) throw ErrInvalidReport.wrap(`uptime ${r.uptimeBps} bps for ${r.operator} exceeds 10000`);
      }
    },

    async execute(msg, ctx) {
      const { epoch } = await k.epochAt(ctx.store, ctx.block.height);
      if (msg.epoch !== epoch) throw ErrWrongEpoch.wrap(`report for epoch ${msg.epoch}, the current epoch is ${epoch}`);
      const validator = ctx.addresses.decode(msg.validator);
      if (msg.reporter !== '' && msg.reporter !== msg.validator) {
        const named = await keys.reporters.get(ctx.store, validator);
        if (named === undefined || !Buffer.from(named).equals(ctx.addresses.decode(msg.reporter))) {
          throw ErrNotReporter.wrap(`${msg.validator} has not named ${msg.reporter} its reporter (MsgSetAvailabilityReporter)`);
        }
      }
      if ((await k.deps.staking.lastValidatorPower(ctx.store, validator)) === 0n) throw ErrNotValidator.wrap(`${msg.validator} has no power in the current validator set`);
      for (const r of msg.reports) {
        const operator = ctx.addresses.decode(r.operator);
        if ((await k.deps.registry.getOperator(ctx.store, operator)) === undefined) throw ErrUnknownOperator.wrap(r.operator);
        keys.reports.set(ctx.store, [epoch, [operator, validator]], { epoch, operator: r.operator, validator: msg.validator, uptimeBps: r.uptimeBps, height: ctx.block.height });
      }
      ctx.events.emit('report_availability', { validator: msg.validator, reporter: msg.reporter || msg.validator, epoch: epoch.toString(), operators: String(msg.reports.length) });
      return msgResponse(EMISSION_TYPE_URLS.MsgReportAvailability, MsgReportAvailabilityResponse, {});
    },
  };
}

export function msgSetAvailabilityReporter(k: EmissionKeeper): MsgHandler<MsgSetAvailabilityReporter> {
  return {
    typeUrl: EMISSION_TYPE_URLS.MsgSetAvailabilityReporter,
    decode: (bytes) => MsgSetAvailabilityReporter.decode(bytes),
    signers: (msg) => [msg.validator],

    validate(msg, ctx) {
      ctx.addresses.decode(msg.validator);
      if (msg.reporter !== '') ctx.addresses.decode(msg.reporter);
    },

    async execute(msg, ctx) {
      const validator = ctx.addresses.decode(msg.validator);
      // Only a validator has reports to delegate; one that left the set keeps no delegation either.
      if ((await k.deps.staking.lastValidatorPower(ctx.store, validator)) === 0n) throw ErrNotValidator.wrap(`${msg.validator} has no power in the current validator set`);
      if (msg.reporter === '') keys.reporters.delete(ctx.store, validator);
      else keys.reporters.set(ctx.store, validator, ctx.addresses.decode(msg.reporter));
      ctx.events.emit('set_availability_reporter', { validator: msg.validator, reporter: msg.reporter });
      return msgResponse(EMISSION_TYPE_URLS.MsgSetAvailabilityReporter, MsgSetAvailabilityReporterResponse, {});
    },
  };
}
