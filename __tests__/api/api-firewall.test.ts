import { ApiFirewall } from '../../src/api/api-firewall';
import { onlyResource, synthScope } from '../helpers/synth';

describe('ApiFirewall', () => {
  let firewall!: ApiFirewall;
  const json = synthScope((scope) => {
    firewall = new ApiFirewall(scope, 'api-firewall', {
      name: 'librechat-api-dev',
      stageArn: 'arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/prod',
      headerName: 'x-origin-verify',
      acceptedValues: ['currentSecret123', 'previousSecret456'],
    });
  });
  const acl = onlyResource(json, 'aws_wafv2_web_acl');
  // What Terraform's jsonencode(...) turns into rule_json.
  const rules = JSON.parse(JSON.stringify(firewall.rules));

  it('writes the rules as a jsonencode expression of exactly those rules', () => {
    expect(acl.rule_json).toMatch(/^\$\{jsonencode\(\[\{/);
    expect(acl.rule_json).toContain('"RegexString" = "^currentSecret123$"');
    expect(acl.rule_json).toContain('"RegexString" = "^previousSecret456$"');
  });

  it('blocks by default and allows only the origin header with the current or previous value', () => {
    expect(acl.scope).toBe('REGIONAL');
    expect(acl.default_action).toEqual({ block: {} });
    expect(rules).toHaveLength(1);
    expect(rules[0].Action).toEqual({ Allow: {} });
    const alternatives = rules[0].Statement.OrStatement.Statements.map(
      (s: any) => s.RegexMatchStatement,
    );
    for (const a of alternatives) {
      expect(a.FieldToMatch).toEqual({ SingleHeader: { Name: 'x-origin-verify' } });
    }
    const allowed = (value: string) =>
      alternatives.some((a: any) => new RegExp(a.RegexString).test(value));
    expect(allowed('currentSecret123')).toBe(true);
    expect(allowed('previousSecret456')).toBe(true);
    expect(allowed('currentSecret1234')).toBe(false);
    expect(allowed('xcurrentSecret123')).toBe(false);
    expect(allowed('')).toBe(false);
  });

  it('keeps sampled requests (which show the header value) off', () => {
    expect(acl.visibility_config.sampled_requests_enabled).toBe(false);
    expect(rules[0].VisibilityConfig.SampledRequestsEnabled).toBe(false);
  });

  it('is associated with the stage', () => {
    const association = onlyResource(json, 'aws_wafv2_web_acl_association');
    expect(association.resource_arn).toBe(
      'arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/prod',
    );
    expect(association.web_acl_arn).toMatch(/^\$\{aws_wafv2_web_acl\.[\w-]+\.arn\}$/);
  });

  it('refuses values that would need escaping in the pattern', () => {
    expect(() =>
      synthScope(
        (scope) =>
          new ApiFirewall(scope, 'fw', {
            name: 'x',
            stageArn: 'arn',
            headerName: 'x-origin-verify',
            acceptedValues: ['a.b'],
          }),
      ),
    ).toThrow(/letters and digits/);
  });
});
