import { DataAwsEcsContainerDefinition } from '@cdktf/provider-aws/lib/data-aws-ecs-container-definition';
import { DataAwsEcsTaskDefinition } from '@cdktf/provider-aws/lib/data-aws-ecs-task-definition';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ENV, ENV_NAME } from '../../handler/src/contract';
import { ValidationError } from '../core/validation-error';
import type { LibreChatFunction } from './librechat-function';

/** Where the inherited environment is written in the bucket (outside LibreChat's own keys). */
export const INHERITED_ENVIRONMENT_KEY = '_librechat-lambda/inherited-environment.json';

export interface InheritedEnvironmentProps {
  /** Task definition family (`family` or `family:revision`) or ARN, e.g. `aprochat-api`. */
  readonly ecsTaskDefinition: string;
  /** The container whose `environment` is inherited. */
  readonly containerName: string;
  /** Names the handler leaves out (besides Lambda's, the handler's and the function's own). */
  readonly exclude: readonly string[];
  /**
   * Private bucket the function can read, written by Terraform: its uploads bucket, which the
   * function is granted anyway.
   */
  readonly bucketName: string;
}

/**
 * An existing ECS task's container environment, handed to LibreChat. Terraform reads the task
 * definition and writes the container's `environment` (with the exclusions) as one JSON object to
 * S3; the function only carries a pointer to it and its SHA-256 (`INHERITED_ENVIRONMENT`), so
 * Lambda's 4 KB limit on all variables together does not bound the task's size. The handler
 * fetches and checks the object at cold start and applies the merge rules there
 * (`handler/src/inherited-environment.ts`), where they are unit-tested.
 *
 * The values pass through Terraform state (the data source and the object), as they already sit in
 * plain text in the task definition: secrets belong in the task's `secrets` (SSM), which are not
 * inherited and are listed in `librechat.secrets`.
 */
export class InheritedEnvironment extends Construct {
  readonly object: S3Object;
  /** The function's `INHERITED_ENVIRONMENT` value: `{"bucket","key","sha256"}` as JSON. */
  readonly setting: string;

  constructor(scope: Construct, id: string, props: InheritedEnvironmentProps) {
    super(scope, id);
    for (const name of props.exclude) {
      if (!ENV_NAME.test(name)) {
        throw new ValidationError(
          this,
          `exclude ${JSON.stringify(name)}: expected UPPER_SNAKE_CASE`,
        );
      }
    }
    const task = new DataAwsEcsTaskDefinition(this, 'task-definition', {
      taskDefinition: props.ecsTaskDefinition,
    });
    // The provider fails the plan with the container name when the task has no such container.
    const container = new DataAwsEcsContainerDefinition(this, 'container', {
      taskDefinition: task.arn,
      containerName: props.containerName,
    });
    const content = Fn.jsonencode({
      taskDefinition: task.arn,
      container: props.containerName,
      exclude: [...props.exclude],
      environment: container.interpolationForAttribute('environment'),
    });
    this.object = new S3Object(this, 'object', {
      bucket: props.bucketName,
      key: INHERITED_ENVIRONMENT_KEY,
      content,
      contentType: 'application/json',
    });
    // The hash ties the function to this exact content: a changed task environment changes the
    // function's configuration (so new environments start), and a stale object fails loudly.
    this.setting = Fn.jsonencode({
      bucket: props.bucketName,
      key: INHERITED_ENVIRONMENT_KEY,
      sha256: Fn.sha256(content),
    });
  }

  /**
   * Hands the environment to the function: the pointer as `INHERITED_ENVIRONMENT` (the handler
   * fetches and applies it), and the object in place before the function's first cold start.
   */
  passTo(fn: LibreChatFunction): void {
    fn.addEnvironment(ENV.INHERITED_ENVIRONMENT, this.setting).addDependency(this.object);
  }
}
