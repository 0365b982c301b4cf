import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Construct } from 'constructs';

export interface AwsProvidersProps {
  /** Region of the stack's resources. */
  readonly region: string;
  /** Tags every AWS resource carries (project, environment, managed-by and the config's own). */
  readonly defaultTags: Record<string, string>;
}

/**
 * The providers of one environment: AWS in the environment's region, an aliased AWS provider in
 * us-east-1 (CloudFront certificates and metrics live there), and random (the elasticache module
 * names its parameter group with it).
 */
export class AwsProviders extends Construct {
  readonly regional: AwsProvider;
  readonly usEast1: AwsProvider;

  constructor(scope: Construct, id: string, props: AwsProvidersProps) {
    super(scope, id);
    const defaultTags = [{ tags: props.defaultTags }];
    this.regional = new AwsProvider(this, 'aws', { region: props.region, defaultTags });
    this.usEast1 = new AwsProvider(this, 'aws_us_east_1', {
      alias: 'us_east_1',
      region: 'us-east-1',
      defaultTags,
    });
    new RandomProvider(this, 'random');
  }
}
