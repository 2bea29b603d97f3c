import { Button, Link, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export const organizationInvitationSubject = (organizationName: string) =>
  `You are invited to join ${organizationName} on OMG System`;

/** Sent when an owner or admin invites an address into a business account; the link opens /invitations/[id]. */
export function OrganizationInvitationEmail({
  organizationName,
  inviterName,
  role,
  url,
}: {
  organizationName: string;
  inviterName: string;
  role: string;
  url: string;
}) {
  return (
    <EmailLayout
      preview={`Join ${organizationName} on OMG System`}
      footer="You received this because someone invited this address to a business account. If you do not know them, ignore this mail: nothing happens unless you accept."
    >
      <Text style={heading}>Join {organizationName}</Text>
      <Text style={paragraph}>
        {inviterName} invited you to join {organizationName} on OMG System as {role === 'admin' ? 'an' : 'a'}{' '}
        {role}. Sign in or create an account with this email address, then accept the invitation.
      </Text>
      <Button href={url} style={button}>
        View the invitation
      </Button>
      <Text style={{ ...paragraph, fontSize: '13px', marginTop: '16px' }}>
        Or open this link: <Link href={url}>{url}</Link>
      </Text>
    </EmailLayout>
  );
}
