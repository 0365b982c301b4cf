import { parse as parseHcl } from '@cdktf/hcl2json';
import { checkModuleBlock, loadModuleInterface } from './helpers/module-interfaces';
import { devConfig } from './helpers/config';
import { synthStack } from './helpers/synth';

describe('LibreChatStack basics', () => {
  const { json } = synthStack();

  it('keeps state in S3 under a per-environment key, encrypted, with S3-native locking', () => {
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'terraform-state-bucket',
      key: 'librechat-lambda/dev/terraform.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('names a (deprecated) DynamoDB lock table only when the config does', () => {
    const { json: table } = synthStack(
      devConfig((c) => (c.state.dynamodbTable = 'terraform-locks')),
      'staging',
    );
    expect(table.terraform.backend.s3.dynamodb_table).toBe('terraform-locks');
    expect(table.terraform.backend.s3.key).toBe('librechat-lambda/staging/terraform.tfstate');
    expect(table.terraform.backend.s3.use_lockfile).toBe(true);
  });

  it('requires Terraform >= 1.10 and an AWS provider that admits the modules and 900 s streaming', () => {
    expect(json.terraform.required_version).toBe('>= 1.10');
    expect(json.terraform.required_providers.aws).toEqual({
      source: 'hashicorp/aws',
      version: '~> 6.42',
    });
    expect(json.terraform.required_providers.random.source).toBe('hashicorp/random');
  });

  it('describes every output', () => {
    const outputs = Object.entries<any>(json.output);
    expect(outputs.length).toBeGreaterThan(10);
    expect(outputs.filter(([, o]) => !o.description).map(([name]) => name)).toEqual([]);
  });

  it('renders a terraform block Terraform accepts in the --hcl output too', () => {
    const { stack } = synthStack();
    const hcl = String(stack.toHclTerraform().hcl);
    const block = hcl.slice(hcl.indexOf('terraform {'), hcl.indexOf('provider "aws"'));
    expect(block).toMatch(/^\s*required_version = ">= 1\.10"$/m);
    expect(block).toMatch(/aws = \{\s+version = "~> 6\.42"\s+source\s+= "hashicorp\/aws"/);
    // cdktf 0.21 alone would render the attribute by its index: `0 = "required_version"`.
    expect(hcl).not.toMatch(/^\s*\d+ = "/m);
  });

  it('writes --hcl output that parses as HCL, with every resource of the JSON output', async () => {
    const { stack, json } = synthStack();
    const parsed = await parseHcl('cdk.tf', String(stack.toHclTerraform().hcl));
    expect(parsed.terraform[0].required_version).toBe('>= 1.10');
    for (const [type, resources] of Object.entries<Record<string, unknown>>(json.resource)) {
      expect(Object.keys(parsed.resource[type]).sort()).toEqual(Object.keys(resources).sort());
    }
    expect(Object.keys(parsed.module).sort()).toEqual(Object.keys(json.module).sort());
  });

  it('configures the regional AWS provider with default tags and an aliased us-east-1 provider', () => {
    const [regional, usEast1] = json.provider.aws;
    const tags = {
      project: 'librechat-lambda',
      environment: 'dev',
      'managed-by': 'cdktf',
      owner: 'aprochat-platform',
    };
    expect(regional).toEqual({ region: 'eu-west-1', default_tags: [{ tags }] });
    expect(usEast1).toEqual({ alias: 'us_east_1', region: 'us-east-1', default_tags: [{ tags }] });
  });

  it('does not let config tags override the project, environment and managed-by tags', () => {
    const { json: tagged } = synthStack(
      devConfig((c) => (c.tags = { environment: 'prod', team: 'ai' })),
    );
    expect(tagged.provider.aws[0].default_tags[0].tags).toMatchObject({
      environment: 'dev',
      team: 'ai',
    });
  });

  it('looks up the existing VPC, the region and the caller identity', () => {
    expect(Object.values<any>(json.data.aws_vpc).map((v) => v.id)).toEqual([
      'vpc-05e4efdfad1c2252a',
    ]);
    expect(Object.keys(json.data.aws_region)).toHaveLength(1);
    expect(Object.keys(json.data.aws_caller_identity)).toHaveLength(1);
  });

  it('emits every registry module block with declared inputs only, at every depth', () => {
    for (const block of Object.values<any>(json.module ?? {})) {
      expect(checkModuleBlock(block, loadModuleInterface(block.source, block.version))).toEqual([]);
    }
  });
});
