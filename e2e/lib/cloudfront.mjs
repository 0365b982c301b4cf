// The site's CloudFront distribution on a loopback port, for the browser: the default behavior
// serves the built web client from the "bucket" (a directory) after the project's SPA routing
// function (run in a `vm`, with CloudFront's event shape) and adds the project's security
// headers; /api/* and /oauth/* become API Gateway events for the function and stream back as
// the handler writes them.
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { checkPayload, proxyEvent } from './apigw.mjs';
import { REPO } from './lambda-env.mjs';

const require = createRequire(import.meta.url);
const mime = require('mime-types');

// The app as compiled by run.mjs (scripts/build-app.js): the SPA routing function as the stack
// loads it, and the server path prefixes of the distribution's API behaviors.
const APP = path.join(REPO, 'build', 'src');
const { loadCloudfrontFunctionCode, pathPrefixAlternatives } = require(
  path.join(APP, 'frontend', 'functions', 'function-code.js'),
);
const { LIBRECHAT_SERVER_PATH_PREFIXES } = require(path.join(APP, 'api', 'server-paths.js'));
// The distribution's API behaviors (src/api/api-distribution-route.ts): /<prefix>/*.
const API_PATH = new RegExp(`^\\/(${pathPrefixAlternatives(LIBRECHAT_SERVER_PATH_PREFIXES)})\\/`);
const DISTRIBUTION = path.join(REPO, 'src', 'frontend', 'frontend-distribution.ts');

/**
 * The headers the default behavior's response headers policy adds, read from the project's
 * construct (src/frontend/frontend-distribution.ts) so that the browser sees what the
 * distribution would send.
 */
export function securityHeaders(file = DISTRIBUTION) {
  const src = readFileSync(file, 'utf8');
  const pick = (re, what) => {
    const m = re.exec(src);
    if (!m) throw new Error(`${file}: could not find ${what} in the security headers policy`);
    return m[1];
  };
  const maxAge = pick(
    /accessControlMaxAgeSec:\s*(\d+)/,
    'strictTransportSecurity.accessControlMaxAgeSec',
  );
  const subdomains = /includeSubdomains:\s*true/.test(src) ? '; includeSubDomains' : '';
  return {
    'strict-transport-security': `max-age=${maxAge}${subdomains}`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': pick(/frameOption:\s*'([A-Z]+)'/, 'frameOptions.frameOption'),
    'referrer-policy': pick(/referrerPolicy:\s*'([a-z-]+)'/, 'referrerPolicy.referrerPolicy'),
  };
}
const SECURITY_HEADERS = securityHeaders();

/** The SPA routing function as CloudFront runs it (cloudfront-js-2.0: a bare `handler`). */
export function loadViewerRequestFunction() {
  const context = vm.createContext({});
  const code = loadCloudfrontFunctionCode('spa-routing');
  vm.runInContext(`${code}\n;globalThis.__handler = handler;`, context, {
    filename: 'spa-routing.js',
  });
  return (event) => context.__handler(event);
}

function cloudFrontEvent(req, url) {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers))
    headers[k] = { value: Array.isArray(v) ? v.join(',') : v };
  const querystring = {};
  for (const [k, v] of url.searchParams) querystring[k] = { value: v };
  return {
    version: '1.0',
    context: {
      distributionDomainName: 'd111111abcdef8.cloudfront.net',
      distributionId: 'EDFDVBD6EXAMPLE',
      eventType: 'viewer-request',
      requestId: 'e2e',
    },
    viewer: { ip: '203.0.113.9' },
    request: { method: req.method, uri: url.pathname, querystring, headers, cookies: {} },
  };
}

export class CloudFront {
  /**
   * @param {{ bucketDir: string, fleet: import('./lambda-env.mjs').Fleet, origin: {header:string,value:string} }} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.viewerRequest = loadViewerRequestFunction();
    this.server = http.createServer(
      (req, res) => void this.route(req, res).catch((err) => this.fail(res, err)),
    );
    /** Every API request: { method, path, status, environment }. */
    this.apiLog = [];
  }

  async start(port = 0) {
    await new Promise((r) => this.server.listen(port, '127.0.0.1', r));
    this.port = this.server.address().port;
  }

  get url() {
    return `http://localhost:${this.port}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(() => r()));
  }

  fail(res, err) {
    this.errors = [...(this.errors ?? []), String(err?.stack ?? err)];
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end();
  }

  async route(req, res) {
    const url = new URL(req.url, 'http://localhost');
    if (API_PATH.test(url.pathname)) return this.api(req, res, url);
    return this.bucket(req, res, url);
  }

  bucket(req, res, url) {
    const out = this.viewerRequest(cloudFrontEvent(req, url));
    if (out.statusCode !== undefined) {
      // The function answered itself (a viewer-request function may return a response).
      const h = Object.fromEntries(Object.entries(out.headers ?? {}).map(([k, v]) => [k, v.value]));
      res.writeHead(out.statusCode, h);
      res.end(out.body?.data ?? out.body ?? '');
      return;
    }
    const key = decodeURIComponent(out.uri).replace(/^\/+/, '');
    const file = path.resolve(this.opts.bucketDir, key);
    let stat;
    try {
      stat = file.startsWith(this.opts.bucketDir + path.sep) ? statSync(file) : undefined;
    } catch {
      stat = undefined;
    }
    if (!stat?.isFile()) {
      // S3 through origin access control without ListBucket answers 403 for a missing key.
      res.writeHead(403, { 'content-type': 'application/xml', ...SECURITY_HEADERS });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      );
      return;
    }
    res.writeHead(200, {
      'content-type': mime.contentType(path.extname(file)) || 'application/octet-stream',
      'content-length': stat.size,
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  }

  async api(req, res, url) {
    const parts = [];
    for await (const c of req) parts.push(c);
    const headers = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i];
      (headers[name] ??= []).push(req.rawHeaders[i + 1]);
    }
    const event = proxyEvent({
      method: req.method,
      url: url.pathname + url.search,
      headers,
      body: Buffer.concat(parts),
      origin: this.opts.origin,
    });
    const entry = { method: req.method, path: url.pathname, status: 0 };
    this.apiLog.push(entry);
    try {
      checkPayload(event);
    } catch (err) {
      entry.status = 413;
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(err.message) }));
      return;
    }
    const head = (inv) => {
      if (res.headersSent) return;
      const p = inv.prelude ?? { statusCode: 502 };
      entry.status = p.statusCode;
      entry.environment = inv.environment;
      const h = { ...(p.headers ?? {}), ...(p.multiValueHeaders ?? {}) };
      if (p.cookies?.length) h['set-cookie'] = p.cookies;
      res.writeHead(p.statusCode, h);
      res.flushHeaders();
    };
    const inv = await this.opts.fleet.invoke(event, {
      observer: {
        prelude: head,
        body: (i, chunk) => {
          head(i);
          res.write(chunk);
        },
        end: (i) => {
          head(i);
          res.end();
        },
      },
    });
    entry.environment = inv.environment;
    // An invocation that failed without a response (a crash): API Gateway answers 502.
    if (!res.headersSent) head(inv);
    if (!res.writableEnded) res.end();
  }
}
