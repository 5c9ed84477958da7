// The emission schedule, pure bigint arithmetic (see README.md "Schedule"):
//   year(e)          = ⌊e / epochs_per_year⌋
//   era(e)           = ⌊year(e) / halving_interval_years⌋
//   year_budget(era) = ⌊year0_budget / 2^era⌋
//   epoch_budget(e)  = ⌊year_budget(era(e)) / epochs_per_year⌋
// The remainder of each year's division (< epochs_per_year base units) is never scheduled.
import type { Params } from '../../proto/gen/cairn/emission/v1/types.ts';

/** Past this many halvings every budget is zero for any u128 year-0 budget. */
export const MAX_ERAS = 128n;

export function yearOf(epoch: bigint, p: Params): bigint {
  return epoch / p.epochsPerYear;
}

export function eraOf(epoch: bigint, p: Params): bigint {
  return yearOf(epoch, p) / BigInt(p.halvingIntervalYears);
}

export function yearBudget(era: bigint, p: Params): bigint {
  return era >= MAX_ERAS ? 0n : BigInt(p.year0Budget) >> era;
}

export function epochBudget(epoch: bigint, p: Params): bigint {
  return yearBudget(eraOf(epoch, p), p) / p.epochsPerYear;
}

/** The first epoch of the era after `epoch`'s: where the next halving takes effect. */
export function nextHalvingEpoch(epoch: bigint, p: Params): bigint {
  return (eraOf(epoch, p) + 1n) * BigInt(p.halvingIntervalYears) * p.epochsPerYear;
}

/** All the schedule can ever mint, summed over every era (it must fit under max_supply). */
export function scheduleTotal(p: Params): bigint {
  const epochsPerEra = BigInt(p.halvingIntervalYears) * p.epochsPerYear;
  let total = 0n;
  for (let era = 0n; era < MAX_ERAS; era++) {
    const perEpoch = yearBudget(era, p) / p.epochsPerYear;
    if (perEpoch === 0n) break;
    total += perEpoch * epochsPerEra;
  }
  return total;
}
