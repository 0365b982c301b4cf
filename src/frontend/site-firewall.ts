import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ValidationError } from '../core/validation-error';

/** The Common rule set's body-size rule: it blocks bodies over 8 KB. */
export const BODY_SIZE_RULE = 'SizeRestrictions_BODY';
/** The label that rule adds when it matches (also when its action is overridden to Count). */
export const BODY_SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';
export const COMMON_RULE_SET = 'AWSManagedRulesCommonRuleSet';
export const KNOWN_BAD_INPUTS_RULE_SET = 'AWSManagedRulesKnownBadInputsRuleSet';

/** The rate rule's defaults (the config schema's defaults too). */
export const SITE_FIREWALL_DEFAULTS = { rateLimit: 2000, rateWindowSeconds: 300 } as const;

export interface SiteFirewallProps {
  /** Web ACL name, unique per environment (and metric name prefix). */
  readonly name: string;
  /** Requests one IP may send per evaluation window before it is blocked. @default SITE_FIREWALL_DEFAULTS.rateLimit */
  readonly rateLimit?: number;
  /** The rate rule's window in seconds (60, 120, 300 or 600). @default SITE_FIREWALL_DEFAULTS.rateWindowSeconds */
  readonly rateWindowSeconds?: number;
  /**
   * Path prefixes (`/api/`, `/oauth/`) whose bodies may exceed 8 KB (prompts, uploads): the
   * Common set's body-size rule only counts there and still blocks everywhere else.
   */
  readonly largeBodyPathPrefixes: string[];
  /** The us-east-1 provider: CloudFront web ACLs live there. */
  readonly provider: TerraformProvider;
}

// The rules are given as `rule_json` (the WAF API's JSON form): the bindings leave `statement`
// untyped, and this way Terraform checks the JSON shape of every nested statement alike.
function visibility(metricName: string) {
  return { CloudWatchMetricsEnabled: true, MetricName: metricName, SampledRequestsEnabled: true };
}

/** The rules of the site's web ACL, in the WAF API's JSON form (`rule_json`). */
export function siteFirewallRules(props: Omit<SiteFirewallProps, 'provider'>): object[] {
  const managed = (priority: number, name: string, countOnly: string[] = []) => ({
    Name: name,
    Priority: priority,
    OverrideAction: { None: {} },
    Statement: {
      ManagedRuleGroupStatement: {
        VendorName: 'AWS',
        Name: name,
        ...(countOnly.length
          ? {
              RuleActionOverrides: countOnly.map((rule) => ({
                Name: rule,
                ActionToUse: { Count: {} },
              })),
            }
          : {}),
      },
    },
    VisibilityConfig: visibility(`${props.name}-${name}`),
  });
  const prefixes = props.largeBodyPathPrefixes.map((p) => p.slice(1, -1)).join('|');
  return [
    {
      Name: 'rate-limit-per-ip',
      Priority: 0,
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          Limit: props.rateLimit ?? SITE_FIREWALL_DEFAULTS.rateLimit,
          AggregateKeyType: 'IP',
          EvaluationWindowSec: props.rateWindowSeconds ?? SITE_FIREWALL_DEFAULTS.rateWindowSeconds,
        },
      },
      VisibilityConfig: visibility(`${props.name}-rate-limit`),
    },
    managed(1, COMMON_RULE_SET, [BODY_SIZE_RULE]),
    managed(2, KNOWN_BAD_INPUTS_RULE_SET),
    {
      // The body-size rule only counted (and labelled): block on its label outside the API.
      Name: 'large-bodies-only-for-the-api',
      Priority: 3,
      Action: { Block: {} },
      Statement: {
        AndStatement: {
          Statements: [
            { LabelMatchStatement: { Scope: 'LABEL', Key: BODY_SIZE_LABEL } },
            {
              NotStatement: {
                Statement: {
                  RegexMatchStatement: {
                    RegexString: `^/(${prefixes})/`,
                    FieldToMatch: { UriPath: {} },
                    TextTransformations: [{ Priority: 0, Type: 'NONE' }],
                  },
                },
              },
            },
          ],
        },
      },
      VisibilityConfig: visibility(`${props.name}-large-bodies`),
    },
  ];
}

/**
 * The site's AWS WAF web ACL (scope CLOUDFRONT, in us-east-1): a per-IP rate limit, and the AWS
 * managed Common and KnownBadInputs rule groups. The Common set's body-size rule would block
 * every prompt or upload over 8 KB, so it is overridden to Count and a rule of our own blocks on
 * its label only outside the API paths.
 */
export class SiteFirewall extends Construct {
  readonly webAcl: Wafv2WebAcl;
  /** For the distribution's `web_acl_id` (WAFv2 takes the ARN). */
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: SiteFirewallProps) {
    super(scope, id);
    if (props.largeBodyPathPrefixes.some((p) => !/^\/[a-z0-9-]+\/$/.test(p))) {
      throw new ValidationError(
        this,
        `largeBodyPathPrefixes must look like /api/, got ${JSON.stringify(props.largeBodyPathPrefixes)}`,
      );
    }
    this.webAcl = new Wafv2WebAcl(this, 'web_acl', {
      provider: props.provider,
      name: props.name,
      description: 'LibreChat site: per-IP rate limit, AWS managed Common and KnownBadInputs',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      ruleJson: JSON.stringify(siteFirewallRules(props)),
      visibilityConfig: {
        cloudwatchMetricsEnabled: true,
        metricName: props.name,
        sampledRequestsEnabled: true,
      },
    });
    this.webAclArn = this.webAcl.arn;
  }
}
