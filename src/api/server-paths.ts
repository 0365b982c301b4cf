/**
 * Paths LibreChat's server answers (everything else is the web client): the API, and the OpenID
 * login flow (`/oauth/openid`, `/oauth/openid/callback`), which the browser visits directly.
 * The one list behind the REST API's resources, the distribution's API behaviors, the WAF's
 * large-body exemption and the SPA routing function's pass-through.
 */
export const LIBRECHAT_SERVER_PATH_PREFIXES = ['api', 'oauth'];
