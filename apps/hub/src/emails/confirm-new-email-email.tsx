import { Button, Link, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export const confirmNewEmailSubject = 'Confirm your new email address for OMG System';

/** Sent to the new address when the owner changes their sign-in email: the change happens when it is opened. */
export function ConfirmNewEmailEmail({ name, url }: { name: string; url: string }) {
  return (
    <EmailLayout
      preview="Confirm your new email address"
      footer="You received this because someone asked to move an OMG account to this address. If it was not you, ignore this mail: nothing changes."
    >
      <Text style={heading}>Confirm your new email address</Text>
      <Text style={paragraph}>
        Hello{name ? ` ${name}` : ''}, please confirm that this address is yours. Your OMG account signs in
        with it as soon as you do.
      </Text>
      <Button href={url} style={button}>
        Use this address
      </Button>
      <Text style={{ ...paragraph, fontSize: '13px', marginTop: '16px' }}>
        Or open this link: <Link href={url}>{url}</Link>
      </Text>
    </EmailLayout>
  );
}
