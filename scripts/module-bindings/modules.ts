/**
 * The registry modules this project binds, and what their recorded interfaces cannot say. The
 * interface (.gen/modules/interfaces/<file>) gives every variable's Terraform type; these
 * refinements only add knowledge the types lack, each checked by the generator against the
 * interface so a module upgrade cannot leave one pointing at nothing.
 */
export interface ModuleBindingSpec {
  /** The recorded interface, in .gen/modules/interfaces/. */
  readonly interfaceFile: string;
  /** The binding's file in .gen/modules/. */
  readonly file: string;
  /** Prefix of the generated names: `<prefix>Module`, `<prefix>ModuleInputs`, `<prefix>Origin`. */
  readonly prefix: string;
  /**
   * Types for variables the module declares as `any` (it reads their attributes in main.tf), as
   * Terraform type expressions: the binding then types and converts them like declared ones.
   * Only `any` variables may be refined.
   */
  readonly anyTypes?: Readonly<Record<string, string>>;
  /**
   * String values the AWS API accepts, by input path (snake_case, `*` for a map key, list
   * positions left out): the binding types them as a union of literals. Each path must be a
   * `string` in the (refined) interface.
   */
  readonly values?: Readonly<Record<string, readonly string[]>>;
  /** Output types other than `string` (outputs.tf declares no types). */
  readonly outputTypes?: Readonly<Record<string, 'number'>>;
}

const VIEWER_PROTOCOL_POLICIES = ['allow-all', 'https-only', 'redirect-to-https'];

export const MODULE_BINDINGS: readonly ModuleBindingSpec[] = [
  {
    interfaceFile: 's3-bucket-5.15.4.json',
    file: 's3-bucket.ts',
    prefix: 'S3Bucket',
    // As main.tf 5.15.4 reads them (try(rule.value.<attribute>, ...)).
    anyTypes: {
      cors_rule: `list(object({
        allowed_headers = optional(list(string))
        allowed_methods = list(string)
        allowed_origins = list(string)
        expose_headers  = optional(list(string))
        max_age_seconds = optional(number)
      }))`,
      server_side_encryption_configuration: `object({
        rule = object({
          apply_server_side_encryption_by_default = object({
            sse_algorithm     = string
            kms_master_key_id = optional(string)
          })
          bucket_key_enabled = optional(bool)
        })
      })`,
      // `filter = { prefix = "" }` is every object.
      lifecycle_rule: `list(object({
        id                                     = string
        enabled                                = bool
        filter                                 = optional(object({ prefix = optional(string) }))
        abort_incomplete_multipart_upload_days = optional(number)
        noncurrent_version_expiration = optional(object({
          days                      = optional(number)
          newer_noncurrent_versions = optional(number)
        }))
        expiration = optional(object({
          days                         = optional(number)
          expired_object_delete_marker = optional(bool)
        }))
      }))`,
    },
    values: {
      object_ownership: ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'],
      'server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm':
        ['AES256', 'aws:kms', 'aws:kms:dsse'],
    },
  },
  {
    interfaceFile: 'cloudfront-6.6.0.json',
    file: 'cloudfront.ts',
    prefix: 'Cloudfront',
    values: {
      http_version: ['http1.1', 'http2', 'http2and3', 'http3'],
      'origin_access_control.*.origin_type': ['s3', 'lambda', 'mediastore', 'mediapackagev2'],
      'origin_access_control.*.signing_behavior': ['always', 'never', 'no-override'],
      'origin_access_control.*.signing_protocol': ['sigv4'],
      'origin.*.custom_origin_config.origin_protocol_policy': [
        'http-only',
        'https-only',
        'match-viewer',
      ],
      'default_cache_behavior.viewer_protocol_policy': VIEWER_PROTOCOL_POLICIES,
      'ordered_cache_behavior.viewer_protocol_policy': VIEWER_PROTOCOL_POLICIES,
      'viewer_certificate.ssl_support_method': ['sni-only', 'vip', 'static-ip'],
      'cloudfront_functions.*.runtime': ['cloudfront-js-1.0', 'cloudfront-js-2.0'],
      'response_headers_policies.*.security_headers_config.frame_options.frame_option': [
        'DENY',
        'SAMEORIGIN',
      ],
    },
  },
  {
    interfaceFile: 'elasticache-1.10.3.json',
    file: 'elasticache.ts',
    prefix: 'Elasticache',
    // As main.tf 1.10.3 reads them. A rule's source group is `referenced_security_group_id`
    // (aws_vpc_security_group_*_rule); `source_security_group_id` is ignored by 1.10.x.
    anyTypes: {
      security_group_rules: `map(object({
        type                         = string
        from_port                    = optional(number)
        to_port                      = optional(number)
        ip_protocol                  = optional(string)
        description                  = optional(string)
        referenced_security_group_id = optional(string)
        cidr_ipv4                    = optional(string)
        cidr_ipv6                    = optional(string)
        prefix_list_id               = optional(string)
      }))`,
      // Log type (slow-log, engine-log) -> delivery; `{}` turns log delivery off. The module
      // creates the CloudWatch log group.
      log_delivery_configuration: `map(object({
        destination_type                       = string
        log_format                             = string
        destination                            = optional(string)
        cloudwatch_log_group_retention_in_days = optional(number)
        cloudwatch_log_group_kms_key_id        = optional(string)
      }))`,
    },
    values: {
      engine: ['redis', 'valkey'],
      'security_group_rules.*.type': ['ingress', 'egress'],
      'log_delivery_configuration.*.destination_type': ['cloudwatch-logs', 'kinesis-firehose'],
      'log_delivery_configuration.*.log_format': ['json', 'text'],
    },
    outputTypes: { replication_group_port: 'number' },
  },
];
