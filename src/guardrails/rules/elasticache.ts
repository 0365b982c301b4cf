import { moduleInput } from '../module-defaults';
import type { GuardrailRule, Violation } from '../rule';
import { ELASTICACHE_MODULE_SOURCE } from './security-groups';

export const redisAtRestEncryptionRule: GuardrailRule = {
  id: 'GR-REDIS-AT-REST-ENCRYPTION',
  description: 'Redis/Valkey replication groups are encrypted at rest',
  fix: 'set at_rest_encryption_enabled = true (the elasticache module default) on a replication group',
  check(document) {
    const out: Violation[] = [];
    for (const m of document.modules(ELASTICACHE_MODULE_SOURCE)) {
      if (moduleInput(m, 'create') === false || moduleInput(m, 'engine') === 'memcached') continue;
      if (moduleInput(m, 'at_rest_encryption_enabled') !== true) {
        out.push({ element: m, problem: 'at_rest_encryption_enabled is not true' });
      }
    }
    for (const r of document.resources('aws_elasticache_replication_group')) {
      // The provider's default is false: the attribute must be set.
      if (
        r.body.at_rest_encryption_enabled !== true &&
        r.body.at_rest_encryption_enabled !== 'true'
      ) {
        out.push({ element: r, problem: 'at_rest_encryption_enabled is not true' });
      }
    }
    for (const c of document.resources('aws_elasticache_cluster')) {
      // A standalone Redis cluster cannot be encrypted at rest; a member of a group inherits it.
      if (c.body.replication_group_id || c.body.engine === 'memcached') continue;
      out.push({
        element: c,
        problem: 'a standalone Redis aws_elasticache_cluster cannot be encrypted at rest',
        fix: 'use aws_elasticache_replication_group (or the elasticache module) with at_rest_encryption_enabled = true',
      });
    }
    return out;
  },
};
