import { Button, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export interface TTrialEndingEmailProps {
  productName: string;
  /** The day the trial ends, already written out ("December 3, 2026"). */
  endsOn: string;
  billingUrl: string;
}

/**
 * Two days before a checkout's free trial ends: what happens then, and where to change or cancel. It names no
 * plan or price: it is written when the trial starts, and a plan changed during the trial must not make it wrong.
 */
export function TrialEndingEmail({ productName, endsOn, billingUrl }: TTrialEndingEmailProps) {
  return (
    <EmailLayout
      preview={`Your free ${productName} trial ends on ${endsOn}.`}
      footer="You get this mail because you started a free trial on your OMG account."
    >
      <Text style={heading}>Your free trial ends in 2 days</Text>
      <Text style={paragraph}>
        Your free {productName} trial ends on {endsOn}. From then on your subscription continues and your card
        is charged for the plan you have chosen.
      </Text>
      <Text style={paragraph}>
        To keep it, there is nothing to do. To change your plan or cancel before you are charged, open
        Billing.
      </Text>
      <Button href={billingUrl} style={button}>
        Open Billing
      </Button>
    </EmailLayout>
  );
}
