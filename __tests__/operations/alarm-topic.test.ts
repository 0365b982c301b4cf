import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AlarmTopic } from '../../src/operations/alarm-topic';
import { onlyResource, resourcesOf, synthScope } from '../helpers/synth';

describe('AlarmTopic', () => {
  it('makes an SNS topic and no subscription without an e-mail', () => {
    const json = synthScope((scope) => {
      new AlarmTopic(scope, 'alarms', { topicName: 'librechat-alarms-dev' });
    });
    expect(onlyResource(json, 'aws_sns_topic')).toMatchObject({ name: 'librechat-alarms-dev' });
    expect(resourcesOf(json, 'aws_sns_topic_subscription')).toEqual({});
  });

  it('subscribes the e-mail address to the topic, in the given provider', () => {
    const json = synthScope((scope) => {
      const usEast1 = new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us_east_1' });
      new AlarmTopic(scope, 'alarms', {
        topicName: 'librechat-alarms-dev',
        email: 'ops@example.com',
        provider: usEast1,
      });
    });
    const topicId = Object.keys(resourcesOf(json, 'aws_sns_topic'))[0];
    const topic = onlyResource(json, 'aws_sns_topic');
    const subscription = onlyResource(json, 'aws_sns_topic_subscription');
    expect(subscription).toMatchObject({
      protocol: 'email',
      endpoint: 'ops@example.com',
      topic_arn: `\${aws_sns_topic.${topicId}.arn}`,
      provider: 'aws.us_east_1',
    });
    expect(topic.provider).toBe('aws.us_east_1');
    // CloudWatch cannot publish to a topic under the AWS-managed aws/sns key.
    expect(topic.kms_master_key_id).toBeUndefined();
  });
});
