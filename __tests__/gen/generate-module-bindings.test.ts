import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MODULES_DIR,
  readModuleInterface,
  renderBinding,
} from '../../scripts/module-bindings/generate';
import { MODULE_BINDINGS, type ModuleBindingSpec } from '../../scripts/module-bindings/modules';
import { REPO_ROOT } from '../helpers/config';

// The bindings' runtime, written by hand (see .gen/README.md); everything else is generated.
const HAND_WRITTEN = ['module-inputs.ts', 'registry-module.ts'];

describe('npm run gen:modules', () => {
  let outDir: string;
  let run: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'module-bindings-'));
    run = spawnSync(process.execPath, ['scripts/generate-module-bindings.js', outDir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('reproduces every committed binding byte for byte', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const committed = readdirSync(join(REPO_ROOT, MODULES_DIR))
      .filter((f) => f.endsWith('.ts') && !HAND_WRITTEN.includes(f))
      .sort();
    expect(readdirSync(outDir).sort()).toEqual(committed);
    for (const file of committed) {
      // A message naming the file beats a 600-line diff.
      const same =
        readFileSync(join(outDir, file), 'utf8') ===
        readFileSync(join(REPO_ROOT, MODULES_DIR, file), 'utf8');
      expect({ file, same }).toEqual({ file, same: true });
    }
  });
});

describe('the generator refuses refinements the interface does not support', () => {
  const s3 = MODULE_BINDINGS.find((spec) => spec.file === 's3-bucket.ts')!;
  const render = (changes: Partial<ModuleBindingSpec>) => {
    const spec = { ...s3, ...changes };
    return () => renderBinding(readModuleInterface(REPO_ROOT, spec), spec);
  };

  it('renders the committed spec', () => {
    expect(render({})()).toContain('export class S3BucketModule extends RegistryModule');
  });

  it('a type for a variable that is not `any`', () => {
    expect(render({ anyTypes: { bucket: 'list(string)' } })).toThrow(
      'scripts/module-bindings/modules.ts (s3-bucket-5.15.4.json): anyTypes.bucket: only `any` variables may be refined; the module declares string',
    );
  });

  it('a type for a variable the module does not have', () => {
    expect(render({ anyTypes: { cors_rules: 'list(string)' } })).toThrow(
      'anyTypes.cors_rules: terraform-aws-modules/s3-bucket/aws 5.15.4 has no such variable',
    );
  });

  it('a refined type that is not a Terraform type', () => {
    expect(render({ anyTypes: { cors_rule: 'list(strng)' } })).toThrow(
      'variables.cors_rule.type: expected a Terraform type (unknown type "strng"',
    );
  });

  it('values for a path that is no string input', () => {
    expect(render({ values: { 'cors_rule.max_age_seconds': ['1'] } })).toThrow(
      'values.cors_rule.max_age_seconds: not a string input of terraform-aws-modules/s3-bucket/aws 5.15.4',
    );
  });

  it('an output type for an output the module does not have', () => {
    expect(render({ outputTypes: { s3_bucket_port: 'number' } })).toThrow(
      'outputTypes.s3_bucket_port: terraform-aws-modules/s3-bucket/aws 5.15.4 has no such output',
    );
  });

  it('an interface file that does not exist', () => {
    expect(render({ interfaceFile: 's3-bucket-9.9.9.json' })).toThrow(
      /s3-bucket-9\.9\.9\.json: interfaceFile: file not found/,
    );
  });
});
