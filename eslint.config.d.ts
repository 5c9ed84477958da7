// Types for what test/layout.test.ts reads from eslint.config.js.
export declare const FLOORS: readonly (readonly string[])[];
declare const config: unknown;
export default config;
