import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Topic name, e.g. `librechat-alarms-dev`. */
  readonly topicName: string;
  /** Who is told: an e-mail subscription (the recipient must confirm it). @default none */
  readonly email?: string;
  /** The provider of the alarms' region: alarm actions must be in the alarm's region. */
  readonly provider?: TerraformProvider;
}

/**
 * Where CloudWatch alarms send their state changes: an SNS topic and, optionally, an e-mail
 * subscription. Not KMS-encrypted: CloudWatch cannot publish to a topic encrypted with the
 * AWS-managed aws/sns key, and alarm messages hold no secrets.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;
  readonly subscription?: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', {
      name: props.topicName,
      displayName: 'LibreChat alarms',
      provider: props.provider,
    });
    this.topicArn = this.topic.arn;
    if (props.email) {
      // Stays "PendingConfirmation" until the recipient follows the link in the e-mail.
      this.subscription = new SnsTopicSubscription(this, 'email', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.email,
        provider: props.provider,
      });
    }
  }
}
