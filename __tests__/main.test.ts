import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devConfigInput, REPO_ROOT } from './helpers/config';
import { FIXTURE_HANDLER_DIR } from './helpers/synth';

// Runs the real app entry point (the cdktf `app` command) against a config directory.
// HANDLER_DIR: a tiny fixture stands in for handler/ (hashed, never built), so runs stay fast.
function runApp(
  configDir: string,
  outDir: string,
  handlerDir = FIXTURE_HANDLER_DIR,
  extraEnv: Record<string, string> = {},
) {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'run-app.js')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CONFIG_DIR: configDir,
      CDKTF_OUTDIR: outDir,
      HANDLER_DIR: handlerDir,
      // No registry call from tests (base-image-digest.test.ts covers the resolver).
      RESOLVE_BASE_IMAGE_DIGEST: '0',
      ...extraEnv,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the app (main.ts)', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'app-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('synthesizes one stack per environment file, named after the file', () => {
    const configDir = join(work, 'config');
    const outDir = join(work, 'out');
    require('node:fs').mkdirSync(configDir);
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(configDir, 'dev.json'));
    const staging = devConfigInput();
    staging.domain.name = 'staging.sandbox.data.apro.is';
    staging.api.manageAccountLoggingRole = false;
    writeFileSync(join(configDir, 'staging.json'), JSON.stringify(staging));

    const result = runApp(configDir, outDir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(join(outDir, 'stacks')).sort()).toEqual(['dev', 'staging']);
    const stagingJson = JSON.parse(
      readFileSync(join(outDir, 'stacks', 'staging', 'cdk.tf.json'), 'utf8'),
    );
    expect(stagingJson.terraform.backend.s3.key).toBe('librechat-lambda/staging/terraform.tfstate');
  }, 60_000);

  it('stops on a bad file with the file, field and expected form, and writes nothing', () => {
    const configDir = join(work, 'config');
    const outDir = join(work, 'out');
    require('node:fs').mkdirSync(configDir);
    const bad = devConfigInput();
    bad.network.privateSubnetIds = ['subnet-0b336ffd64e2358e8'];
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify(bad));

    const result = runApp(configDir, outDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `${join(configDir, 'dev.json')}: network.privateSubnetIds: expected at least two private subnets`,
    );
    expect(existsSync(outDir)).toBe(false);
  }, 60_000);
  it('stops when a guardrail finds a problem, printing every finding at once, and writes no stack', () => {
    const configDir = join(work, 'config');
    const outDir = join(work, 'out');
    require('node:fs').mkdirSync(configDir);
    const leaky = devConfigInput();
    leaky.librechat.environment = { STRIPE_API_KEY: 'sk-live-value', ADMIN_PASSWORD: 'hunter2' };
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify(leaky));

    const result = runApp(configDir, outDir);
    expect(result.status).toBe(1);
    const findings = result.stderr.split('\n').filter((l) => l.includes('GR-LAMBDA-SECRET-ENV'));
    expect(findings.join('\n')).toContain('STRIPE_API_KEY');
    expect(findings.join('\n')).toContain('ADMIN_PASSWORD');
    // The finding names the variable, never its value.
    expect(result.stderr).not.toContain('sk-live-value');
    expect(result.stderr).not.toContain('hunter2');
    expect(existsSync(join(outDir, 'stacks', 'dev', 'cdk.tf.json'))).toBe(false);
  }, 60_000);

  it('stops with a clear message and writes nothing when the handler (image build context) is missing', () => {
    const configDir = join(work, 'config');
    const outDir = join(work, 'out');
    require('node:fs').mkdirSync(configDir);
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(configDir, 'dev.json'));

    const result = runApp(configDir, outDir, join(work, 'no-handler'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(work, 'no-handler')}/Dockerfile not found`);
    expect(result.stderr).toContain('librechat.image.prebuiltImageUri');
    expect(existsSync(outDir)).toBe(false);
  }, 60_000);

  it('needs no handler when the environment names a prebuilt image, and points the push at paths relative to the stack', () => {
    const configDir = join(work, 'config');
    const outDir = join(work, 'out');
    require('node:fs').mkdirSync(configDir);
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(configDir, 'dev.json'));
    const prebuilt = devConfigInput();
    prebuilt.domain.name = 'ci.sandbox.data.apro.is';
    prebuilt.api.manageAccountLoggingRole = false;
    prebuilt.librechat.image.prebuiltImageUri = `515966504419.dkr.ecr.eu-west-1.amazonaws.com/librechat-lambda-api-ci@sha256:${'a'.repeat(64)}`;
    writeFileSync(join(configDir, 'ci.json'), JSON.stringify(prebuilt));

    const result = runApp(configDir, outDir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const ci = JSON.parse(readFileSync(join(outDir, 'stacks', 'ci', 'cdk.tf.json'), 'utf8'));
    const isPush = (r: any) => r.provisioner[0]['local-exec'].command.includes('push-image');
    expect(Object.values<any>(ci.resource.terraform_data).filter(isPush)).toEqual([]);
    const dev = JSON.parse(readFileSync(join(outDir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8'));
    const push = Object.values<any>(dev.resource.terraform_data).find(isPush);
    const stackDir = join(outDir, 'stacks', 'dev');
    const exec = push.provisioner[0]['local-exec'];
    expect(require('node:path').resolve(stackDir, exec.command)).toBe(
      join(REPO_ROOT, 'scripts', 'push-image.sh'),
    );
    expect(require('node:path').resolve(stackDir, exec.environment.BUILD_CONTEXT)).toBe(
      FIXTURE_HANDLER_DIR,
    );
  }, 60_000);

  it('synthesizes with nothing but Node: no terraform, docker or aws on the PATH', () => {
    // cdktf's own DataResource would run `terraform version` during synth's validation.
    const configDir = join(work, 'config');
    const outDir = join(work, 'out');
    const bin = join(work, 'bin');
    require('node:fs').mkdirSync(configDir);
    require('node:fs').mkdirSync(bin);
    require('node:fs').symlinkSync(process.execPath, join(bin, 'node'));
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(configDir, 'dev.json'));

    const result = runApp(configDir, outDir, FIXTURE_HANDLER_DIR, { PATH: bin });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const dev = JSON.parse(readFileSync(join(outDir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8'));
    // Both deploy-time commands are there: the image push and the client publish.
    expect(
      Object.values<any>(dev.resource.terraform_data)
        .map((r) => r.provisioner[0]['local-exec'].command)
        .sort(),
    ).toEqual([
      expect.stringContaining('push-image.sh'),
      expect.stringContaining('publish-client.js'),
    ]);
  }, 60_000);

  it('publishes a configured dist, its path relative to the environment file', () => {
    const configDir = join(work, 'config');
    const outDir = join(work, 'out');
    require('node:fs').mkdirSync(configDir);
    require('node:fs').cpSync(
      join(REPO_ROOT, '__tests__', 'frontend', 'fixtures', 'client-dist'),
      join(work, 'client-dist'),
      { recursive: true },
    );
    const dev = devConfigInput();
    dev.frontend = { distDir: '../client-dist' };
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify(dev));

    const result = runApp(configDir, outDir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(join(outDir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8'));
    const publish = Object.values<any>(json.resource.terraform_data).find((r) =>
      r.provisioner[0]['local-exec'].command.includes('publish-client'),
    );
    const exec = publish.provisioner[0]['local-exec'];
    const stackDir = join(outDir, 'stacks', 'dev');
    // Relative to the stack's directory, where Terraform runs.
    expect(require('node:path').isAbsolute(exec.environment.SOURCE_DIR)).toBe(false);
    expect(require('node:path').resolve(stackDir, exec.environment.SOURCE_DIR)).toBe(
      join(work, 'client-dist'),
    );
    expect(require('node:path').resolve(stackDir, JSON.parse(exec.command.slice(5)))).toBe(
      join(REPO_ROOT, 'scripts', 'publish-client.js'),
    );
  }, 60_000);

  it('stops on a frontend that cannot be published, naming file, field and path', () => {
    const configDir = join(work, 'config');
    const outDir = join(work, 'out');
    require('node:fs').mkdirSync(configDir);
    const dev = devConfigInput();
    dev.frontend = { distDir: '../no-such-dist' };
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify(dev));

    const result = runApp(configDir, outDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `${join(configDir, 'dev.json')}: frontend.distDir: ${join(work, 'no-such-dist')} is not a directory`,
    );
    expect(existsSync(outDir)).toBe(false);
  }, 60_000);
});
