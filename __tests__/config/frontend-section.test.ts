import { parseEnvironmentFile } from '../../src/config/load';
import { devConfigInput } from '../helpers/config';

// The `frontend` section of an environment file (src/config/schema.ts), in load.test.ts style.
const FILE = 'config/dev.json';

function parse(frontend: unknown) {
  const raw = devConfigInput();
  if (frontend === undefined) delete raw.frontend;
  else raw.frontend = frontend;
  return parseEnvironmentFile(FILE, JSON.stringify(raw));
}

describe('frontend section', () => {
  // Dotfiles, source maps and symlinks stay out of the published client unless asked for.
  const NOTHING_EXTRA = { dotfiles: false, sourceMaps: false, symlinks: false };

  it('defaults to PriceClass_100 and the client of the LibreChat image', () => {
    expect(parse(undefined).config!.frontend).toEqual({
      priceClass: 'PriceClass_100',
      publish: NOTHING_EXTRA,
      source: 'image',
    });
  });

  it('publishes the image client in config/dev.json (no LibreChat checkout needed)', () => {
    const { config } = parseEnvironmentFile(FILE, JSON.stringify(devConfigInput()));
    expect(config!.frontend.source).toBe('image');
    expect(config!.frontend.distDir).toBeUndefined();
    expect(config!.frontend.build).toBeUndefined();
  });

  it('takes the source from the field given, or from an explicit source that matches it', () => {
    expect(parse({ source: 'image' }).config!.frontend.source).toBe('image');
    expect(
      parse({ build: { sourceDir: '.', command: 'npm run frontend' } }).config!.frontend.source,
    ).toBe('build');
    expect(parse({ source: 'distDir', distDir: 'dist' }).config!.frontend.source).toBe('distDir');
  });

  it('accepts a prebuilt dist, or a source build with the output directory defaulted', () => {
    expect(parse({ distDir: '../LibreChat/client/dist' }).config!.frontend).toEqual({
      priceClass: 'PriceClass_100',
      distDir: '../LibreChat/client/dist',
      publish: NOTHING_EXTRA,
      source: 'distDir',
    });
    expect(
      parse({
        priceClass: 'PriceClass_All',
        build: { sourceDir: '../LibreChat', command: 'npm run frontend' },
      }).config!.frontend,
    ).toEqual({
      priceClass: 'PriceClass_All',
      source: 'build',
      build: {
        sourceDir: '../LibreChat',
        command: 'npm run frontend',
        outputDir: 'client/dist',
        inputs: ['package.json', 'package-lock.json', 'client', 'packages'],
      },
      publish: NOTHING_EXTRA,
    });
  });

  it.each<[string, unknown, string]>([
    [
      'unknown price class',
      { priceClass: 'PriceClass_50' },
      'frontend.priceClass: expected one of PriceClass_100, PriceClass_200, PriceClass_All',
    ],
    [
      'both a dist and a build',
      { distDir: 'dist', build: { sourceDir: '.', command: 'npm run frontend' } },
      'frontend.build: expected either distDir (a prebuilt client) or build (a client built from source), not both',
    ],
    [
      'a build without its command',
      { build: { sourceDir: '../LibreChat' } },
      'frontend.build.command: expected the npm command that builds the client',
    ],
    [
      'a blank build command',
      { build: { sourceDir: '../LibreChat', command: '  ' } },
      'frontend.build.command: expected the npm command that builds the client',
    ],
    [
      'an empty distDir',
      { distDir: '' },
      'frontend.distDir: expected a directory holding the built LibreChat client',
    ],
    [
      'a build input outside the source directory',
      { build: { sourceDir: '../LibreChat', command: 'npm run frontend', inputs: ['../x'] } },
      'frontend.build.inputs[0]: expected a path inside sourceDir, relative to it',
    ],
    [
      'an absolute build input',
      { build: { sourceDir: '../LibreChat', command: 'npm run frontend', inputs: ['/etc'] } },
      'frontend.build.inputs[0]: expected a path inside sourceDir, relative to it',
    ],
    [
      'no build inputs',
      { build: { sourceDir: '../LibreChat', command: 'npm run frontend', inputs: [] } },
      'frontend.build.inputs: expected at least one path inside sourceDir',
    ],
    [
      'an unknown source',
      { source: 'git' },
      'frontend.source: expected one of image, distDir, build',
    ],
    [
      'source distDir without one',
      { source: 'distDir' },
      'frontend.distDir: required with source distDir',
    ],
    [
      'a dist with source image',
      { source: 'image', distDir: 'dist' },
      'frontend.distDir: expected no distDir with source image (or set source to distDir)',
    ],
    [
      'a misspelt field',
      { distdir: 'dist' },
      'frontend: unknown field "distdir" (did you mean "distDir"?)',
    ],
    [
      'a misspelt build field',
      { build: { sourceDir: '.', command: 'npm run frontend', output: 'dist' } },
      'frontend.build: unknown field "output"',
    ],
  ])('rejects %s, naming the file and field', (_name, frontend, expected) => {
    const { problems } = parse(frontend);
    expect(problems).toBeDefined();
    expect(problems!.some((p) => p.startsWith(`${FILE}: ${expected}`))).toBe(true);
  });
});
