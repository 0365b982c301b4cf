// Headless Chromium (Debian's package) driven by playwright-core. Collects what must fail a
// flow: uncaught page errors, failed or blocked requests, console errors; and takes a
// screenshot of each step into the artifacts folder.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { log } from './log.mjs';

const require = createRequire(import.meta.url);

export function chromiumPath() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      'Chromium is not installed (Debian: apt-get install chromium, or set CHROMIUM_PATH)',
    );
  return found;
}

/** sse.js as LibreChat's client bundles it, turned into a classic script defining window.SSE. */
export function sseJsScript() {
  const src = readFileSync(require.resolve('sse.js/lib/sse.js'), 'utf8');
  if (!src.includes('export { SSE };'))
    throw new Error('sse.js: unexpected module shape (expected `export { SSE };`)');
  return src.replace('export { SSE };', 'window.SSE = SSE;');
}

export class Browser {
  constructor({ screenshots }) {
    this.screenshots = screenshots;
    this.problems = [];
    this.shots = [];
  }

  async start() {
    const { chromium } = require('playwright-core');
    this.browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    this.context = await this.browser.newContext({ viewport: { width: 1280, height: 860 } });
    this.page = await this.context.newPage();
    this.page.setDefaultTimeout(60000);
    this.page.on('pageerror', (err) => this.problems.push(`uncaught page error: ${err.message}`));
    this.page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText ?? 'failed';
      // Requests cancelled by the page or a navigation (ERR_ABORTED) are not problems of the
      // site; blocked (ERR_BLOCKED_BY_*), refused or broken ones are.
      if (why === 'net::ERR_ABORTED') return;
      this.problems.push(`request failed: ${req.method()} ${req.url()} (${why})`);
    });
    this.page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' && /Content Security Policy|Refused to|blocked/i.test(text)) {
        this.problems.push(`blocked: ${text}`);
      }
    });
    return this.page;
  }

  async shot(name) {
    const file = path.join(
      this.screenshots,
      `${String(this.shots.length + 1).padStart(2, '0')}-${name}.png`,
    );
    await this.page.screenshot({ path: file, fullPage: true });
    this.shots.push(file);
    log(`screenshot ${file}`);
    return file;
  }

  async stop() {
    await this.browser?.close();
  }
}
