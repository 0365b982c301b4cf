// CloudFront Function (runtime cloudfront-js-2.0), viewer request, default (S3) behavior only.
//
// LibreChat is a single-page app: client routes such as /c/new or /chat/123 exist only in the
// browser, so a request for a path whose last segment has no file extension gets index.html.
// Files (/assets/index.BdE8x7Qz.js, /favicon.ico, /manifest.webmanifest) pass unchanged, and so
// does anything under /api or /oauth should it ever reach this behavior: those belong to the
// API, and answering them with index.html would turn an API error into an HTML 200.
// The query string lives in request.querystring and is never touched.

/* exported handler */
var SERVER_PATH = /^\/(__SERVER_PATH_PREFIXES__)(\/|$)/;

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (SERVER_PATH.test(uri)) {
    return request;
  }
  var lastSegment = uri.slice(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
