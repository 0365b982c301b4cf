import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnvironments, parseEnvironmentFile } from '../../src/config/load';
import { AWS_PARTITION_REGIONS } from '../../src/config/regions';
import { devConfigInput, REPO_ROOT } from '../helpers/config';

const FILE = 'config/dev.json';

function parse(change: (raw: Record<string, any>) => void) {
  const raw = devConfigInput();
  change(raw);
  return parseEnvironmentFile(FILE, JSON.stringify(raw));
}

function problemsFor(change: (raw: Record<string, any>) => void): string[] {
  const result = parse(change);
  if (!result.problems) throw new Error('expected the file to be rejected, but it was accepted');
  return result.problems;
}

/** The problem at `field` that says `expected`; fails listing all problems otherwise. */
function problemAt(problems: string[], field: string, expected: string): string {
  const found = problems.find((p) => p.startsWith(`${FILE}: ${field}: `) && p.includes(expected));
  if (!found) {
    throw new Error(`no problem at ${field} with "${expected}"; got:\n${problems.join('\n')}`);
  }
  return found;
}

describe('Terraform templates in free text are rejected, never passed to Terraform', () => {
  const HOSTILE = '${file("/etc/hostname")}';
  const cases: Array<[string, (r: Record<string, any>) => void, string]> = [
    ['a tag value', (r) => (r.tags.owner = HOSTILE), 'tags.owner'],
    ['a tag key', (r) => (r.tags['%{if true}x%{endif}'] = 'v'), 'tags'],
    [
      'an environment value referencing the origin secret',
      (r) =>
        (r.librechat.environment.APP_TITLE =
          'Chat ${random_password.origin-verify-secret_value.result}'),
      'librechat.environment.APP_TITLE',
    ],
    [
      'a service URL',
      (r) => (r.librechat.serviceUrls.ragApi = `http://rag.local:8000/${HOSTILE}`),
      'librechat.serviceUrls.ragApi',
    ],
    [
      'a template directive in the config object key',
      (r) => (r.librechat.configObject = 's3://genai-shared-config/%{ for x in y }.yaml'),
      'librechat.configObject',
    ],
    [
      'a frontend build command',
      (r) => (r.frontend.build = { sourceDir: '../LibreChat', command: `npm run ${HOSTILE}` }),
      'frontend.build.command',
    ],
  ];

  it.each(cases)('%s', (_name, change, field) => {
    const problem = problemAt(
      problemsFor(change),
      field,
      'contains "${" or "%{", which Terraform would evaluate at apply',
    );
    expect(problem).not.toContain('file(');
    expect(problem).not.toContain('random_password');
  });

  it('accepts a lone $ or % that is no template', () => {
    const result = parse((r) => (r.librechat.environment.APP_TITLE = 'Costs $5 or 10% {off}'));
    expect(result.problems).toBeUndefined();
  });
});

describe('field-level rejections name the field and what is expected', () => {
  const cases: Array<[string, (r: Record<string, any>) => void, string, string]> = [
    [
      'aws: tag key',
      (r) => (r.tags['aws:cloudformation'] = 'x'),
      'tags.aws:cloudformation',
      'not starting with "aws:"',
    ],
    [
      'tag key over 128',
      (r) => (r.tags['k'.repeat(129)] = 'x'),
      `tags.${'k'.repeat(129)}`,
      '1 to 128 characters',
    ],
    [
      'tag value over 256',
      (r) => (r.tags.owner = 'v'.repeat(257)),
      'tags.owner',
      'at most 256 characters',
    ],
    ['tag value with a newline', (r) => (r.tags.owner = 'a\nb'), 'tags.owner', 'letters, digits'],
    [
      'wildcard config object',
      (r) => (r.librechat.configObject = 's3://genai-shared-config/*'),
      'librechat.configObject',
      'without the IAM wildcards',
    ],
    [
      'config object key with ..',
      (r) => (r.librechat.configObject = 's3://genai-shared-config/a/../other.yaml'),
      'librechat.configObject',
      'without "." or ".." path segments',
    ],
    [
      'region outside the real list',
      (r) => (r.region = 'eu-west-9'),
      'region',
      'expected a region of the aws partition',
    ],
    [
      'region of another partition',
      (r) => (r.region = 'us-gov-west-1'),
      'region',
      'other partitions such as aws-cn or aws-us-gov are not supported',
    ],
    [
      'state region outside the real list',
      (r) => (r.state.region = 'us-east-7'),
      'state.region',
      'expected a region of the aws partition',
    ],
    [
      'a handler setting the handler would refuse',
      (r) => (r.librechat.environment.SSE_KEEPALIVE_MS = '5'),
      'librechat.environment.SSE_KEEPALIVE_MS',
      'the handler would reject this at cold start: SSE_KEEPALIVE_MS must be between 10 and 3600000',
    ],
    [
      'a handler command with a pipe',
      (r) => (r.librechat.environment.LIBRECHAT_COMMAND = 'node a.js | tee /tmp/x'),
      'librechat.environment.LIBRECHAT_COMMAND',
      'no pipes, redirects or globs',
    ],
  ];

  it.each(cases)('%s', (_name, change, field, expected) => {
    expect(problemAt(problemsFor(change), field, expected)).toContain(expected);
  });

  it('accepts a base image pinned by digest, with or without its tag', () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    for (const baseImage of [
      `ghcr.io/danny-avila/librechat-api:v0.8.2-rc1@${digest}`,
      `ghcr.io/danny-avila/librechat-api@${digest}`,
    ]) {
      const result = parse((r) => (r.librechat.image.baseImage = baseImage));
      expect(result.config?.librechat.image.baseImage).toBe(baseImage);
    }
    expect(
      problemsFor((r) => (r.librechat.image.baseImage = 'ghcr.io/x/y@sha256:short')).join('\n'),
    ).toContain('librechat.image.baseImage');
  });

  it('accepts a new region of the partition and a valid handler setting', () => {
    const result = parse((r) => {
      r.region = 'mx-central-1';
      r.librechat.environment.SSE_KEEPALIVE_MS = '20000';
      r.tags['cost-center'] = 'AI platform: chat/1 (v2)'.replace(/[()]/g, '');
    });
    expect(result.problems).toBeUndefined();
  });
});

describe('problems in secret-bearing fields never quote the value', () => {
  it('a URL with credentials is refused without echoing them', () => {
    const problem = problemAt(
      problemsFor(
        (r) => (r.librechat.serviceUrls.litellm = 'http://admin:hunter2@litellm.local:4000/v1'),
      ),
      'librechat.serviceUrls.litellm',
      'without a user name or password',
    );
    expect(problem).not.toContain('hunter2');
  });

  it('librechat.secrets: a value that is no parameter name (a pasted secret) is not echoed', () => {
    const problem = problemAt(
      problemsFor((r) => (r.librechat.secrets.JWT_SECRET = 'sk-live-0123456789abcdef')),
      'librechat.secrets.JWT_SECRET',
      'expected an SSM parameter name',
    );
    expect(problem).not.toContain('sk-live');
  });

  it('librechat.environment: a refused handler setting is not echoed', () => {
    const problems = problemsFor(
      (r) => (r.librechat.environment.LIBRECHAT_PORT = 'sk-live-0123456789abcdef'),
    );
    problemAt(problems, 'librechat.environment.LIBRECHAT_PORT', 'must be a whole number');
    expect(problems.join('\n')).not.toContain('sk-live');
  });
});

describe('the region list', () => {
  it('is the aws partition of the AWS SDK the handler ships (without the global pseudo-region)', () => {
    const source = readFileSync(
      join(
        REPO_ROOT,
        'handler/node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
      ),
      'utf8',
    );
    const info = JSON.parse(
      source.replace(/^export const partitionsInfo = /, '').replace(/;\s*$/, ''),
    );
    const aws = info.partitions.find((p: { id: string }) => p.id === 'aws');
    expect([...AWS_PARTITION_REGIONS].sort()).toEqual(
      Object.keys(aws.regions)
        .filter((r) => r !== 'aws-global')
        .sort(),
    );
  });
});

describe('checks across environment files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'envs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, change: (raw: Record<string, any>) => void) {
    const raw = devConfigInput();
    change(raw);
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(raw));
  }
  function problems(): string[] {
    try {
      loadEnvironments(dir);
    } catch (e) {
      if (e instanceof ConfigError) return [...e.problems];
      throw e;
    }
    return [];
  }

  it('refuses two environments with the same domain.name, naming both files', () => {
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(dir, 'dev.json'));
    write('staging', (r) => (r.api.manageAccountLoggingRole = false));
    expect(problems()).toEqual([
      expect.stringMatching(
        /dev\.json and .*staging\.json: both set domain\.name "lambda-test\.sandbox\.data\.apro\.is": both would claim/,
      ),
    ]);
  });

  it('refuses two environments managing the account logging role in one region', () => {
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(dir, 'dev.json'));
    write('staging', (r) => (r.domain.name = 'staging.sandbox.data.apro.is'));
    expect(problems()).toEqual([
      expect.stringMatching(
        /dev\.json and .*staging\.json: both set api\.manageAccountLoggingRole: true in region "eu-west-1": .*one setting per account and region/,
      ),
    ]);
  });

  it('accepts them in different regions, with their own domains', () => {
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(dir, 'dev.json'));
    write('staging', (r) => {
      r.domain.name = 'staging.sandbox.data.apro.is';
      r.region = 'eu-central-1';
    });
    expect(problems()).toEqual([]);
  });
});
