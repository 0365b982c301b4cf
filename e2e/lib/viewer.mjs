// A browser as the API sees it: sends requests through CloudFront and API Gateway (as events)
// to an environment, keeps every cookie it is given, and sends the bearer token LibreChat's
// client sends.
import { BROWSER_UA, checkPayload, proxyEvent, viewerResponse } from './apigw.mjs';

export class Viewer {
  /** @param {{ fleet: import('./lambda-env.mjs').Fleet, origin: {header:string,value:string}, baseUrl: string }} opts */
  constructor(opts) {
    this.opts = opts;
    this.cookies = new Map();
    this.token = undefined;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keepCookies(setCookies) {
    for (const line of setCookies ?? []) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split('=');
        if (/^max-age$/i.test(k)) return Number(v) <= 0;
        if (/^expires$/i.test(k)) return Date.parse(v) < Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /**
   * One request. `env`: an environment to send it to (else the fleet routes it). `json`: a
   * body to send as JSON; `body` + `contentType` for anything else. `observer`: sees the
   * response stream as it arrives.
   */
  async request(
    method,
    path,
    { json, body, contentType, headers = {}, env, observer, auth = true } = {},
  ) {
    const h = {
      'User-Agent': BROWSER_UA,
      Accept: json !== undefined || method === 'GET' ? 'application/json, text/plain, */*' : '*/*',
      'Accept-Language': 'en-US,en;q=0.9',
      Origin: this.opts.baseUrl,
      Referer: `${this.opts.baseUrl}/c/new`,
      ...headers,
    };
    let payload = body;
    if (json !== undefined) {
      payload = Buffer.from(JSON.stringify(json));
      h['Content-Type'] = 'application/json';
    } else if (contentType) {
      h['Content-Type'] = contentType;
    }
    if (auth && this.token) h.Authorization = `Bearer ${this.token}`;
    if (this.cookies.size > 0) h.Cookie = this.cookieHeader();
    const event = proxyEvent({
      method,
      url: path,
      headers: h,
      body: payload,
      origin: this.opts.origin,
    });
    checkPayload(event);
    const inv = env
      ? await env.invoke(event, { observer })
      : await this.opts.fleet.invoke(event, { observer });
    const res = viewerResponse(inv);
    this.keepCookies(res.headers.get('set-cookie'));
    res.text = () => res.body.toString('utf8');
    res.json = () => JSON.parse(res.body.toString('utf8'));
    return res;
  }
}
