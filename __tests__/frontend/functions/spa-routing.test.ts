import { runInContext, createContext } from 'node:vm';
import { LIBRECHAT_SERVER_PATH_PREFIXES } from '../../../src/api/server-paths';
import {
  loadCloudfrontFunctionCode,
  pathPrefixAlternatives,
} from '../../../src/frontend/functions/function-code';

// Runs the function's file as CloudFront does: a plain script whose global `handler` receives a
// viewer-request event (cloudfront-js-2.0 event structure) and returns the request to forward.
const code = loadCloudfrontFunctionCode('spa-routing');
const sandbox = createContext({});
runInContext(code, sandbox, { filename: 'spa-routing.js' });
const handler = (sandbox as { handler: (event: unknown) => any }).handler;

function viewerRequest(uri: string, querystring: Record<string, { value: string }> = {}) {
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionId: 'EDFDVBD6EXAMPLE' },
    viewer: { ip: '198.51.100.7' },
    request: {
      method: 'GET',
      uri,
      querystring,
      headers: { host: { value: 'lambda-test.sandbox.data.apro.is' } },
      cookies: {},
    },
  };
}

describe('SPA routing CloudFront Function', () => {
  it('is a cloudfront-js script: a global handler, no module system, within the 10 KB limit', () => {
    expect(typeof handler).toBe('function');
    expect(code).not.toMatch(/\b(require|module\.exports|exports\.|import|export)\b/);
    expect(Buffer.byteLength(code)).toBeLessThan(10 * 1024);
  });

  it.each([
    // Client routes of the single-page app: index.html.
    ['/', '/index.html'],
    ['/c/new', '/index.html'],
    ['/c/3f2a9d1e-5b7c-4e8f-9a0b-1c2d3e4f5a6b', '/index.html'],
    ['/chat/123', '/index.html'],
    ['/login', '/index.html'],
    ['/search', '/index.html'],
    ['/d/agents/', '/index.html'],
    ['/share/abc123', '/index.html'],
    // Files: unchanged.
    ['/index.html', '/index.html'],
    ['/assets/index-abc.js', '/assets/index-abc.js'],
    ['/assets/index.BdE8x7Qz.js', '/assets/index.BdE8x7Qz.js'],
    ['/assets/fonts/Inter-SemiBold.woff2', '/assets/fonts/Inter-SemiBold.woff2'],
    ['/favicon.ico', '/favicon.ico'],
    ['/manifest.webmanifest', '/manifest.webmanifest'],
    ['/sw.js', '/sw.js'],
    ['/robots.txt', '/robots.txt'],
    // The API's paths, should they ever reach this behavior: unchanged, never index.html.
    ['/api/config', '/api/config'],
    ['/api/ask/openAI', '/api/ask/openAI'],
    ['/api', '/api'],
    ['/oauth/openid/callback', '/oauth/openid/callback'],
    // Only the /api and /oauth prefixes are the server's, not look-alike client routes.
    ['/apiary', '/index.html'],
  ])('%s -> %s', (uri, expected) => {
    expect(handler(viewerRequest(uri)).uri).toBe(expected);
  });

  it('leaves the query string, method, headers and cookies untouched', () => {
    const event = viewerRequest('/c/new', {
      endpoint: { value: 'openAI' },
      prompt: { value: 'a.b' },
    });
    const before = JSON.parse(JSON.stringify(event.request));
    const result = handler(event);
    expect(result).toEqual({ ...before, uri: '/index.html' });
    expect(result.querystring).toEqual({ endpoint: { value: 'openAI' }, prompt: { value: 'a.b' } });
  });
});

describe("the SPA routing function's server prefixes", () => {
  it('come from the stack list at load time: no placeholder is left, each prefix passes', () => {
    expect(code).not.toContain('__');
    for (const prefix of LIBRECHAT_SERVER_PATH_PREFIXES) {
      expect(handler(viewerRequest(`/${prefix}/x`)).uri).toBe(`/${prefix}/x`);
      expect(handler(viewerRequest(`/${prefix}`)).uri).toBe(`/${prefix}`);
      expect(handler(viewerRequest(`/${prefix}x/y`)).uri).toBe('/index.html');
    }
  });

  it('are escaped: a prefix is matched literally, never as a pattern', () => {
    const pattern = new RegExp(`^\\/(${pathPrefixAlternatives(['v1.0', 'a+b', 'x|y'])})(\\/|$)`);
    expect(pattern.test('/v1.0/q')).toBe(true);
    expect(pattern.test('/v1x0/q')).toBe(false);
    expect(pattern.test('/a+b/q')).toBe(true);
    expect(pattern.test('/aab/q')).toBe(false);
    expect(pattern.test('/x|y/q')).toBe(true);
    expect(pattern.test('/x/q')).toBe(false);
    // A backslash is escaped too (a slash is refused: it is not one path segment).
    expect(pathPrefixAlternatives(['a\\b'])).toBe('a\\\\b');
  });

  it('refuse what is not one path segment (a slash, a line break) or an empty list', () => {
    expect(() => pathPrefixAlternatives(['api/v1'])).toThrow('one path segment');
    expect(() => pathPrefixAlternatives(['api\n'])).toThrow('one path segment');
    expect(() => pathPrefixAlternatives([''])).toThrow('one path segment');
    expect(() => pathPrefixAlternatives([])).toThrow('no server path prefixes');
  });
});
