import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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

/** The source of a CloudFront Function, for the distribution's `cloudfrontFunctions`. */
export function loadCloudfrontFunctionCode(name: CloudfrontFunctionName): string {
  return readFileSync(
    join(projectRoot(__dirname), 'src', 'frontend', 'functions', `${name}.js`),
    'utf8',
  );
}
