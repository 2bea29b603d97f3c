import { Button, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export const emailChangeNoticeSubject = 'A change of your OMG sign-in email was requested';

/**
 * Sent to the current address when a change to another one is asked for (with the account's password), so the
 * owner learns of it even if their session and password were taken.
 */
export function EmailChangeNoticeEmail({ newEmail, accountUrl }: { newEmail: string; accountUrl: string }) {
  return (
    <EmailLayout
      preview="Your sign-in email may change"
      footer="If this was you, there is nothing to do: the change happens when the link sent to the new address is opened."
    >
      <Text style={heading}>Your sign-in email may change</Text>
      <Text style={paragraph}>
        Someone signed in to your OMG account asked to change its email address to {newEmail}. If it was not
        you, change your password now and sign out your other devices on the Account page.
      </Text>
      <Button href={accountUrl} style={button}>
        Open my account
      </Button>
    </EmailLayout>
  );
}
