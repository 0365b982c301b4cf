import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LIBRECHAT_SERVER_PATH_PREFIXES } from '../../api/server-paths';

/** CloudFront Functions shipped with the app, by file name under src/frontend/functions/. */
export type CloudfrontFunctionName = 'spa-routing';

// The code stays a plain .js file (linted, and executed by the tests as CloudFront would) and is
// read from the source tree: the app also runs compiled from build/, where tsc copies no .js.
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Literal text inside a JavaScript regular expression literal (`/` included). */
function regexLiteralText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Path segments as regex alternatives (`api|oauth`), each one checked and escaped. */
export function pathPrefixAlternatives(prefixes: readonly string[]): string {
  for (const p of prefixes) {
    // One path segment of visible ASCII: no slash, no line break that could end the literal.
    if (!/^[\x21-\x7e]+$/.test(p) || p.includes('/')) {
      throw new Error(`a server path prefix must be one path segment, got ${JSON.stringify(p)}`);
    }
  }
  if (prefixes.length === 0) throw new Error('no server path prefixes');
  return prefixes.map(regexLiteralText).join('|');
}

/**
 * What each function's placeholders become when its code is loaded. spa-routing.js: the
 * alternatives of its SERVER_PATH pattern are the stack's one list of server path prefixes.
 */
const PLACEHOLDERS: Record<CloudfrontFunctionName, () => Record<string, string>> = {
  'spa-routing': () => ({
    __SERVER_PATH_PREFIXES__: pathPrefixAlternatives(LIBRECHAT_SERVER_PATH_PREFIXES),
  }),
};

/** The source of a CloudFront Function, placeholders filled, for `cloudfrontFunctions`. */
export function loadCloudfrontFunctionCode(name: CloudfrontFunctionName): string {
  const file = join(projectRoot(__dirname), 'src', 'frontend', 'functions', `${name}.js`);
  let code = readFileSync(file, 'utf8');
  for (const [placeholder, value] of Object.entries(PLACEHOLDERS[name]())) {
    if (!code.includes(placeholder)) throw new Error(`${file}: no ${placeholder} to replace`);
    code = code.split(placeholder).join(value);
  }
  return code;
}
