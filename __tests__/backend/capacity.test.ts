import { TerraformStack, Testing } from 'cdktf';
import { ProvisionedAlias } from '../../src/backend/provisioned-alias';
import { devConfig } from '../helpers/config';
import { onlyResource, resourcesOf, synthStack } from '../helpers/synth';

// lambda.provisionedConcurrency and lambda.reservedConcurrency, from config/dev.json.
describe('capacity settings', () => {
  const { json: plain } = synthStack();
  const { json: provisioned } = synthStack(
    devConfig(
      (c) => (c.lambda = { ...c.lambda, provisionedConcurrency: 2, reservedConcurrency: 20 }),
    ),
  );
  const fnId = (json: any) => Object.keys(resourcesOf(json, 'aws_lambda_function'))[0];
  const streaming = (json: any) =>
    Object.values<any>(resourcesOf(json, 'aws_api_gateway_integration')).filter(
      (i) => i.type === 'AWS_PROXY',
    );

  it('by default publishes no version, has no alias and reserves nothing', () => {
    const fn = onlyResource(plain, 'aws_lambda_function');
    expect(fn.publish).toBeUndefined();
    expect(fn.reserved_concurrent_executions).toBeUndefined();
    expect(resourcesOf(plain, 'aws_lambda_alias')).toEqual({});
    expect(resourcesOf(plain, 'aws_lambda_provisioned_concurrency_config')).toEqual({});
    for (const p of Object.values<any>(resourcesOf(plain, 'aws_lambda_permission'))) {
      expect(p.qualifier).toBeUndefined();
    }
  });

  it('with provisioned concurrency: a published version, an alias on it, provisioned on the alias', () => {
    const id = fnId(provisioned);
    const fn = onlyResource(provisioned, 'aws_lambda_function');
    expect(fn.publish).toBe(true);
    expect(fn.reserved_concurrent_executions).toBe(20);
    const alias = onlyResource(provisioned, 'aws_lambda_alias');
    expect(alias).toMatchObject({
      name: 'live',
      function_name: `\${aws_lambda_function.${id}.function_name}`,
      function_version: `\${aws_lambda_function.${id}.version}`,
    });
    const aliasId = Object.keys(resourcesOf(provisioned, 'aws_lambda_alias'))[0];
    expect(onlyResource(provisioned, 'aws_lambda_provisioned_concurrency_config')).toMatchObject({
      function_name: `\${aws_lambda_function.${id}.function_name}`,
      qualifier: `\${aws_lambda_alias.${aliasId}.name}`,
      provisioned_concurrent_executions: 2,
    });
  });

  it('with provisioned concurrency the API invokes the alias, and may invoke only the alias', () => {
    const aliasId = Object.keys(resourcesOf(provisioned, 'aws_lambda_alias'))[0];
    const integrations = streaming(provisioned);
    expect(integrations).toHaveLength(2);
    for (const integration of integrations) {
      expect(integration.uri).toBe(
        `arn:aws:apigateway:eu-west-1:lambda:path/2021-11-15/functions/\${aws_lambda_alias.${aliasId}.arn}/response-streaming-invocations`,
      );
    }
    const permissions = Object.values<any>(resourcesOf(provisioned, 'aws_lambda_permission'));
    expect(permissions).toHaveLength(2);
    for (const permission of permissions) {
      expect(permission.qualifier).toBe(`\${aws_lambda_alias.${aliasId}.name}`);
      expect(permission.action).toBe('lambda:InvokeFunction');
    }
  });

  it('reserves concurrency without provisioning any', () => {
    const { json } = synthStack(
      devConfig((c) => (c.lambda = { ...c.lambda, reservedConcurrency: 5 })),
    );
    expect(onlyResource(json, 'aws_lambda_function').reserved_concurrent_executions).toBe(5);
    expect(onlyResource(json, 'aws_lambda_function').publish).toBeUndefined();
    expect(resourcesOf(json, 'aws_lambda_alias')).toEqual({});
  });

  it('refuses an alias with nothing to provision', () => {
    expect(
      () =>
        new ProvisionedAlias(new TerraformStack(Testing.app(), 't'), 'alias', {
          functionName: 'f',
          functionVersion: '1',
          provisionedConcurrency: 0,
        }),
    ).toThrow('provisionedConcurrency must be a whole number of at least 1, got 0');
  });
});
