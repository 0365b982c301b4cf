import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ABORT_PATH, STREAM_ID_HEADER } from '../../handler/src/stop-request';
import {
  injectStopRelay,
  STOP_RELAY_SOURCE,
  stopRelayScript,
  stopRelayTag,
} from '../../src/frontend/stop-relay';

const KEY = 'stop-relay.0123456789.js';
const TAG = '<script src="/stop-relay.0123456789.js"></script>';

describe('injectStopRelay', () => {
  it('puts the script before the first script of <head>, keeping the rest byte for byte', () => {
    // The shape of LibreChat's index.html: <base>, metas, a <style>, an inline theme script.
    const html = [
      '<!DOCTYPE html>',
      '<html lang="en-US">',
      '  <HEAD data-x="1">',
      '    <meta charset="utf-8" />',
      '    <base href="/" />',
      '    <style>html { margin: 0 }</style>',
      "    <script>const theme = localStorage.getItem('color-theme');</script>",
      '    <script defer type="module" src="/assets/index.abc12345.js"></script>',
      '  </HEAD>',
      '  <body><script>1</script></body>',
      '</html>',
    ].join('\n');
    const out = injectStopRelay(html, KEY);
    expect(out.indexOf(TAG)).toBeLessThan(out.search(/<script>const theme/));
    expect(out.indexOf('<base href="/" />')).toBeLessThan(out.indexOf(TAG));
    expect(out.replace(`${TAG}\n    `, '')).toBe(html);
    expect(injectStopRelay(out, KEY)).toBe(out);
  });

  it('goes last in a <head> without scripts, and first in a document without <head>', () => {
    expect(injectStopRelay('<html><head><title>t</title></head><body></body></html>', KEY)).toBe(
      `<html><head><title>t</title>${TAG}\n</head><body></body></html>`,
    );
    expect(injectStopRelay('<!doctype html><html><p>x<script>y</script>', KEY)).toBe(
      `<!doctype html><html>${TAG}<p>x<script>y</script>`,
    );
    // Not even <html>: at the very start.
    expect(injectStopRelay('<script>a</script>', KEY)).toBe(`${TAG}<script>a</script>`);
  });

  it('refuses a key that could break out of the attribute', () => {
    expect(() => stopRelayTag('x"><script>alert(1)</script>')).toThrow(/not a safe script key/);
    expect(() => injectStopRelay('<head></head>', 'a b.js')).toThrow(/not a safe script key/);
  });
});

describe('stopRelayScript', () => {
  it('names the script by its content hash', () => {
    const script = stopRelayScript();
    expect(script.content).toBe(readFileSync(STOP_RELAY_SOURCE, 'utf8'));
    expect(script.key).toMatch(/^stop-relay\.[0-9a-f]{10}\.js$/);
    expect(stopRelayScript(`${script.content}\n`).key).not.toBe(script.key);
    expect(STOP_RELAY_SOURCE).toBe(
      join(__dirname, '..', '..', 'src', 'frontend', 'client', 'stop-relay.js'),
    );
  });

  it('uses the header name and abort path the handler answers', () => {
    const { content } = stopRelayScript();
    expect(content).toContain(`var ABORT_PATH = '${ABORT_PATH}';`);
    expect(content.toLowerCase()).toContain(`var stream_id_header = '${STREAM_ID_HEADER}';`);
  });
});
