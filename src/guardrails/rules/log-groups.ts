import { moduleInput } from '../module-defaults';
import type { GuardrailRule, Violation } from '../rule';
import type { Block } from '../terraform-document';
import { hasRetention } from './lambda';
import { ELASTICACHE_MODULE_SOURCE } from './security-groups';

export const logRetentionRule: GuardrailRule = {
  id: 'GR-LOG-RETENTION',
  description:
    'Every CloudWatch log group the stack creates has a retention (never "never expire")',
  fix: 'set retention_in_days to a positive number of days (e.g. 30)',
  check(document) {
    const out: Violation[] = [];
    for (const g of document.resources('aws_cloudwatch_log_group')) {
      if (!hasRetention(g.body.retention_in_days)) {
        out.push({
          element: g,
          problem: `retention_in_days is ${JSON.stringify(g.body.retention_in_days ?? null)}`,
        });
      }
    }
    for (const m of document.modules(ELASTICACHE_MODULE_SOURCE)) {
      if (moduleInput(m, 'create') === false) continue;
      const deliveries = (moduleInput(m, 'log_delivery_configuration') ?? {}) as Record<
        string,
        Block
      >;
      const retentionDefault = moduleInput(
        m,
        'log_delivery_configuration.cloudwatch_log_group_retention_in_days',
      );
      for (const [key, delivery] of Object.entries(deliveries)) {
        // Only deliveries for which the module creates the log group.
        if (
          delivery?.destination_type !== 'cloudwatch-logs' ||
          delivery.create_cloudwatch_log_group === false
        ) {
          continue;
        }
        const retention = delivery.cloudwatch_log_group_retention_in_days ?? retentionDefault;
        if (!hasRetention(retention)) {
          out.push({
            element: m,
            problem: `log_delivery_configuration "${key}" cloudwatch_log_group_retention_in_days is ${JSON.stringify(retention ?? null)}`,
            fix: 'set cloudwatch_log_group_retention_in_days to a positive number of days',
          });
        }
      }
    }
    return out;
  },
};
