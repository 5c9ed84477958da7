// Event types of the emission module (every attribute is indexed).
export const EVENTS = {
  epoch: 'emission_epoch',
  reward: 'emission_reward',
  reputationRoot: 'reputation_root',
  updateParams: 'emission_update_params',
} as const;
