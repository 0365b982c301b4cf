// Loaded into the LibreChat process with `node --require`. It counts LibreChat's own outgoing
// HTTP requests (node:http/https and fetch/undici, through diagnostics_channel) and reports the
// count on a pipe to the handler. That is how the handler knows, after a response has ended,
// whether LibreChat still has work in flight (title generation calls the model after res.end()).
import diagnosticsChannel from 'node:diagnostics_channel';
import net from 'node:net';
import { WORK_FD_ENV } from './work-pipe';

// This file runs inside LibreChat, not in the handler: reading process.env here is how the
// handler's instructions arrive.
const fd = Number(process.env[WORK_FD_ENV]);
// Processes LibreChat starts itself (npx, MCP servers) must not pick this up.
delete process.env[WORK_FD_ENV];
if (process.env.NODE_OPTIONS) {
  process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.replace(/--require=\S*child-preload\.js/, '');
}

if (Number.isInteger(fd) && fd > 2) {
  let count = 0;
  const pipe = new net.Socket({ fd, readable: false, writable: true });
  pipe.on('error', () => {
    // The handler went away: nothing left to report to.
  });
  pipe.unref();
  const active = new WeakSet<object>();
  const begin = (req: object): void => {
    if (active.has(req)) return;
    active.add(req);
    count += 1;
    pipe.write(`${count}\n`);
  };
  const finish = (req: object): void => {
    if (!active.delete(req)) return;
    count -= 1;
    pipe.write(`${count}\n`);
  };
  type ReqMessage = { request: object & { once?: (ev: string, fn: () => void) => void } };
  diagnosticsChannel.subscribe('http.client.request.start', (m) => {
    const req = (m as ReqMessage).request;
    begin(req);
    req.once?.('close', () => finish(req));
  });
  diagnosticsChannel.subscribe('undici:request:create', (m) => begin((m as ReqMessage).request));
  diagnosticsChannel.subscribe('undici:request:trailers', (m) => finish((m as ReqMessage).request));
  diagnosticsChannel.subscribe('undici:request:error', (m) => finish((m as ReqMessage).request));
}
