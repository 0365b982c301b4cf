import { TerraformDocument, referenceOf } from '../../src/guardrails/terraform-document';

describe('TerraformDocument', () => {
  const document = new TerraformDocument({
    resource: {
      aws_s3_bucket: { files: { bucket: 'f', '//': { metadata: { path: 'dev/files/bucket' } } } },
    },
    data: { aws_iam_policy_document: { doc: { statement: [] } } },
    module: { cdn: { source: 'terraform-aws-modules/cloudfront/aws', version: '6.6.0' } },
  });

  it('lists resources, data sources and modules with their Terraform address and construct path', () => {
    expect(document.elements.map((e) => [e.address, e.path])).toEqual([
      ['aws_s3_bucket.files', 'dev/files/bucket'],
      ['data.aws_iam_policy_document.doc', 'data.aws_iam_policy_document.doc'],
      ['module.cdn', 'module.cdn'],
    ]);
    expect(document.modules('terraform-aws-modules/cloudfront/aws')).toHaveLength(1);
    expect(document.modules('terraform-aws-modules/s3-bucket/aws')).toHaveLength(0);
  });

  it('follows ${...} references to the element they name', () => {
    expect(document.referenced('${aws_s3_bucket.files.arn}')?.path).toBe('dev/files/bucket');
    expect(document.referenced('${module.cdn.cloudfront_distribution_arn}')?.address).toBe(
      'module.cdn',
    );
    expect(document.referenced('prefix-${aws_s3_bucket.files.arn}')).toBeUndefined();
  });

  it.each([
    ['${aws_lambda_function.api.invoke_arn}', 'aws_lambda_function.api', 'invoke_arn'],
    ['${data.aws_ssm_parameter.x.value}', 'data.aws_ssm_parameter.x', 'value'],
    ['${module.redis.security_group_id}', 'module.redis', 'security_group_id'],
  ])('referenceOf(%s)', (expression, address, attribute) => {
    expect(referenceOf(expression)).toEqual({ address, attribute });
  });
});
