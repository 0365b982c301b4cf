// Stop relay, browser side (docs/stop-button.md). Loaded before LibreChat's bundle.
//
// LibreChat's chat client streams with sse.js over XMLHttpRequest and, for every endpoint but
// the assistants, stops a reply only by aborting that XHR: a plain server notices the closed
// socket, but a Lambda function never does. So each streaming chat POST gets a random stream
// id header, and aborting it also sends that id (with the same bearer) to the relay path, which
// the API answers itself and relays to the instance that runs the stream.
(function () {
  'use strict';
  var STREAM_ID_HEADER = 'X-Stream-Id';
  var ABORT_PATH = '/api/stream/abort';
  // LibreChat's streaming chat routes for agents and every other non-assistants endpoint:
  // POST <base>/api/agents/chat and <base>/api/agents/chat/<endpoint>.
  var STREAM_ROUTE = /^(.*)\/api\/agents\/chat(?:\/[^/]+)?\/?$/;

  var XHR = window.XMLHttpRequest;
  if (!XHR || !window.fetch || !window.crypto || !window.crypto.getRandomValues) return;
  var proto = XHR.prototype;
  var open = proto.open;
  var setRequestHeader = proto.setRequestHeader;
  var send = proto.send;
  var abort = proto.abort;
  var streams = new WeakMap();
  var active = new Set();

  function newStreamId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] + 0x100).toString(16).slice(1);
    return hex;
  }

  function sendStop(stream) {
    if (stream.stopped || !stream.authorization) return;
    stream.stopped = true;
    try {
      // keepalive: the request outlives the page (a closed tab is a stop too).
      window
        .fetch(stream.abortUrl, {
          method: 'POST',
          keepalive: true,
          credentials: 'same-origin',
          headers: { Authorization: stream.authorization, 'Content-Type': 'application/json' },
          body: JSON.stringify({ streamId: stream.id }),
        })
        .catch(function () {});
    } catch {
      // A stop must never break the page.
    }
  }

  proto.open = function (method, url) {
    var result = open.apply(this, arguments);
    streams.delete(this);
    active.delete(this);
    var target;
    try {
      target = new window.URL(String(url), window.document.baseURI);
    } catch {
      return result;
    }
    var route = STREAM_ROUTE.exec(target.pathname);
    if (
      String(method).toUpperCase() === 'POST' &&
      target.origin === window.location.origin &&
      route
    ) {
      var stream = {
        id: newStreamId(),
        abortUrl: target.origin + route[1] + ABORT_PATH,
        authorization: '',
        sent: false,
        stopped: false,
      };
      streams.set(this, stream);
      setRequestHeader.call(this, STREAM_ID_HEADER, stream.id);
    }
    return result;
  };

  proto.setRequestHeader = function (name, value) {
    var stream = streams.get(this);
    if (stream && String(name).toLowerCase() === 'authorization') {
      stream.authorization = String(value);
    }
    return setRequestHeader.apply(this, arguments);
  };

  proto.send = function () {
    var stream = streams.get(this);
    if (stream) {
      stream.sent = true;
      active.add(this);
      this.addEventListener('loadend', function () {
        active.delete(this);
      });
    }
    return send.apply(this, arguments);
  };

  proto.abort = function () {
    var stream = streams.get(this);
    // Only a stream still running: sse.js also calls abort() on one that has finished.
    if (stream && stream.sent && this.readyState !== XHR.DONE) sendStop(stream);
    return abort.apply(this, arguments);
  };

  // Closing or leaving the page ends the XHRs without abort(): stop what is still streaming.
  window.addEventListener('pagehide', function () {
    active.forEach(function (xhr) {
      var stream = streams.get(xhr);
      if (stream && xhr.readyState !== XHR.DONE) sendStop(stream);
    });
  });
})();
