/**
 * LibreChat settings for running inside Lambda, set on the function unless the environment
 * file (`librechat.environment`) or a secret gives the variable itself. Each name was checked
 * against LibreChat v0.8.2-rc1's source; docs/librechat-in-lambda.md cites where it is read.
 */
export const LIBRECHAT_RUNTIME_PROFILE: Readonly<Record<string, string>> = {
  // The full Meilisearch sync started at every cold start would freeze half-done.
  MEILI_NO_SYNC: 'true',
  // Debug log files (the default) fill /tmp; console lines go to CloudWatch.
  DEBUG_LOGGING: 'false',
  // One JSON object per console line: searchable in CloudWatch Logs Insights.
  CONSOLE_JSON: 'true',
  // Every environment opens its own pool and serves one request at a time.
  MONGO_MAX_POOL_SIZE: '5',
  // A frozen leader cannot renew its 25 s lease; the next cold start would take over and wipe
  // the shared MCP registry. Seconds.
  LEADER_LEASE_DURATION: '3600',
  // uv (in the image for MCP servers) caches under $HOME otherwise: /tmp is the writable place.
  UV_CACHE_DIR: '/tmp/uv-cache',
};
