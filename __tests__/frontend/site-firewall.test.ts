import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { BODY_SIZE_LABEL, SiteFirewall, siteFirewallRules } from '../../src/frontend/site-firewall';
import { onlyResource, synthScope } from '../helpers/synth';

const PROPS = { name: 'librechat-site-dev', largeBodyPathPrefixes: ['/api/', '/oauth/'] };

/**
 * Whether a request with `labels` on `path` is blocked by a rule statement: the statement kinds
 * the site's rules use, evaluated as AWS WAF documents them.
 */
function matches(statement: any, path: string, labels: string[]): boolean {
  if (statement.AndStatement) {
    return statement.AndStatement.Statements.every((s: any) => matches(s, path, labels));
  }
  if (statement.NotStatement) return !matches(statement.NotStatement.Statement, path, labels);
  if (statement.LabelMatchStatement) return labels.includes(statement.LabelMatchStatement.Key);
  if (statement.RegexMatchStatement) {
    expect(statement.RegexMatchStatement.FieldToMatch).toEqual({ UriPath: {} });
    return new RegExp(statement.RegexMatchStatement.RegexString).test(path);
  }
  throw new Error(`statement kind not modelled: ${Object.keys(statement)}`);
}

describe('SiteFirewall', () => {
  const json = synthScope((scope) => {
    const provider = new AwsProvider(scope, 'aws_us_east_1', {
      region: 'us-east-1',
      alias: 'us_east_1',
    });
    new SiteFirewall(scope, 'site-firewall', { ...PROPS, provider });
  });
  const acl = onlyResource(json, 'aws_wafv2_web_acl');
  const rules = JSON.parse(acl.rule_json);

  it('is a CloudFront web ACL in us-east-1 that allows by default', () => {
    expect(acl.scope).toBe('CLOUDFRONT');
    expect(acl.provider).toBe('aws.us_east_1');
    expect(acl.default_action).toEqual({ allow: {} });
    expect(acl.visibility_config.cloudwatch_metrics_enabled).toBe(true);
  });

  it('blocks an IP above the rate limit (default 2000 per 5 minutes, about 100 page loads)', () => {
    const rate = rules.find((r: any) => r.Statement.RateBasedStatement);
    expect(rate.Action).toEqual({ Block: {} });
    expect(rate.Statement.RateBasedStatement).toEqual({
      Limit: 2000,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
    const custom = siteFirewallRules({ ...PROPS, rateLimit: 500, rateWindowSeconds: 60 });
    expect(custom[0]).toMatchObject({
      Statement: { RateBasedStatement: { Limit: 500, EvaluationWindowSec: 60 } },
    });
  });

  it('uses the AWS managed Common and KnownBadInputs rule groups', () => {
    const groups = rules
      .filter((r: any) => r.Statement.ManagedRuleGroupStatement)
      .map((r: any) => [
        r.Statement.ManagedRuleGroupStatement.VendorName,
        r.Statement.ManagedRuleGroupStatement.Name,
        r.OverrideAction,
      ]);
    expect(groups).toEqual([
      ['AWS', 'AWSManagedRulesCommonRuleSet', { None: {} }],
      ['AWS', 'AWSManagedRulesKnownBadInputsRuleSet', { None: {} }],
    ]);
    expect(new Set(rules.map((r: any) => r.Priority)).size).toBe(rules.length);
  });

  it('lets bodies over 8 KB through on /api/* and /oauth/* and blocks them elsewhere', () => {
    const common = rules.find(
      (r: any) => r.Statement.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesCommonRuleSet',
    );
    // The managed rule itself only counts (and labels the request)...
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    // ...and the only rule that blocks on its label spares the API paths.
    const onLabel = rules.filter((r: any) => JSON.stringify(r.Statement).includes(BODY_SIZE_LABEL));
    expect(onLabel).toHaveLength(1);
    expect(onLabel[0].Action).toEqual({ Block: {} });
    expect(onLabel[0].Priority).toBeGreaterThan(common.Priority);
    const blocked = (path: string, labels = [BODY_SIZE_LABEL]) =>
      matches(onLabel[0].Statement, path, labels);
    expect(blocked('/api/agents/chat/openAI')).toBe(false);
    expect(blocked('/api/files')).toBe(false);
    expect(blocked('/oauth/openid/callback')).toBe(false);
    expect(blocked('/index.html')).toBe(true);
    expect(blocked('/apifoo/x')).toBe(true);
    expect(blocked('/assets/api/x')).toBe(true);
    expect(blocked('/index.html', [])).toBe(false);
  });

  it('refuses path prefixes that are not /segment/', () => {
    expect(() =>
      synthScope((scope) => {
        const provider = new AwsProvider(scope, 'aws', { region: 'us-east-1' });
        new SiteFirewall(scope, 'fw', { ...PROPS, largeBodyPathPrefixes: ['api/*'], provider });
      }),
    ).toThrow(/largeBodyPathPrefixes must look like \/api\//);
  });
});
