import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface SiteDnsProps {
  /** Existing Route53 hosted zone of the domain. */
  readonly hostedZoneId: string;
  /** The site's domain name. */
  readonly recordName: string;
  /** Where the name points: the distribution's domain name and CloudFront's zone id. */
  readonly target: { readonly domainName: string; readonly hostedZoneId: string };
  readonly provider?: TerraformProvider;
}

/** The site's name in the existing zone: alias A (IPv4) and AAAA (IPv6) records to CloudFront. */
export class SiteDns extends Construct {
  readonly ipv4: Route53Record;
  readonly ipv6: Route53Record;

  constructor(scope: Construct, id: string, props: SiteDnsProps) {
    super(scope, id);
    const alias = (type: 'A' | 'AAAA') =>
      new Route53Record(this, type.toLowerCase(), {
        provider: props.provider,
        zoneId: props.hostedZoneId,
        name: props.recordName,
        type,
        // CloudFront alias targets have no health to evaluate.
        alias: {
          name: props.target.domainName,
          zoneId: props.target.hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    this.ipv4 = alias('A');
    this.ipv6 = alias('AAAA');
  }
}
