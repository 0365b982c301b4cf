import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import type { Construct } from 'constructs';
import { CloudfrontModule, type CloudfrontModuleProps } from '../../../.gen/modules/cloudfront';
import { S3BucketModule } from '../../../.gen/modules/s3-bucket';
import { findingsOf, linesOf, ruleIds } from '../../helpers/guardrails';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

/** The shape the frontend will have: S3 default behavior through OAC, /api/* to API Gateway. */
function distribution(scope: Construct, change: Partial<CloudfrontModuleProps> = {}) {
  const bucket = new S3BucketModule(scope, 'site', {
    bucket: 'site',
    serverSideEncryptionConfiguration: {
      rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
    },
    attachDenyInsecureTransportPolicy: true,
  });
  return new CloudfrontModule(scope, 'cdn', {
    aliases: ['chat.example.com'],
    originAccessControl: {
      'site-dev': { originType: 's3', signingBehavior: 'always', signingProtocol: 'sigv4' },
    },
    origin: {
      s3: {
        domainName: bucket.s3BucketBucketRegionalDomainName,
        originAccessControlKey: 'site-dev',
      },
      api: {
        domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
        originPath: '/live',
        customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only' },
      },
    },
    defaultCacheBehavior: { targetOriginId: 's3', viewerProtocolPolicy: 'redirect-to-https' },
    orderedCacheBehavior: [
      { pathPattern: '/api/*', targetOriginId: 'api', viewerProtocolPolicy: 'https-only' },
    ],
    viewerCertificate: { acmCertificateArn: CERT, sslSupportMethod: 'sni-only' },
    ...change,
  });
}

describe('CloudFront module rules', () => {
  it('pass the intended distribution (module defaults: TLSv1.2_2025 viewers, TLSv1.2 origins)', () => {
    expect(findingsOf((s) => distribution(s))).toEqual([]);
  });

  it('GR-CF-VIEWER-HTTPS: flags a behavior that allows plain HTTP', () => {
    const findings = findingsOf((s) =>
      distribution(s, {
        orderedCacheBehavior: [
          { pathPattern: '/api/*', targetOriginId: 'api', viewerProtocolPolicy: 'allow-all' },
        ],
      }),
    );
    expect(ruleIds(findings)).toEqual(['GR-CF-VIEWER-HTTPS']);
    expect(linesOf(findings, 'GR-CF-VIEWER-HTTPS')).toEqual([
      'GR-CF-VIEWER-HTTPS module.cdn (test/cdn): ordered_cache_behavior "/api/*" viewer_protocol_policy is "allow-all". Fix: set viewer_protocol_policy = "redirect-to-https"',
    ]);
  });

  it('GR-CF-VIEWER-HTTPS: flags an old minimum TLS version and the default certificate', () => {
    const old = findingsOf((s) =>
      distribution(s, {
        viewerCertificate: { acmCertificateArn: CERT, minimumProtocolVersion: 'TLSv1.1_2016' },
      }),
    );
    expect(linesOf(old, 'GR-CF-VIEWER-HTTPS')).toEqual([
      expect.stringContaining('viewer_certificate.minimum_protocol_version is "TLSv1.1_2016"'),
    ]);
    const defaultCert = findingsOf((s) =>
      distribution(s, { viewerCertificate: { cloudfrontDefaultCertificate: true } }),
    );
    expect(linesOf(defaultCert, 'GR-CF-VIEWER-HTTPS')).toEqual([
      expect.stringContaining('default *.cloudfront.net certificate, which allows TLSv1'),
    ]);
  });

  it('GR-CF-S3-OAC: flags an S3 origin without OAC, or naming an OAC the module does not define', () => {
    const none = findingsOf((s) =>
      distribution(s).addOverride('origin.s3.origin_access_control_key', null),
    );
    expect(linesOf(none, 'GR-CF-S3-OAC')).toEqual([
      expect.stringContaining('S3 origin "s3" has no origin access control. Fix: give the origin'),
    ]);
    const unknown = findingsOf((s) =>
      distribution(s).addOverride('origin.s3.origin_access_control_key', 's3-typo'),
    );
    expect(linesOf(unknown, 'GR-CF-S3-OAC')[0]).toContain(
      'names origin_access_control_key "s3-typo", which origin_access_control does not define',
    );
  });

  it("GR-CF-S3-OAC: accepts the module's default OAC key s3 when origin_access_control is unset", () => {
    const findings = findingsOf((s) =>
      distribution(s, { originAccessControl: undefined }).addOverride(
        'origin.s3.origin_access_control_key',
        's3',
      ),
    );
    expect(findings).toEqual([]);
  });

  it('GR-CF-ORIGIN-HTTPS: flags a custom origin reached over HTTP or old TLS', () => {
    const findings = findingsOf((s) => {
      const cdn = distribution(s);
      cdn.addOverride('origin.api.custom_origin_config.origin_protocol_policy', 'match-viewer');
      cdn.addOverride('origin.api.custom_origin_config.origin_ssl_protocols', [
        'TLSv1.1',
        'TLSv1.2',
      ]);
    });
    expect(ruleIds(findings)).toEqual(['GR-CF-ORIGIN-HTTPS']);
    expect(linesOf(findings, 'GR-CF-ORIGIN-HTTPS')).toEqual([
      expect.stringContaining('origin "api" origin_protocol_policy is "match-viewer"'),
      expect.stringContaining('origin "api" origin_ssl_protocols is ["TLSv1.1","TLSv1.2"]'),
    ]);
  });
});

describe('CloudFront rules on a raw aws_cloudfront_distribution', () => {
  it('flag its plain-HTTP behavior, default TLS, public S3 origin and HTTP custom origin', () => {
    const findings = findingsOf(
      (s) =>
        new CloudfrontDistribution(s, 'raw', {
          enabled: true,
          origin: [
            { originId: 'site', domainName: 'site.s3.eu-west-1.amazonaws.com' },
            {
              originId: 'api',
              domainName: 'api.example.com',
              customOriginConfig: {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: 'http-only',
                originSslProtocols: ['TLSv1.2'],
              },
            },
          ],
          defaultCacheBehavior: {
            targetOriginId: 'site',
            viewerProtocolPolicy: 'allow-all',
            allowedMethods: ['GET', 'HEAD'],
            cachedMethods: ['GET', 'HEAD'],
          },
          restrictions: { geoRestriction: { restrictionType: 'none' } },
          viewerCertificate: { cloudfrontDefaultCertificate: true },
        }),
    );
    expect(ruleIds(findings)).toEqual(['GR-CF-ORIGIN-HTTPS', 'GR-CF-S3-OAC', 'GR-CF-VIEWER-HTTPS']);
    expect(linesOf(findings, 'GR-CF-VIEWER-HTTPS')).toHaveLength(3);
  });

  it('pass one with OAC, HTTPS viewers and TLSv1.2_2021', () => {
    const findings = findingsOf(
      (s) =>
        new CloudfrontDistribution(s, 'raw', {
          enabled: true,
          origin: [
            {
              originId: 'site',
              domainName: 'site.s3.eu-west-1.amazonaws.com',
              originAccessControlId: 'E2OAC',
            },
          ],
          defaultCacheBehavior: {
            targetOriginId: 'site',
            viewerProtocolPolicy: 'redirect-to-https',
            allowedMethods: ['GET', 'HEAD'],
            cachedMethods: ['GET', 'HEAD'],
          },
          restrictions: { geoRestriction: { restrictionType: 'none' } },
          viewerCertificate: {
            acmCertificateArn: CERT,
            sslSupportMethod: 'sni-only',
            minimumProtocolVersion: 'TLSv1.2_2021',
          },
        }),
    );
    expect(findings).toEqual([]);
  });
});
