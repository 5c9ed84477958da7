// License ids a model may declare. This is a bundled subset of the SPDX License List (the ids
// model and dataset authors actually use), not the whole list: a license missing here can still be
// declared the way SPDX itself provides, as "LicenseRef-<name>" (e.g. LicenseRef-Llama-3-Community).
export const SPDX_IDS: readonly string[] = [
  '0BSD',
  'AFL-3.0',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'Apache-2.0',
  'Artistic-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'BSD-3-Clause-Clear',
  'BSL-1.0',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC-BY-NC-4.0',
  'CC-BY-NC-ND-4.0',
  'CC-BY-NC-SA-4.0',
  'CC-BY-ND-4.0',
  'CC-BY-SA-3.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'CDDL-1.0',
  'CDLA-Permissive-1.0',
  'CDLA-Permissive-2.0',
  'CDLA-Sharing-1.0',
  'ECL-2.0',
  'EPL-1.0',
  'EPL-2.0',
  'EUPL-1.1',
  'EUPL-1.2',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'ISC',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'LPPL-1.3c',
  'MIT',
  'MIT-0',
  'MPL-2.0',
  'MS-PL',
  'NCSA',
  'ODbL-1.0',
  'ODC-By-1.0',
  'OFL-1.1',
  'OSL-3.0',
  'PDDL-1.0',
  'PostgreSQL',
  'Python-2.0',
  'Unlicense',
  'UPL-1.0',
  'WTFPL',
  'Zlib',
];

const BY_LOWER = new Map(SPDX_IDS.map((id) => [id.toLowerCase(), id]));
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]{1,64}$/;

export type SpdxCheck = { readonly ok: true } | { readonly ok: false; readonly suggestion?: string };

/** An exact SPDX id from the bundled list, or LicenseRef-<name>; a wrong case gets a suggestion. */
export function checkSpdxId(id: string): SpdxCheck {
  if (BY_LOWER.get(id.toLowerCase()) === id || LICENSE_REF.test(id)) return { ok: true };
  const suggestion = BY_LOWER.get(id.toLowerCase());
  return suggestion === undefined ? { ok: false } : { ok: false, suggestion };
}
