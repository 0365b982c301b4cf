import { moduleInput } from '../module-defaults';
import type { GuardrailRule, Violation } from '../rule';
import {
  blocksOf,
  referenceOf,
  type Block,
  type TerraformDocument,
  type TerraformElement,
} from '../terraform-document';
import { parsePolicy, statementsOf } from './policy';

export const S3_BUCKET_MODULE_SOURCE = 'terraform-aws-modules/s3-bucket/aws';
const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
] as const;

/** Module blocks that create a bucket. */
function bucketModules(document: TerraformDocument): TerraformElement[] {
  return document
    .modules(S3_BUCKET_MODULE_SOURCE)
    .filter((m) => moduleInput(m, 'create_bucket') !== false);
}

/**
 * The companion resources (public access block, encryption, policy) of a raw aws_s3_bucket:
 * those whose `bucket` refers to it (`${aws_s3_bucket.x.id}` / `.bucket`) or repeats its name.
 */
function companions(
  document: TerraformDocument,
  bucket: TerraformElement,
  type: string,
): TerraformElement[] {
  return document.resources(type).filter((c) => {
    const target = c.body.bucket;
    const ref = referenceOf(target);
    if (ref) return ref.address === bucket.address && ['id', 'bucket'].includes(ref.attribute);
    return typeof target === 'string' && target === bucket.body.bucket;
  });
}

/** Does a bucket policy deny requests without TLS (Deny + Bool aws:SecureTransport = false)? */
export function deniesInsecureTransport(policy: unknown): boolean {
  const parsed = parsePolicy(policy);
  if (!parsed.document) return false;
  return statementsOf(parsed.document).some((s) => {
    if (s.Effect !== 'Deny') return false;
    const bool = s.Condition?.Bool ?? {};
    const value = bool['aws:SecureTransport'];
    return [value].flat().some((v) => String(v) === 'false');
  });
}

const USE_MODULE = `or build the bucket with the ${S3_BUCKET_MODULE_SOURCE} module (S3BucketModule)`;

export const s3PublicAccessRule: GuardrailRule = {
  id: 'GR-S3-PUBLIC-ACCESS',
  description: 'S3 buckets block all public access (all four public access block settings true)',
  fix: 'keep block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets and attach_public_policy true (the module defaults); serve public content through CloudFront with OAC',
  check(document) {
    const out: Violation[] = [];
    for (const m of bucketModules(document)) {
      const off = [...PUBLIC_ACCESS_FLAGS, 'attach_public_policy'].filter(
        (flag) => moduleInput(m, flag) !== true,
      );
      if (off.length) out.push({ element: m, problem: `${off.join(', ')} not true` });
    }
    for (const b of document.resources('aws_s3_bucket')) {
      const blocks = companions(document, b, 'aws_s3_bucket_public_access_block');
      if (blocks.length === 0) {
        out.push({
          element: b,
          problem: 'no aws_s3_bucket_public_access_block refers to this bucket',
          fix: `add an aws_s3_bucket_public_access_block with all four settings true, ${USE_MODULE}`,
        });
        continue;
      }
      for (const block of blocks) {
        const off = PUBLIC_ACCESS_FLAGS.filter((flag) => block.body[flag] !== true);
        if (off.length) {
          out.push({
            element: block,
            problem: `${off.join(', ')} not true for bucket ${b.address}`,
            fix: 'set all four public access block settings to true',
          });
        }
      }
    }
    return out;
  },
};

export const s3EncryptionRule: GuardrailRule = {
  id: 'GR-S3-ENCRYPTION',
  description: 'S3 buckets declare default server-side encryption (SSE-S3 or SSE-KMS)',
  fix: 'set server_side_encryption_configuration = { rule: { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" | "aws:kms" } } }',
  check(document) {
    const out: Violation[] = [];
    for (const m of bucketModules(document)) {
      const sse = moduleInput(m, 'server_side_encryption_configuration') as Block | undefined;
      const algorithm = blocksOf(sse?.rule)
        .map((r) => blocksOf(r.apply_server_side_encryption_by_default)[0]?.sse_algorithm)
        .find(Boolean);
      if (!algorithm) {
        out.push({
          element: m,
          problem: 'server_side_encryption_configuration sets no sse_algorithm',
        });
      }
    }
    for (const b of document.resources('aws_s3_bucket')) {
      const configs = companions(document, b, 'aws_s3_bucket_server_side_encryption_configuration');
      const ok = configs.some((c) =>
        blocksOf(c.body.rule).some(
          (r) => blocksOf(r.apply_server_side_encryption_by_default)[0]?.sse_algorithm,
        ),
      );
      if (!ok) {
        out.push({
          element: b,
          problem:
            'no aws_s3_bucket_server_side_encryption_configuration with an sse_algorithm refers to this bucket',
          fix: `add one, ${USE_MODULE} with server_side_encryption_configuration`,
        });
      }
    }
    return out;
  },
};

export const s3TlsOnlyRule: GuardrailRule = {
  id: 'GR-S3-TLS-ONLY',
  description: 'S3 bucket policies deny requests not made over TLS (aws:SecureTransport = false)',
  fix: 'set attach_deny_insecure_transport_policy = true on the module (or add a Deny statement with Condition Bool aws:SecureTransport "false" to the bucket policy)',
  check(document) {
    const out: Violation[] = [];
    for (const m of bucketModules(document)) {
      const viaFlag = moduleInput(m, 'attach_deny_insecure_transport_policy') === true;
      const viaPolicy =
        moduleInput(m, 'attach_policy') === true && deniesInsecureTransport(m.body.policy);
      if (!viaFlag && !viaPolicy) {
        out.push({ element: m, problem: 'attach_deny_insecure_transport_policy is not true' });
      }
    }
    for (const b of document.resources('aws_s3_bucket')) {
      const policies = companions(document, b, 'aws_s3_bucket_policy');
      if (!policies.some((p) => deniesInsecureTransport(p.body.policy))) {
        out.push({
          element: b,
          problem: 'no aws_s3_bucket_policy of this bucket denies aws:SecureTransport = false',
          fix: `add a Deny statement on s3:* with Condition Bool aws:SecureTransport "false", ${USE_MODULE} and attach_deny_insecure_transport_policy`,
        });
      }
    }
    return out;
  },
};
