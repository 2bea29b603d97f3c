import { Button, Link, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export const signUpAttemptSubject = 'Someone tried to sign up with your email address';

/**
 * A sign-up with an address that already has an account: the form answers as for a new account (it must not
 * tell), and the owner learns of it here, with the way back in if it was them.
 */
export function SignUpAttemptEmail({ loginUrl, resetUrl }: { loginUrl: string; resetUrl: string }) {
  return (
    <EmailLayout
      preview="Your address already has an OMG account"
      footer="Your account was not changed. If it was not you, you can ignore this mail."
    >
      <Text style={heading}>You already have an account</Text>
      <Text style={paragraph}>
        Someone tried to create an OMG account with this email address, which already has one. If that was
        you, log in instead — or reset your password if you forgot it.
      </Text>
      <Button href={loginUrl} style={button}>
        Log in
      </Button>
      <Text style={{ ...paragraph, fontSize: '13px', marginTop: '16px' }}>
        Forgot your password? <Link href={resetUrl}>Reset it</Link>.
      </Text>
    </EmailLayout>
  );
}
