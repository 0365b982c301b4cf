import { parseEnvironmentFile } from '../../src/config/load';
import { devConfigInput } from '../helpers/config';

// network.additionalSecurityGroupIds, librechat.environmentFrom, lambda.provisionedConcurrency and
// lambda.reservedConcurrency, state.dynamodbTable (src/config/schema.ts).
const FILE = 'config/dev.json';

function parse(change: (raw: Record<string, any>) => void) {
  const raw = devConfigInput();
  change(raw);
  return parseEnvironmentFile(FILE, JSON.stringify(raw));
}

describe('deploy settings', () => {
  it('config/dev.json: shared-services group, the aprochat-api task, S3-native locking only', () => {
    const { config, problems } = parse(() => undefined);
    expect(problems).toBeUndefined();
    expect(config!.network.additionalSecurityGroupIds).toEqual(['sg-07d152120863401c2']);
    expect(config!.librechat.environmentFrom).toEqual({
      ecsTaskDefinition: 'aprochat-api',
      containerName: 'aprochat-api',
      exclude: ['ASSETS_URL', 'HOST', 'PORT', 'TRUST_PROXY'],
    });
    expect(config!.state.dynamodbTable).toBeUndefined();
    expect(config!.lambda.provisionedConcurrency).toBe(0);
    expect(config!.lambda.reservedConcurrency).toBeUndefined();
  });

  it('defaults: no extra groups, no inherited task', () => {
    const { config } = parse((raw) => {
      delete raw.network.additionalSecurityGroupIds;
      delete raw.librechat.environmentFrom;
    });
    expect(config!.network.additionalSecurityGroupIds).toEqual([]);
    expect(config!.librechat.environmentFrom).toBeUndefined();
  });

  it('accepts a task by ARN and revision, and an exclusion list of its own', () => {
    const { config, problems } = parse(
      (raw) =>
        (raw.librechat.environmentFrom = {
          ecsTaskDefinition: 'arn:aws:ecs:eu-west-1:515966504419:task-definition/aprochat-api:42',
          containerName: 'api',
          exclude: ['ASSETS_URL'],
        }),
    );
    expect(problems).toBeUndefined();
    expect(config!.librechat.environmentFrom!.exclude).toEqual(['ASSETS_URL']);
  });

  it.each<[string, (raw: Record<string, any>) => void, string]>([
    [
      'a malformed security group id',
      (raw) => (raw.network.additionalSecurityGroupIds = ['sg-xyz']),
      'network.additionalSecurityGroupIds[0]: expected a security group id such as sg-07d152120863401c2, got "sg-xyz"',
    ],
    [
      'more groups than Lambda takes',
      (raw) =>
        (raw.network.additionalSecurityGroupIds = ['1', '2', '3', '4', '5'].map(
          (n) => `sg-0000000${n}`,
        )),
      'network.additionalSecurityGroupIds: expected at most 4 groups',
    ],
    [
      'a repeated group',
      (raw) =>
        (raw.network.additionalSecurityGroupIds = ['sg-07d152120863401c2', 'sg-07d152120863401c2']),
      'network.additionalSecurityGroupIds: expected distinct security group ids',
    ],
    [
      'a task name with a template',
      (raw) => (raw.librechat.environmentFrom.ecsTaskDefinition = '${var.x}'),
      'librechat.environmentFrom.ecsTaskDefinition: expected an ECS task definition family',
    ],
    [
      'no container name',
      (raw) => delete raw.librechat.environmentFrom.containerName,
      'librechat.environmentFrom.containerName: required',
    ],
    [
      'an exclusion that is no variable name',
      (raw) => (raw.librechat.environmentFrom.exclude = ['host']),
      'librechat.environmentFrom.exclude[0]: expected an environment variable name in UPPER_SNAKE_CASE',
    ],
    [
      'negative provisioned concurrency',
      (raw) => (raw.lambda.provisionedConcurrency = -1),
      'lambda.provisionedConcurrency: expected the provisioned concurrency (0 for none): a whole number from 0 to 10000',
    ],
    [
      'zero reserved concurrency (it would stop the function)',
      (raw) => (raw.lambda.reservedConcurrency = 0),
      'lambda.reservedConcurrency: expected the reserved concurrency: a whole number from 1 to 100000',
    ],
    [
      'more provisioned than reserved',
      (raw) => Object.assign(raw.lambda, { provisionedConcurrency: 5, reservedConcurrency: 2 }),
      'lambda.provisionedConcurrency: expected at most reservedConcurrency (2)',
    ],
  ])('rejects %s, naming the file and field', (_what, change, expected) => {
    const { problems } = parse(change);
    expect(problems).toBeDefined();
    expect(problems!.some((p) => p.startsWith(`${FILE}: ${expected}`))).toBe(true);
  });
});
