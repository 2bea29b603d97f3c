import { Button, Link, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export const resetPasswordSubject = 'Reset your OMG System password';

/** Set or reset the password: a single-use link, valid for an hour. */
export function ResetPasswordEmail({ name, url }: { name: string; url: string }) {
  return (
    <EmailLayout
      preview="Choose a new password for your OMG account"
      footer="You received this because someone asked to reset the password of this OMG account. If it was not you, ignore this mail: your password stays as it is."
    >
      <Text style={heading}>Choose a new password</Text>
      <Text style={paragraph}>
        Hello {name || 'there'}, use the button below to set a new password for your OMG account. The link
        works once and expires in 1 hour.
      </Text>
      <Button href={url} style={button}>
        Set a new password
      </Button>
      <Text style={{ ...paragraph, fontSize: '13px', marginTop: '16px' }}>
        Or open this link: <Link href={url}>{url}</Link>
      </Text>
    </EmailLayout>
  );
}
