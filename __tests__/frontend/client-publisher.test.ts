import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_STAMP, IMMUTABLE, NO_CACHE } from '../../src/frontend/asset-manifest';
import {
  prepareStagedClient,
  publishClient,
  publishClientCommand,
  RELEASE_RECORD_KEY,
  staleKeys,
  uploadGroups,
} from '../../src/frontend/client-publisher';
import { STOP_RELAY_SOURCE, stopRelayScript } from '../../src/frontend/stop-relay';
import { REPO_ROOT } from '../helpers/config';
import { FIXTURE_DIST, FIXTURE_DIST_EXPECTED } from './fixtures/client-dist';

// Runs the publisher for real against recording stand-ins for the docker and aws CLIs, on a PATH
// that holds nothing else (no Docker engine or AWS account on this machine). The docker stand-in
// serves the fixture dist as the image's /app/client/dist; the aws stand-in serves a bucket
// listing and the previous release record.
const IMAGE = 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1';
const BUCKET = 'librechat-frontend-dev';
// What is published: the client's files and the stop relay script the publish step adds.
const PUBLISHED: Array<[string, string, string]> = [
  ...FIXTURE_DIST_EXPECTED,
  [stopRelayScript().key, 'text/javascript; charset=utf-8', IMMUTABLE],
];

describe('publishClient', () => {
  let work: string;
  let bin: string;
  let log: string;
  let listing: string;
  let record: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'publish-'));
    bin = join(work, 'bin');
    log = join(work, 'calls.log');
    listing = join(work, 'listing.json');
    record = join(work, 'record.json');
    mkdirSync(bin);
    writeFileSync(listing, 'null\n');
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function fake(name: string, body: string) {
    const path = join(bin, name);
    writeFileSync(path, `#!/usr/bin/bash\necho "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(path, 0o755);
  }
  const fakeDocker = (dist = FIXTURE_DIST) =>
    fake(
      'docker',
      `case "$1" in
  create) echo "Unable to find image locally, pulling" >&2; echo 0123abcd ;;
  cp) /usr/bin/cp -r "${dist}" "$3" ;;
esac`,
    );
  const fakeAws = () =>
    fake(
      'aws',
      `if [[ "$1 $2" == "s3api list-objects-v2" ]]; then /usr/bin/cat "${listing}"; fi
if [[ "$1 $2" == "s3api delete-objects" ]]; then /usr/bin/cat "\${6#file://}" >> "${log}"; echo >> "${log}"; fi
if [[ "$1 $2 $3" == "s3 cp s3://${BUCKET}/${RELEASE_RECORD_KEY}" ]]; then /usr/bin/cp "${record}" "$4"; fi
if [[ "$1 $2" == "s3 cp" && "$4" == "s3://${BUCKET}/${RELEASE_RECORD_KEY}" ]]; then /usr/bin/tr -d '\\n ' < "$3" >> "${log}"; echo >> "${log}"; fi`,
    );
  const calls = () => readFileSync(log, 'utf8').trim().split('\n');
  const publish = (
    source: Parameters<typeof publishClient>[0]['source'] = {
      image: IMAGE,
      platform: 'linux/amd64',
    },
  ) =>
    publishClient({
      bucket: BUCKET,
      region: 'eu-west-1',
      source,
      env: { PATH: bin },
      log: () => undefined,
    });

  /** The upload commands: each key with the Content-Type and Cache-Control it was sent with. */
  function uploads(): Array<[key: string, contentType: string, cacheControl: string]> {
    return calls()
      .filter((c) => c.startsWith('aws s3 cp /') && c.includes('--recursive'))
      .flatMap((c) => {
        const args = c.split(' ');
        const flag = (name: string) => c.match(new RegExp(`${name} (.*?) --`))![1];
        const keys = args.flatMap((a, i) => (args[i - 1] === '--include' ? [a] : []));
        return keys.map(
          (k) => [k, flag('--content-type'), flag('--cache-control')] as [string, string, string],
        );
      });
  }

  it('adds the stop relay script to the staged client, loaded by index.html before anything else', () => {
    const staged = join(work, 'staged');
    cpSync(FIXTURE_DIST, staged, { recursive: true });
    prepareStagedClient(staged);
    const script = stopRelayScript();
    expect(readFileSync(join(staged, script.key), 'utf8')).toBe(
      readFileSync(STOP_RELAY_SOURCE, 'utf8'),
    );
    const html = readFileSync(join(staged, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts[0]).toBe(`<script src="/${script.key}">`);
    expect(html.indexOf(scripts[0])).toBeLessThan(html.indexOf('</head>'));
    expect(html.replace(`${scripts[0]}</script>\n    `, '')).toBe(
      readFileSync(join(FIXTURE_DIST, 'index.html'), 'utf8'),
    );
  });

  it('copies the client out of the image without running it, and removes the container', () => {
    fakeDocker();
    fakeAws();
    publish();
    expect(calls().filter((c) => c.startsWith('docker'))).toEqual([
      `docker create --platform linux/amd64 ${IMAGE}`,
      expect.stringMatching(/^docker cp 0123abcd:\/app\/client\/dist \/.*\/dist$/),
      'docker rm 0123abcd',
    ]);
  });

  it('uploads every file once with its Content-Type and Cache-Control, hashed assets first and index.html last', () => {
    fakeDocker();
    fakeAws();
    publish();
    const sent = uploads();
    expect([...sent].sort()).toEqual([...PUBLISHED].sort());
    const lastHashed = Math.max(...sent.map(([, , cc], i) => (cc === IMMUTABLE ? i : -1)));
    const firstEntry = sent.findIndex(([, , cc]) => cc === NO_CACHE);
    expect(lastHashed).toBeLessThan(firstEntry);
    expect(sent.at(-1)![0]).toBe('index.html');
    for (const c of calls().filter((c) => c.includes('--recursive'))) {
      expect(c).toMatch(/ s3:\/\/librechat-frontend-dev\/ --recursive --exclude \* --include /);
      expect(c).toMatch(/ --region eu-west-1$/);
    }
  });

  it('records the release after the uploads, and removes nothing on the first publish', () => {
    fakeDocker();
    fakeAws();
    writeFileSync(listing, JSON.stringify(['assets/old.AAAAAAAA.js']));
    publish();
    const all = calls();
    const recordAt = all.findIndex((c) =>
      c.endsWith(
        `s3://${BUCKET}/${RELEASE_RECORD_KEY} --content-type application/json --cache-control no-cache --only-show-errors --region eu-west-1`,
      ),
    );
    expect(recordAt).toBeGreaterThan(all.findIndex((c) => c.includes('--include index.html')));
    expect(JSON.parse(all[recordAt + 1]).keys.sort()).toEqual(PUBLISHED.map(([k]) => k).sort());
    // No record yet: what is there counts as the previous release and stays.
    expect(all.some((c) => c.includes('delete-objects'))).toBe(false);
  });

  it("keeps the previous release's hashed assets and removes the one before, on the publish after", () => {
    fakeDocker();
    fakeAws();
    const previous = ['index.html', 'assets/index.PREV1234.js'];
    const older = 'assets/index.OLDER123.js';
    writeFileSync(record, JSON.stringify({ keys: previous }));
    writeFileSync(listing, JSON.stringify([...previous, older, RELEASE_RECORD_KEY]));
    publish();
    const all = calls();
    expect(all).toContain(
      `aws s3 cp s3://${BUCKET}/${RELEASE_RECORD_KEY} ${all.find((c) => c.startsWith(`aws s3 cp s3://`))!.split(' ')[4]} --only-show-errors --region eu-west-1`,
    );
    const deleteAt = all.findIndex((c) => c.startsWith('aws s3api delete-objects'));
    expect(all[deleteAt]).toMatch(
      /^aws s3api delete-objects --bucket librechat-frontend-dev --delete file:\/\/\S+ --region eu-west-1$/,
    );
    expect(JSON.parse(all[deleteAt + 1])).toEqual({ Objects: [{ Key: older }], Quiet: true });
    // Removal comes last: after the new index.html and the record.
    expect(deleteAt).toBeGreaterThan(
      all.findIndex((c) => c.includes(`s3://${BUCKET}/${RELEASE_RECORD_KEY} --content-type`)),
    );
  });

  it('publishes a directory without docker, leaving the source untouched', () => {
    fakeAws();
    const dist = join(work, 'dist');
    cpSync(FIXTURE_DIST, dist, { recursive: true });
    writeFileSync(join(dist, BUILD_STAMP), 'abc\n');
    publish({ distDir: dist });
    expect(
      uploads()
        .map(([k]) => k)
        .sort(),
    ).toEqual(PUBLISHED.map(([k]) => k).sort());
    expect(existsSync(join(dist, BUILD_STAMP))).toBe(true);
    expect(readFileSync(join(dist, 'index.html'), 'utf8')).toBe(
      readFileSync(join(FIXTURE_DIST, 'index.html'), 'utf8'),
    );
    expect(calls().some((c) => c.startsWith('docker'))).toBe(false);
  });

  it.each([
    ['docker is missing', () => fakeAws(), 'docker is not installed or not on the PATH'],
    [
      'the AWS CLI is missing',
      () => fakeDocker(),
      'the AWS CLI (aws) is not installed or not on the PATH',
    ],
  ])('fails clearly when %s, before doing anything', (_what, setup, message) => {
    setup();
    expect(() => publish()).toThrow(message);
    expect(existsSync(log)).toBe(false);
  });

  it('fails with docker’s own message when the image cannot be had, and uploads nothing', () => {
    fake('docker', 'echo "pull access denied for ghcr.io/x" >&2; exit 1');
    fakeAws();
    expect(() => publish()).toThrow(
      /`docker create --platform linux\/amd64` failed \(exit code 1\): pull access denied/,
    );
    expect(calls().some((c) => c.startsWith('aws'))).toBe(false);
  });

  it("reports docker cp's own error even when removing the container fails too", () => {
    fake(
      'docker',
      '[[ "$1" == create ]] && echo 0123abcd && exit 0; echo "no such path $2" >&2; exit 1',
    );
    fakeAws();
    expect(() => publish()).toThrow(
      /`docker cp 0123abcd:\/app\/client\/dist .*` failed \(exit code 1\): no such path 0123abcd:\/app\/client\/dist/,
    );
    expect(calls()).toContain('docker rm 0123abcd');
  });

  it('refuses an image whose client has no index.html, still removing the container', () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    fakeDocker(empty);
    fakeAws();
    expect(() => publish()).toThrow(`the client from ${IMAGE}:/app/client/dist has no index.html`);
    expect(calls()).toContain('docker rm 0123abcd');
    expect(calls().some((c) => c.startsWith('aws'))).toBe(false);
  });

  it('as a command: reads its settings from the environment and reports a missing one', () => {
    fakeDocker();
    fakeAws();
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(
        publishClientCommand({
          PATH: bin,
          PUBLISH_REGION: 'eu-west-1',
          SOURCE_IMAGE: IMAGE,
          SOURCE_PLATFORM: 'linux/arm64',
        }),
      ).toBe(1);
      expect(err).toHaveBeenCalledWith(
        'publish-client: environment variable PUBLISH_BUCKET is not set (the stack sets it)\n',
      );
      expect(
        publishClientCommand({
          PATH: bin,
          PUBLISH_BUCKET: BUCKET,
          PUBLISH_REGION: 'eu-west-1',
          SOURCE_IMAGE: IMAGE,
          SOURCE_PLATFORM: 'linux/arm64',
        }),
      ).toBe(0);
      expect(calls()[0]).toBe(`docker create --platform linux/arm64 ${IMAGE}`);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});

describe('scripts/publish-client.js', () => {
  it('says how to get the compiled publisher when it is missing', () => {
    const work = mkdtempSync(join(tmpdir(), 'publish-script-'));
    try {
      mkdirSync(join(work, 'scripts'));
      cpSync(
        join(REPO_ROOT, 'scripts', 'publish-client.js'),
        join(work, 'scripts', 'publish-client.js'),
      );
      const result = spawnSync(process.execPath, [join(work, 'scripts', 'publish-client.js')], {
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `publish-client: ${join(work, 'build', 'src', 'frontend', 'client-publisher.js')} is missing: run \`npx cdktf synth\` (or deploy) from the repository first\n`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('upload plan', () => {
  const file = (key: string, cacheControl: string, contentType = 'text/javascript') => ({
    key,
    source: `/d/${key}`,
    contentType,
    cacheControl,
    sourceHash: '0',
  });

  it('groups by headers: hashed first, then entries, index.html alone and last', () => {
    expect(
      uploadGroups([
        file('index.html', NO_CACHE, 'text/html'),
        file('sw.js', NO_CACHE),
        file('a.12345678.js', IMMUTABLE),
        file('b.ABCDEFGH.css', IMMUTABLE, 'text/css'),
        file('c.23456789.js', IMMUTABLE),
      ]),
    ).toEqual([
      { contentType: 'text/css', cacheControl: IMMUTABLE, keys: ['b.ABCDEFGH.css'] },
      {
        contentType: 'text/javascript',
        cacheControl: IMMUTABLE,
        keys: ['a.12345678.js', 'c.23456789.js'],
      },
      { contentType: 'text/javascript', cacheControl: NO_CACHE, keys: ['sw.js'] },
      { contentType: 'text/html', cacheControl: NO_CACHE, keys: ['index.html'] },
    ]);
  });

  it('removes only what neither this release nor the previous one uses, never the record', () => {
    expect(staleKeys(['a', 'b', 'c', 'd', RELEASE_RECORD_KEY], ['a'], ['b'])).toEqual(['c', 'd']);
  });
});
