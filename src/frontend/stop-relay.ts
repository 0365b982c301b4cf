import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The stop relay's browser side (docs/stop-button.md): a script of ours that every published
// web client loads before LibreChat's own. This module only transforms text; the publishing
// code (asset-manifest.ts today, a publish script later) decides where the bytes come from.

/**
 * The script's source in this repository. Beside this module when run from src/ (ts-jest,
 * ts-node); the compiled app runs from build/src/frontend, where tsc copies no .js file.
 */
export const STOP_RELAY_SOURCE =
  [
    join(__dirname, 'client', 'stop-relay.js'),
    join(__dirname, '..', '..', '..', 'src', 'frontend', 'client', 'stop-relay.js'),
  ].find((p) => existsSync(p)) ?? join(__dirname, 'client', 'stop-relay.js');

/** The script as published: a content-hashed name at the site root, so it may be cached forever. */
export interface StopRelayScript {
  /** Object key, e.g. `stop-relay.3f9a0c1d2e.js`. */
  readonly key: string;
  readonly content: string;
}

export function stopRelayScript(content: string = readFileSync(STOP_RELAY_SOURCE, 'utf8')) {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 10);
  return { key: `stop-relay.${hash}.js`, content } satisfies StopRelayScript;
}

/** The tag that loads the script: absolute, as the SPA serves index.html under every path. */
export function stopRelayTag(key: string): string {
  if (!/^[A-Za-z0-9._/-]+$/.test(key)) throw new Error(`not a safe script key: ${key}`);
  return `<script src="/${key}"></script>`;
}

/**
 * index.html with the stop relay's `<script>` as the first script of `<head>` (a classic,
 * blocking script: it runs before any module or inline script). Without a `<head>` tag (the
 * parser then implies one) it goes right after the doctype and `<html>`. Unchanged when the tag
 * is already there.
 */
export function injectStopRelay(html: string, key: string): string {
  const tag = stopRelayTag(key);
  if (html.includes(tag)) return html;
  const head = /<head(?:\s[^>]*)?>/i.exec(html);
  const headEnd = head ? html.slice(head.index).search(/<\/head\s*>/i) : -1;
  if (!head || headEnd < 0) {
    const at = /^\s*(?:<!doctype[^>]*>)?\s*(?:<html(?:\s[^>]*)?>)?/i.exec(html)?.[0].length ?? 0;
    return `${html.slice(0, at)}${tag}${html.slice(at)}`;
  }
  const start = head.index + head[0].length;
  const headHtml = html.slice(start, head.index + headEnd);
  const firstScript = /<script[\s>]/i.exec(headHtml);
  const at = start + (firstScript ? firstScript.index : headHtml.length);
  const indent = firstScript ? (/[ \t]*$/.exec(html.slice(0, at))?.[0] ?? '') : '';
  return `${html.slice(0, at)}${tag}\n${indent}${html.slice(at)}`;
}
