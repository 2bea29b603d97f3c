import { Button, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export interface TBillingNoticeEmailProps {
  title: string;
  /** Short paragraphs, already in the person's terms (product and plan names from the catalog). */
  lines: string[];
  action: { label: string; url: string };
}

/** Every billing notice (payment failed, canceled, refunded, plan changed): what happened, and the way to Billing. */
export function BillingNoticeEmail({ title, lines, action }: TBillingNoticeEmailProps) {
  return (
    <EmailLayout
      preview={lines[0] ?? title}
      footer="You get this mail because of a change to a subscription on your OMG account."
    >
      <Text style={heading}>{title}</Text>
      {lines.map((line) => (
        <Text key={line} style={paragraph}>
          {line}
        </Text>
      ))}
      <Button href={action.url} style={button}>
        {action.label}
      </Button>
    </EmailLayout>
  );
}
