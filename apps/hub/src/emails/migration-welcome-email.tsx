import { Button, Link, Text } from '@react-email/components';
import { button, EmailLayout, heading, paragraph } from './email-layout';

export const migrationWelcomeSubject = 'Your SecureVault Docs subscription now lives in your OMG account';

export interface TMigrationWelcomeEmailProps {
  name: string | null;
  email: string;
  /** The plan's catalog name (Growth, Pro…); null when the customer was migrated without a subscription row. */
  planName: string | null;
  /** What they keep paying each month, already formatted ($9.99); null when no price was recorded. */
  grandfatheredPrice: string | null;
  /** The single-use claim link, or null when the account already has a password (then `loginUrl` is the way in). */
  claimUrl: string | null;
  loginUrl: string;
  /** "7 days": how long the claim link works. */
  claimValidFor: string;
}

/** The migration welcome (SPEC §7): who they are, the plan and price they keep, and the way into the account. */
export function MigrationWelcomeEmail(props: TMigrationWelcomeEmailProps) {
  const { name, email, planName, grandfatheredPrice, claimUrl, loginUrl, claimValidFor } = props;
  const url = claimUrl ?? loginUrl;
  return (
    <EmailLayout
      preview="Set your password to keep using SecureVault Docs"
      footer="You received this because you subscribe to SecureVault Docs, which is now part of OMG System. If you do not recognise this subscription, ignore this mail and contact support."
    >
      <Text style={heading}>Welcome to OMG System</Text>
      <Text style={paragraph}>
        Hello {name || 'there'}, SecureVault Docs is now part of OMG System: your subscription and your
        documents have moved to your OMG account, {email}.
      </Text>
      {planName && (
        <Text style={paragraph}>
          Your plan: SecureVault Docs {planName}
          {grandfatheredPrice
            ? `, at your grandfathered price of ${grandfatheredPrice} a month. You keep this price for as long as you stay on ${planName}.`
            : '.'}
        </Text>
      )}
      <Text style={paragraph}>
        {claimUrl
          ? `Set a password for your OMG account to sign in; you then go straight to your vault. The link works once and expires in ${claimValidFor}.`
          : 'Your OMG account already has a password: sign in with it to reach your vault.'}
      </Text>
      <Button href={url} style={button}>
        {claimUrl ? 'Set your password' : 'Sign in'}
      </Button>
      <Text style={{ ...paragraph, fontSize: '13px', marginTop: '16px' }}>
        Or open this link: <Link href={url}>{url}</Link>
      </Text>
    </EmailLayout>
  );
}
