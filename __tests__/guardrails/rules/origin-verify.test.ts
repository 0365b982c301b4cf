import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { Guardrails } from '../../../src/guardrails';
import { synthStack } from '../../helpers/synth';

// Mutations of the real dev stack: each must make exactly its rule fail.
function findingsAfter(mutate: (stack: ReturnType<typeof synthStack>['stack']) => void) {
  const { stack } = synthStack();
  mutate(stack);
  return Guardrails.of(stack)!.findings();
}

describe('GR-ORIGIN-VERIFY', () => {
  it('flags the function when CloudFront stops sending the header', () => {
    const findings = findingsAfter((stack) =>
      stack.frontendDistribution.module.addOverride('origin.api.custom_header', null),
    );
    expect(findings.map((f) => [f.ruleId, f.problem])).toEqual([
      ['GR-ORIGIN-VERIFY', 'CloudFront origin "api" does not send x-origin-verify'],
    ]);
  });

  it('flags the function without the secret, or with the check turned off', () => {
    const noSecret = findingsAfter((stack) =>
      stack.librechatFunction.function.addOverride(
        'environment.variables.SSM_SECRETS',
        JSON.stringify({ MONGO_URI: '/x' }),
      ),
    );
    expect(noSecret.map((f) => [f.ruleId, f.problem])).toEqual([
      ['GR-ORIGIN-VERIFY', 'SSM_SECRETS has no ORIGIN_VERIFY_SECRET'],
    ]);
    const off = findingsAfter((stack) =>
      stack.librechatFunction.function.addOverride(
        'environment.variables.ORIGIN_VERIFY_DISABLED',
        'true',
      ),
    );
    expect(off.map((f) => [f.ruleId, f.problem])).toEqual([
      ['GR-ORIGIN-VERIFY', 'ORIGIN_VERIFY_DISABLED is true'],
    ]);
  });
});

describe('GR-LAMBDA-SECRET-REFERENCE', () => {
  it('flags an innocently named variable that carries the origin secret', () => {
    const findings = findingsAfter((stack) =>
      stack.librechatFunction.addEnvironment('APP_TITLE', stack.originVerifySecret.value),
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['GR-LAMBDA-SECRET-REFERENCE']);
    expect(findings[0].problem).toMatch(
      /^environment variable APP_TITLE references random_password\.[\w-]+\.result$/,
    );
  });

  it('flags a reference to an SSM parameter value', () => {
    const findings = findingsAfter((stack) =>
      stack.librechatFunction.addEnvironment(
        'DISPLAY_NAME',
        stack.originVerifySecret.parameter.value,
      ),
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['GR-LAMBDA-SECRET-REFERENCE']);
  });
});

describe('GR-APIGW-THROTTLE', () => {
  it('flags the stage when its throttling settings are removed or zeroed', () => {
    const removed = findingsAfter((stack) => {
      const settings = stack.restApi.node
        .findAll()
        .find((c) => c instanceof ApiGatewayMethodSettings) as ApiGatewayMethodSettings;
      settings.addOverride('method_path', 'api/GET');
    });
    expect(removed.map((f) => [f.ruleId, f.problem])).toEqual([
      ['GR-APIGW-THROTTLE', 'no aws_api_gateway_method_settings for "*/*" of this stage'],
    ]);
    const zero = findingsAfter((stack) => {
      const settings = stack.restApi.node
        .findAll()
        .find((c) => c instanceof ApiGatewayMethodSettings) as ApiGatewayMethodSettings;
      settings.addOverride('settings.throttling_rate_limit', 0);
    });
    expect(zero.map((f) => f.ruleId)).toEqual(['GR-APIGW-THROTTLE']);
  });
});
