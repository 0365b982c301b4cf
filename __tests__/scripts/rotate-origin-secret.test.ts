import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvironmentFile } from '../../src/config/load';
import { synthStack } from '../helpers/synth';
import { devConfigInput, REPO_ROOT } from '../helpers/config';

const SCRIPT = join(REPO_ROOT, 'scripts', 'rotate-origin-secret.mjs');

describe('scripts/rotate-origin-secret.mjs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rotate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });

  it('raises the generation by one, keeping the file valid, and the next synth rotates the secret', () => {
    writeFileSync(join(dir, 'dev.json'), JSON.stringify(devConfigInput(), null, 2));
    const first = run('dev', dir);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('api.originVerifyGeneration 1 -> 2');
    expect(run('dev', dir).stdout).toContain('2 -> 3');
    const text = readFileSync(join(dir, 'dev.json'), 'utf8');
    const parsed = parseEnvironmentFile('dev.json', text);
    expect(parsed.problems).toBeUndefined();
    expect(parsed.config!.api.originVerifyGeneration).toBe(3);
    // The CloudFront header now carries the other password slot than at generation 2.
    const headerAt = (generation: number) => {
      const { json } = synthStack(
        parseEnvironmentFile(
          'dev.json',
          text.replace('"originVerifyGeneration": 3', `"originVerifyGeneration": ${generation}`),
        ).config!,
      );
      const cloudfront = Object.values<any>(json.module).find((m) => m.origin?.api);
      return cloudfront.origin.api.custom_header['x-origin-verify'];
    };
    expect(headerAt(3)).not.toBe(headerAt(2));
  });

  it('names the file when it cannot be read, and refuses a bad environment name', () => {
    const missing = run('prod', dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`${join(dir, 'prod.json')}: cannot read the environment file`);
    expect(run('../etc/passwd', dir).status).toBe(2);
  });
});
