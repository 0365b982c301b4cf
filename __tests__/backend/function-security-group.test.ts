import { FunctionSecurityGroup } from '../../src/backend/function-security-group';
import { onlyResource, resourcesOf, synthScope } from '../helpers/synth';

describe('FunctionSecurityGroup', () => {
  const json = synthScope((s) => {
    const group = new FunctionSecurityGroup(s, 'sg', {
      name: 'librechat-api-dev',
      vpcId: 'vpc-05e4efdfad1c2252a',
      vpcCidrBlock: '10.0.0.0/16',
    });
    group.allowTcpTo('redis', 'ElastiCache Redis', 'sg-0fedcba9876543210', 6379);
  });
  const group = onlyResource(json, 'aws_security_group');
  const rules = Object.values<any>(resourcesOf(json, 'aws_vpc_security_group_egress_rule'));
  const groupRef = `\${aws_security_group.${Object.keys(resourcesOf(json, 'aws_security_group'))[0]}.id}`;

  it('is named per environment in the VPC, with no inline ingress or egress blocks', () => {
    expect(group.name_prefix).toBe('librechat-api-dev-');
    expect(group.tags).toEqual({ Name: 'librechat-api-dev' });
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
    expect(group.vpc_id).toBe('vpc-05e4efdfad1c2252a');
    expect(group).not.toHaveProperty('ingress');
    expect(group).not.toHaveProperty('egress');
  });

  it('has no ingress rule at all', () => {
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(resourcesOf(json, 'aws_security_group_rule')).toEqual({});
  });

  it('allows exactly DocumentDB, Redis, TCP in the VPC and HTTPS out, each a separate rule', () => {
    const summary = rules.map((r) => ({
      to: r.cidr_ipv4 ?? r.referenced_security_group_id,
      ports: `${r.from_port}-${r.to_port}`,
      protocol: r.ip_protocol,
      group: r.security_group_id,
    }));
    expect(summary).toEqual(
      expect.arrayContaining([
        { to: '10.0.0.0/16', ports: '27017-27017', protocol: 'tcp', group: groupRef },
        { to: 'sg-0fedcba9876543210', ports: '6379-6379', protocol: 'tcp', group: groupRef },
        { to: '10.0.0.0/16', ports: '0-65535', protocol: 'tcp', group: groupRef },
        { to: '0.0.0.0/0', ports: '443-443', protocol: 'tcp', group: groupRef },
      ]),
    );
    expect(summary).toHaveLength(4);
  });
});
