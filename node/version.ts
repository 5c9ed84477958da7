// What this binary is, as the node reports it: ABCI Info's data, version and app_version (the block
// protocol: CometBFT records it in every header), the node-info services and the REST API's OpenAPI.
export const APP_NAME = 'cairn';
export const APP_VERSION = 1n;
export const SOFTWARE_VERSION = '0.1.0';
