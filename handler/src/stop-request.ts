// What the stop relay reads from a request: the stream id our web client script adds to a
// streaming chat POST, the abort request's body, and a hash of the viewer's bearer token.
// See docs/stop-button.md.
import { createHash } from 'node:crypto';

/** Header the client script adds to every streaming chat POST (lower case, as in the event). */
export const STREAM_ID_HEADER = 'x-stream-id';
/** Where the client script sends a stop. LibreChat serves nothing here; the handler answers it. */
export const ABORT_PATH = '/api/stream/abort';

// The client sends 32 hex digits; anything of this shape is accepted, nothing else reaches Redis.
const STREAM_ID = /^[A-Za-z0-9_-]{16,128}$/;

export function parseStreamId(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v !== undefined && STREAM_ID.test(v) ? v : undefined;
}

/**
 * SHA-256 (hex) of the bearer token in an Authorization header, or undefined when there is none.
 * Only this hash is stored or compared: the token itself never leaves the request.
 */
export function bearerHash(authorization: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  return m ? createHash('sha256').update(m[1]).digest('hex') : undefined;
}

export type AbortBody = { streamId: string } | { error: string };

/** The abort request's JSON body: `{ "streamId": "<id>" }`. */
export function parseAbortBody(body: Buffer): AbortBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { error: 'the body must be JSON: {"streamId": "<id>"}' };
  }
  const raw = (parsed as { streamId?: unknown } | null)?.streamId;
  const streamId = typeof raw === 'string' ? parseStreamId(raw) : undefined;
  if (streamId === undefined) {
    return { error: 'streamId must be 16 to 128 letters, digits, "-" or "_"' };
  }
  return { streamId };
}
