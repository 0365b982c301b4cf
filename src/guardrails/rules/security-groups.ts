import { moduleInput } from '../module-defaults';
import type { GuardrailRule, Violation } from '../rule';
import { blocksOf, listOf, type Block } from '../terraform-document';

export const ELASTICACHE_MODULE_SOURCE = 'terraform-aws-modules/elasticache/aws';

/** 0.0.0.0/0, ::/0 and any other /0: the whole internet. */
function isAnywhere(cidr: unknown): boolean {
  return typeof cidr === 'string' && /\/0$/.test(cidr.trim());
}

function openCidrs(...values: unknown[]): string[] {
  return values.flatMap((v) => listOf(v)).filter(isAnywhere) as string[];
}

export const securityGroupOpenIngressRule: GuardrailRule = {
  id: 'GR-SG-OPEN-INGRESS',
  description:
    'No security group ingress from 0.0.0.0/0 or ::/0 (egress to the internet is allowed)',
  fix: 'allow ingress only from the security groups that need it (referenced_security_group_id) or from the VPC CIDR',
  check(document) {
    const out: Violation[] = [];
    for (const r of document.resources('aws_vpc_security_group_ingress_rule')) {
      const open = openCidrs(r.body.cidr_ipv4, r.body.cidr_ipv6);
      if (open.length) out.push({ element: r, problem: `ingress from ${open.join(', ')}` });
    }
    for (const r of document.resources('aws_security_group_rule')) {
      if (r.body.type !== 'ingress') continue;
      const open = openCidrs(r.body.cidr_blocks, r.body.ipv6_cidr_blocks);
      if (open.length) out.push({ element: r, problem: `ingress from ${open.join(', ')}` });
    }
    for (const sg of document.resources('aws_security_group')) {
      blocksOf(sg.body.ingress).forEach((rule: Block, i) => {
        const open = openCidrs(rule.cidr_blocks, rule.ipv6_cidr_blocks);
        if (open.length) {
          out.push({
            element: sg,
            problem: `inline ingress ${rule.description ?? i} from ${open.join(', ')}`,
            fix: 'remove the inline rule; add aws_vpc_security_group_ingress_rule resources from specific security groups',
          });
        }
      });
    }
    for (const m of document.modules(ELASTICACHE_MODULE_SOURCE)) {
      const rules = (moduleInput(m, 'security_group_rules') ?? {}) as Record<string, Block>;
      for (const [key, rule] of Object.entries(rules)) {
        // The module treats a rule without `type` as ingress.
        if ((rule?.type ?? 'ingress') !== 'ingress') continue;
        const open = openCidrs(rule.cidr_ipv4, rule.cidr_ipv6);
        if (open.length) {
          out.push({
            element: m,
            problem: `security_group_rules "${key}" ingress from ${open.join(', ')}`,
            fix: 'use referenced_security_group_id of the client (the Lambda security group)',
          });
        }
      }
    }
    return out;
  },
};
