import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaProvisionedConcurrencyConfig } from '@cdktf/provider-aws/lib/lambda-provisioned-concurrency-config';
import { Construct } from 'constructs';
import type { InvokeTarget } from '../api/streaming-rest-api';
import { ValidationError } from '../core/validation-error';

export interface ProvisionedAliasProps {
  /** The function (its `publish` must be on, so every change makes a new version). */
  readonly functionName: string;
  /** The version the alias points at: the function's latest published version. */
  readonly functionVersion: string;
  /** Environments kept initialised (at least 1). */
  readonly provisionedConcurrency: number;
  /** @default 'live' */
  readonly aliasName?: string;
}

/**
 * An alias on the function's latest published version with provisioned concurrency: that many
 * environments are started ahead of traffic and kept warm. Callers invoke the alias (its ARN and
 * name as qualifier); requests above the provisioned count still start on-demand environments.
 */
export class ProvisionedAlias extends Construct {
  readonly alias: LambdaAlias;
  readonly provisioned: LambdaProvisionedConcurrencyConfig;
  /** `arn:...:function:<name>:<alias>`: what the API invokes. */
  readonly aliasArn: string;
  readonly aliasName: string;
  /** What callers invoke: the alias, so its provisioned environments serve them. */
  readonly invokeTarget: InvokeTarget;

  constructor(scope: Construct, id: string, props: ProvisionedAliasProps) {
    super(scope, id);
    if (!Number.isInteger(props.provisionedConcurrency) || props.provisionedConcurrency < 1) {
      throw new ValidationError(
        this,
        `provisionedConcurrency must be a whole number of at least 1, got ${props.provisionedConcurrency}`,
      );
    }
    this.alias = new LambdaAlias(this, 'alias', {
      name: props.aliasName ?? 'live',
      description: 'The published version the API invokes (provisioned concurrency)',
      functionName: props.functionName,
      functionVersion: props.functionVersion,
    });
    this.provisioned = new LambdaProvisionedConcurrencyConfig(this, 'provisioned', {
      functionName: props.functionName,
      qualifier: this.alias.name,
      provisionedConcurrentExecutions: props.provisionedConcurrency,
    });
    this.aliasArn = this.alias.arn;
    this.aliasName = this.alias.name;
    this.invokeTarget = {
      functionArn: this.aliasArn,
      functionName: props.functionName,
      qualifier: this.aliasName,
    };
  }
}
