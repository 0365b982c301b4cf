import { SiteDns } from '../../src/frontend/site-dns';
import { resourcesOf, synthScope } from '../helpers/synth';

describe('SiteDns', () => {
  const json = synthScope((scope) => {
    new SiteDns(scope, 'site-dns', {
      hostedZoneId: 'Z094499229C0ZN7M8OFEE',
      recordName: 'lambda-test.sandbox.data.apro.is',
      target: { domainName: 'd111111abcdef8.cloudfront.net', hostedZoneId: 'Z2FDTNDATAQYW2' },
    });
  });
  const records = Object.values<any>(resourcesOf(json, 'aws_route53_record'));

  it('points IPv4 (A) and IPv6 (AAAA) alias records of the domain at the distribution', () => {
    expect(records.map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record).toMatchObject({
        zone_id: 'Z094499229C0ZN7M8OFEE',
        name: 'lambda-test.sandbox.data.apro.is',
        alias: {
          name: 'd111111abcdef8.cloudfront.net',
          zone_id: 'Z2FDTNDATAQYW2',
          evaluate_target_health: false,
        },
      });
      // Alias records carry no TTL or literal values of their own.
      expect(record.ttl).toBeUndefined();
      expect(record.records).toBeUndefined();
    }
  });
});
