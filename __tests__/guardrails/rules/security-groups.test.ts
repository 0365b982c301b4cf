import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ElasticacheModule } from '../../../.gen/modules/elasticache';
import { findingsOf, linesOf, ruleIds } from '../../helpers/guardrails';

describe('GR-SG-OPEN-INGRESS', () => {
  it('flags ingress rules from 0.0.0.0/0 and ::/0, and says how to fix', () => {
    const findings = findingsOf((s) => {
      const sg = new SecurityGroup(s, 'sg', { name: 'fn', vpcId: 'vpc-1' });
      new VpcSecurityGroupIngressRule(s, 'v4', {
        securityGroupId: sg.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
      });
      new VpcSecurityGroupIngressRule(s, 'v6', {
        securityGroupId: sg.id,
        cidrIpv6: '::/0',
        ipProtocol: '-1',
      });
      new SecurityGroupRule(s, 'legacy', {
        type: 'ingress',
        securityGroupId: sg.id,
        cidrBlocks: ['10.0.0.0/16', '0.0.0.0/0'],
        protocol: 'tcp',
        fromPort: 22,
        toPort: 22,
      });
    });
    expect(linesOf(findings, 'GR-SG-OPEN-INGRESS')).toEqual([
      'GR-SG-OPEN-INGRESS aws_vpc_security_group_ingress_rule.v4 (test/v4): ingress from 0.0.0.0/0. Fix: allow ingress only from the security groups that need it (referenced_security_group_id) or from the VPC CIDR',
      expect.stringContaining(
        'aws_vpc_security_group_ingress_rule.v6 (test/v6): ingress from ::/0',
      ),
      expect.stringContaining(
        'aws_security_group_rule.legacy (test/legacy): ingress from 0.0.0.0/0',
      ),
    ]);
  });

  it('allows egress to the internet and ingress from the VPC or a security group', () => {
    const findings = findingsOf((s) => {
      const sg = new SecurityGroup(s, 'sg', { name: 'fn', vpcId: 'vpc-1' });
      new VpcSecurityGroupEgressRule(s, 'https-out', {
        securityGroupId: sg.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
      });
      new VpcSecurityGroupIngressRule(s, 'from-vpc', {
        securityGroupId: sg.id,
        cidrIpv4: '10.0.0.0/16',
        ipProtocol: 'tcp',
        fromPort: 6379,
        toPort: 6379,
      });
      new SecurityGroupRule(s, 'egress-legacy', {
        type: 'egress',
        securityGroupId: sg.id,
        cidrBlocks: ['0.0.0.0/0'],
        protocol: '-1',
        fromPort: 0,
        toPort: 0,
      });
    });
    expect(findings).toEqual([]);
  });

  it('flags an open inline ingress block on aws_security_group', () => {
    const findings = findingsOf(
      (s) =>
        new SecurityGroup(s, 'sg', {
          name: 'fn',
          vpcId: 'vpc-1',
          ingress: [{ fromPort: 80, toPort: 80, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
        }),
    );
    expect(linesOf(findings, 'GR-SG-OPEN-INGRESS')).toEqual([
      expect.stringContaining('aws_security_group.sg (test/sg): inline ingress 0 from 0.0.0.0/0'),
    ]);
  });

  it("flags open ingress in the elasticache module's security_group_rules, type defaulting to ingress", () => {
    const findings = findingsOf((s) =>
      new ElasticacheModule(s, 'redis', {
        replicationGroupId: 'chat',
        vpcId: 'vpc-1',
        subnetIds: ['subnet-a', 'subnet-b'],
        securityGroupRules: {
          everyone: { type: 'ingress', cidrIpv4: '0.0.0.0/0' },
          lambda: { type: 'ingress', referencedSecurityGroupId: 'sg-123' },
          out: { type: 'egress', cidrIpv4: '0.0.0.0/0' },
        },
      }).addOverride('security_group_rules.untyped', { cidr_ipv6: '::/0' }),
    );
    expect(ruleIds(findings)).toEqual(['GR-SG-OPEN-INGRESS']);
    expect(linesOf(findings, 'GR-SG-OPEN-INGRESS')).toEqual([
      expect.stringContaining('security_group_rules "everyone" ingress from 0.0.0.0/0'),
      expect.stringContaining('security_group_rules "untyped" ingress from ::/0'),
    ]);
  });
});
