import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ValidationError } from '../core/validation-error';

export interface ApiFirewallProps {
  /** Web ACL name, unique per environment (and metric name). */
  readonly name: string;
  /** ARN of the API stage to protect (`aws_api_gateway_stage.arn`). */
  readonly stageArn: string;
  /** The header CloudFront adds (lowercase). */
  readonly headerName: string;
  /** Values accepted in it: the current secret and the previous one (during a rotation). */
  readonly acceptedValues: string[];
  /** The stack's regional provider (the stage's region). */
  readonly provider?: TerraformProvider;
}

/**
 * A regional AWS WAF web ACL on the API stage that lets through only requests carrying the
 * origin header with the current or previous secret, AWS's documented way to keep callers from
 * bypassing CloudFront. Everything else is blocked by API Gateway before Lambda is invoked, so a
 * direct call to the execute-api URL can no longer start LibreChat.
 */
export class ApiFirewall extends Construct {
  readonly webAcl: Wafv2WebAcl;
  /** The rules in the WAF API's JSON form (values may be Terraform references). */
  readonly rules: object[];

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    if (props.acceptedValues.length === 0) {
      throw new ValidationError(this, `acceptedValues must not be empty`);
    }
    if (props.acceptedValues.some((v) => !/^([A-Za-z0-9]+|\$\{[^}]+\})$/.test(v))) {
      throw new ValidationError(
        this,
        `acceptedValues must be letters and digits (used in a regex)`,
      );
    }
    // RegexString is a plain string in the WAF API (SearchString would be a base64 blob in the
    // JSON form); the secrets are letters and digits, so the pattern needs no escaping.
    const matches = (value: string) => ({
      RegexMatchStatement: {
        RegexString: `^${value}$`,
        FieldToMatch: { SingleHeader: { Name: props.headerName } },
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      },
    });
    // Sampled requests would show the header's value in the console.
    const visibility = (metricName: string) => ({
      CloudWatchMetricsEnabled: true,
      MetricName: metricName,
      SampledRequestsEnabled: false,
    });
    const rules = (this.rules = [
      {
        Name: 'through-cloudfront',
        Priority: 0,
        Action: { Allow: {} },
        Statement:
          props.acceptedValues.length === 1
            ? matches(props.acceptedValues[0])
            : { OrStatement: { Statements: props.acceptedValues.map(matches) } },
        VisibilityConfig: visibility(`${props.name}-through-cloudfront`),
      },
    ]);
    this.webAcl = new Wafv2WebAcl(this, 'web_acl', {
      provider: props.provider,
      name: props.name,
      description: `LibreChat API: only requests through CloudFront (${props.headerName})`,
      scope: 'REGIONAL',
      defaultAction: { block: {} },
      // jsonencode, not JSON.stringify: the values are references, and `cdktf synth --hcl`
      // renders a JSON string holding references without escaping its quotes.
      ruleJson: Fn.jsonencode(rules),
      visibilityConfig: {
        cloudwatchMetricsEnabled: true,
        metricName: props.name,
        sampledRequestsEnabled: false,
      },
    });
    new Wafv2WebAclAssociation(this, 'association', {
      provider: props.provider,
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.arn,
    });
  }
}
