import { TerraformStack, Testing } from 'cdktf';
import {
  INHERITED_ENVIRONMENT_KEY,
  InheritedEnvironment,
} from '../../src/backend/inherited-environment';
import { devConfig } from '../helpers/config';
import { onlyResource, resourcesOf, synthScope, synthStack } from '../helpers/synth';

// librechat.environmentFrom: Terraform reads the task and writes its container environment to
// S3; the function gets a pointer and a hash. The merge rules are tested with the handler
// (handler/test/unit/inherited-environment.test.ts).
describe('InheritedEnvironment', () => {
  const json = synthScope(
    (s) =>
      new InheritedEnvironment(s, 'inherited', {
        ecsTaskDefinition: 'aprochat-api',
        containerName: 'aprochat-api',
        exclude: ['ASSETS_URL', 'HOST'],
        bucketName: 'librechat-lambda-files-dev',
      }),
  );
  const taskId = Object.keys(json.data.aws_ecs_task_definition)[0];
  const containerId = Object.keys(json.data.aws_ecs_container_definition)[0];
  const content =
    `\${jsonencode({"taskDefinition" = data.aws_ecs_task_definition.${taskId}.arn, ` +
    `"container" = "aprochat-api", "exclude" = ["ASSETS_URL", "HOST"], ` +
    `"environment" = data.aws_ecs_container_definition.${containerId}.environment})}`;

  it("reads the task definition and that container's definition", () => {
    expect(json.data.aws_ecs_task_definition[taskId].task_definition).toBe('aprochat-api');
    expect(json.data.aws_ecs_container_definition[containerId]).toMatchObject({
      task_definition: `\${data.aws_ecs_task_definition.${taskId}.arn}`,
      container_name: 'aprochat-api',
    });
  });

  it('writes the container environment with the exclusions to one S3 object', () => {
    expect(onlyResource(json, 'aws_s3_object')).toEqual({
      bucket: 'librechat-lambda-files-dev',
      key: INHERITED_ENVIRONMENT_KEY,
      content,
      content_type: 'application/json',
    });
  });

  it('rejects an exclusion that is not a variable name', () => {
    expect(
      () =>
        new InheritedEnvironment(new TerraformStack(Testing.app(), 't'), 'inherited', {
          ecsTaskDefinition: 'aprochat-api',
          containerName: 'aprochat-api',
          exclude: ['${x}'],
          bucketName: 'b',
        }),
    ).toThrow('exclude "${x}": expected UPPER_SNAKE_CASE');
  });
});

describe('LibreChatStack: the aprochat-api task environment', () => {
  const { json } = synthStack();
  const fn = onlyResource(json, 'aws_lambda_function');
  const objectId = Object.keys(resourcesOf(json, 'aws_s3_object')).find((id) =>
    id.startsWith('inherited-environment'),
  )!;
  const object = resourcesOf(json, 'aws_s3_object')[objectId];

  it('reads aprochat-api from config/dev.json, leaving out the design exclusions', () => {
    const [task] = Object.values<any>(json.data.aws_ecs_task_definition);
    expect(task.task_definition).toBe('aprochat-api');
    expect(object.content).toContain('"exclude" = ["ASSETS_URL", "HOST", "PORT", "TRUST_PROXY"]');
  });

  it('writes it into the uploads bucket, which the function role already reads', () => {
    const filesBucket = Object.entries<any>(json.module).find(
      ([, m]) => m.bucket === 'librechat-lambda-files-dev',
    )![0];
    expect(object.bucket).toBe(`\${module.${filesBucket}.s3_bucket_id}`);
  });

  it('gives the function a pointer and the content hash, and creates the object first', () => {
    expect(fn.environment.variables.INHERITED_ENVIRONMENT).toBe(
      `\${jsonencode({"bucket" = module.${
        Object.entries<any>(json.module).find(
          ([, m]) => m.bucket === 'librechat-lambda-files-dev',
        )![0]
      }.s3_bucket_id, "key" = "${INHERITED_ENVIRONMENT_KEY}", "sha256" = sha256(${object.content.slice(2, -1)})})}`,
    );
    expect(fn.depends_on).toContain(`aws_s3_object.${objectId}`);
  });

  it('keeps the function environment the same size however large the task is', () => {
    // Only the pointer is in the function's variables, not the task's (Lambda allows 4 KB).
    expect(Object.keys(fn.environment.variables)).not.toContain('OPENID_ISSUER');
    const { json: without } = synthStack(devConfig((c) => delete c.librechat.environmentFrom));
    const plain = onlyResource(without, 'aws_lambda_function').environment.variables;
    expect(Object.keys(fn.environment.variables).sort()).toEqual(
      [...Object.keys(plain), 'INHERITED_ENVIRONMENT'].sort(),
    );
    expect(resourcesOf(without, 'aws_s3_object')).toEqual({});
    expect(without.data.aws_ecs_task_definition).toBeUndefined();
  });
});
