import { parseEnvironmentFile } from '../../src/config/load';
import { devConfigInput } from '../helpers/config';

// `lambda.compute` and `lambda.managedInstances` (src/config/schema.ts), in load.test.ts style.
const FILE = 'config/dev.json';

function parse(lambda: Record<string, unknown>) {
  const raw = devConfigInput();
  raw.lambda = { ...raw.lambda, ...lambda };
  return parseEnvironmentFile(FILE, JSON.stringify(raw));
}

describe('lambda.compute', () => {
  it('defaults to on-demand, with no managed-instances settings', () => {
    const lambda = parse({}).config!.lambda;
    expect(lambda.compute).toBe('on-demand');
    expect(lambda.managedInstances).toBeUndefined();
  });

  it('managed-instances gets the documented defaults (64 per environment, 2 GiB per vCPU)', () => {
    const { config, problems } = parse({ compute: 'managed-instances', memoryMb: 2048 });
    expect(problems).toBeUndefined();
    expect(config!.lambda.managedInstances).toEqual({ maxConcurrency: 64, memoryGibPerVcpu: 2 });
  });

  it('takes every managed-instances setting', () => {
    const managedInstances = {
      maxConcurrency: 200,
      memoryGibPerVcpu: 4,
      instanceTypes: ['m7i.large', 'c7i.*'],
      maxVcpus: 24,
      targetCpuPercent: 55,
    };
    const { config } = parse({ compute: 'managed-instances', memoryMb: 8192, managedInstances });
    expect(config!.lambda.managedInstances).toEqual(managedInstances);
  });

  it.each([
    [
      'an unknown mode',
      { compute: 'provisioned' },
      'lambda.compute: expected one of on-demand, managed-instances',
    ],
    [
      'less than the 2 GB minimum',
      { compute: 'managed-instances', memoryMb: 1024 },
      'lambda.memoryMb: expected at least 2048 MB on managed-instances',
    ],
    [
      'less memory than one vCPU needs at the ratio',
      { compute: 'managed-instances', memoryMb: 2048, managedInstances: { memoryGibPerVcpu: 8 } },
      'lambda.memoryMb: expected at least 8192 MB on managed-instances',
    ],
    [
      'settings for managed instances on an on-demand function',
      { managedInstances: { maxConcurrency: 10 } },
      'lambda.managedInstances: expected no managedInstances settings unless compute is managed-instances',
    ],
    [
      'a memory ratio Lambda does not offer',
      { compute: 'managed-instances', memoryMb: 4096, managedInstances: { memoryGibPerVcpu: 3 } },
      'lambda.managedInstances.memoryGibPerVcpu: expected 2, 4 or 8',
    ],
    [
      'more concurrency than Lambda allows',
      { compute: 'managed-instances', memoryMb: 2048, managedInstances: { maxConcurrency: 1601 } },
      'lambda.managedInstances.maxConcurrency: expected the invocations one execution environment serves at once: a whole number from 1 to 1600',
    ],
    [
      'an instance type carrying a Terraform template',
      {
        compute: 'managed-instances',
        memoryMb: 2048,
        managedInstances: { instanceTypes: ['${file("/etc/passwd")}'] },
      },
      'lambda.managedInstances.instanceTypes[0]: expected an EC2 instance type',
    ],
    [
      'an unknown setting',
      { compute: 'managed-instances', memoryMb: 2048, managedInstances: { minInstances: 1 } },
      'lambda.managedInstances',
    ],
  ])('rejects %s, naming the file and field', (_, lambda, expected) => {
    const { config, problems } = parse(lambda);
    expect(config).toBeUndefined();
    expect(problems!.some((p) => p.startsWith(`${FILE}: ${expected}`))).toBe(true);
  });
});
