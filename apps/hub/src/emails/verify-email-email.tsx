import { Button, Link, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export const verifyEmailSubject = 'Confirm your email address for OMG System';

/** Sent at sign-up (and on "resend"): confirms the person owns the address. */
export function VerifyEmailEmail({ name, url }: { name: string; url: string }) {
  return (
    <EmailLayout
      preview="Confirm your email address"
      footer="You received this because this address was used to create an OMG account. If it was not you, ignore this mail."
    >
      <Text style={heading}>Confirm your email address</Text>
      <Text style={paragraph}>
        Welcome{name ? `, ${name}` : ''}! Please confirm that this is your email address, so we can reach you
        about your account and your subscriptions.
      </Text>
      <Button href={url} style={button}>
        Confirm my email
      </Button>
      <Text style={{ ...paragraph, fontSize: '13px', marginTop: '16px' }}>
        Or open this link: <Link href={url}>{url}</Link>
      </Text>
    </EmailLayout>
  );
}
