import type { TerraformElement } from './terraform-document';

/**
 * Defaults of the registry module inputs the rules rely on, per exact module version (from the
 * modules' recorded interfaces and sources; a test checks them against the interfaces). A module
 * block of another version gets no defaults: the rules then ask for the input to be set.
 */
const MODULE_DEFAULTS: Record<string, Record<string, unknown>> = {
  'terraform-aws-modules/s3-bucket/aws@5.15.4': {
    create_bucket: true,
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
    // Gates the module's aws_s3_bucket_public_access_block (count = ... && attach_public_policy).
    attach_public_policy: true,
    attach_deny_insecure_transport_policy: false,
    attach_policy: false,
    server_side_encryption_configuration: {},
  },
  'terraform-aws-modules/cloudfront/aws@6.6.0': {
    create: true,
    viewer_certificate: {},
    ordered_cache_behavior: [],
    origin: {},
    origin_access_control: {
      s3: { origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' },
    },
    // Attribute defaults inside object types (optional(type, default)).
    'viewer_certificate.minimum_protocol_version': 'TLSv1.2_2025',
    'default_cache_behavior.viewer_protocol_policy': 'https-only',
    'origin.custom_origin_config.origin_ssl_protocols': ['TLSv1.2'],
  },
  'terraform-aws-modules/elasticache/aws@1.10.3': {
    create: true,
    engine: 'redis',
    at_rest_encryption_enabled: true,
    log_delivery_configuration: {
      'slow-log': { destination_type: 'cloudwatch-logs', log_format: 'json' },
    },
    security_group_rules: {},
    // main.tf: retention_in_days = try(each.value.cloudwatch_log_group_retention_in_days, 14)
    'log_delivery_configuration.cloudwatch_log_group_retention_in_days': 14,
    // main.tf: try(v.type, "ingress")
    'security_group_rules.type': 'ingress',
  },
};

/** Recorded defaults of a module version (for tests and the README). */
export function moduleDefaults(source: string, version: string): Record<string, unknown> {
  return MODULE_DEFAULTS[`${source}@${version}`] ?? {};
}

/**
 * The value of a module input as the module will see it: the block's value, else the recorded
 * default of that module version; `undefined` when neither is known.
 */
export function moduleInput(module: TerraformElement, name: string): unknown {
  if (module.body[name] !== undefined && module.body[name] !== null) return module.body[name];
  return moduleDefaults(module.type, String(module.body.version ?? ''))[name];
}
