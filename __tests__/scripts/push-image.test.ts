import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/config';
import { FIXTURE_HANDLER_DIR } from '../helpers/synth';

// Runs scripts/push-image.sh for real, with recording stand-ins for the docker and aws CLIs on
// a PATH that holds nothing else (no Docker engine or AWS account on this machine).
const SCRIPT = join(REPO_ROOT, 'scripts', 'push-image.sh');
const REPO_URL = '515966504419.dkr.ecr.eu-west-1.amazonaws.com/librechat-lambda-api-dev';
const TAG = 'ab'.repeat(32);

describe('scripts/push-image.sh', () => {
  let work: string;
  let bin: string;
  let log: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'push-'));
    bin = join(work, 'bin');
    log = join(work, 'calls.log');
    mkdirSync(bin);
    symlinkSync('/usr/bin/grep', join(bin, 'grep'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  /** A stand-in CLI that logs its arguments (and stdin, for `login`), then runs `body`. */
  function fakeCli(name: string, body = 'exit 0') {
    const path = join(bin, name);
    writeFileSync(
      path,
      `#!/usr/bin/bash\necho "${name} $*" >> "${log}"\n` +
        `if [[ "$1" == login ]]; then echo "stdin: $(/usr/bin/cat)" >> "${log}"; fi\n${body}\n`,
    );
    chmodSync(path, 0o755);
  }

  function run(env: Record<string, string> = {}) {
    return spawnSync('/usr/bin/bash', [SCRIPT], {
      env: {
        PATH: bin,
        REPOSITORY_URL: REPO_URL,
        REPOSITORY_NAME: 'librechat-lambda-api-dev',
        REGISTRY_REGION: 'eu-west-1',
        IMAGE_TAG: TAG,
        BUILD_CONTEXT: FIXTURE_HANDLER_DIR,
        DOCKERFILE: 'Dockerfile',
        PLATFORM: 'linux/amd64',
        BUILD_ARG_LIBRECHAT_IMAGE: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1',
        ...env,
      },
      encoding: 'utf8',
    });
  }
  const calls = () => readFileSync(log, 'utf8').trim().split('\n');

  it('logs in through stdin, builds for the platform with the build args, and pushes the tag', () => {
    fakeCli('docker');
    // describe-images fails: the tag is not in ECR yet.
    fakeCli('aws', '[[ "$2" == get-login-password ]] && echo s3cr3t-token && exit 0; exit 254');
    const result = run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // The two sides of the login pipe run concurrently: their log lines may come in either order.
    const login = 'aws ecr get-login-password --region eu-west-1';
    expect(calls()).toContain(login);
    expect(calls().filter((c) => c !== login)).toEqual([
      'docker info',
      `aws ecr describe-images --region eu-west-1 --repository-name librechat-lambda-api-dev --image-ids imageTag=${TAG}`,
      'docker login --username AWS --password-stdin 515966504419.dkr.ecr.eu-west-1.amazonaws.com',
      'stdin: s3cr3t-token',
      `docker build --provenance=false --platform linux/amd64 -f ${FIXTURE_HANDLER_DIR}/Dockerfile --build-arg LIBRECHAT_IMAGE=ghcr.io/danny-avila/librechat-api:v0.8.2-rc1 -t ${REPO_URL}:${TAG} ${FIXTURE_HANDLER_DIR}`,
      `docker push ${REPO_URL}:${TAG}`,
    ]);
    // The token only went through a pipe, never onto a command line or the output.
    expect(calls().filter((c) => c.includes('s3cr3t-token'))).toEqual(['stdin: s3cr3t-token']);
    expect(result.stdout).not.toContain('s3cr3t-token');
  });

  it('does not rebuild a tag ECR already holds', () => {
    fakeCli('docker');
    fakeCli('aws');
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('already in ECR, not rebuilding');
    expect(calls().some((c) => c.startsWith('docker build'))).toBe(false);
  });

  it.each([
    ['docker is missing', () => fakeCli('aws'), {}, 'docker is not installed or not on the PATH'],
    ['the AWS CLI is missing', () => fakeCli('docker'), {}, 'the AWS CLI (aws) is not installed'],
    [
      'the docker daemon is down',
      () => (fakeCli('aws'), fakeCli('docker', 'exit 1')),
      {},
      'the docker daemon is not reachable',
    ],
    [
      'a variable is not set',
      () => (fakeCli('aws'), fakeCli('docker')),
      { IMAGE_TAG: '' },
      'environment variable IMAGE_TAG is not set',
    ],
    [
      'the build context is missing',
      () => (fakeCli('aws'), fakeCli('docker')),
      { BUILD_CONTEXT: '/nonexistent/handler' },
      'build context /nonexistent/handler is not a directory',
    ],
  ])('fails clearly when %s', (_what, setup, env, message) => {
    setup();
    const result = run(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`push-image: ${message}`);
  });

  it('stops when the build fails (set -euo pipefail)', () => {
    fakeCli('aws', '[[ "$2" == get-login-password ]] && echo t && exit 0; exit 254');
    fakeCli('docker', '[[ "$1" == build ]] && exit 3; exit 0');
    const result = run();
    expect(result.status).toBe(3);
    expect(calls().some((c) => c.startsWith('docker push'))).toBe(false);
  });

  it('refuses to build when an ARG without a default gets no value (the RDS CA bundle checksum)', () => {
    fakeCli('docker');
    fakeCli('aws', '[[ "$2" == get-login-password ]] && echo t && exit 0; exit 254');
    const context = join(work, 'context');
    mkdirSync(context);
    writeFileSync(
      join(context, 'Dockerfile'),
      'ARG LIBRECHAT_IMAGE=x\nARG NEEDED_SHA256\nFROM ${LIBRECHAT_IMAGE}\n',
    );
    const missing = run({ BUILD_CONTEXT: context });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(
      'push-image: Dockerfile needs the build argument NEEDED_SHA256 and none was given',
    );
    expect(calls().some((c) => c.startsWith('docker build'))).toBe(false);
    const given = run({ BUILD_CONTEXT: context, BUILD_ARG_NEEDED_SHA256: 'ab'.repeat(32) });
    expect(given.status).toBe(0);
    expect(calls().find((c) => c.startsWith('docker build'))).toContain(
      `--build-arg NEEDED_SHA256=${'ab'.repeat(32)}`,
    );
  });

  it("names librechat.image.rdsCaBundleSha256 for the handler's own Dockerfile", () => {
    fakeCli('docker');
    fakeCli('aws', '[[ "$2" == get-login-password ]] && echo t && exit 0; exit 254');
    const result = run({ BUILD_CONTEXT: join(REPO_ROOT, 'handler') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('RDS_CA_BUNDLE_SHA256');
    expect(result.stderr).toContain('librechat.image.rdsCaBundleSha256');
  });
});
