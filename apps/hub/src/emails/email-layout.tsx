import { Body, Container, Head, Hr, Html, Preview, Section, Text } from '@react-email/components';
import type { ReactNode } from 'react';

// The Hub's look (globals.css): slate text on a light slate page, the brand blue for actions.
export const BRAND = '#3b55e6';
const page = {
  backgroundColor: '#f8fafc',
  fontFamily: 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
  color: '#0f172a',
};
const card = {
  backgroundColor: '#ffffff',
  border: '1px solid #e2e8f0',
  borderRadius: '16px',
  padding: '32px',
  margin: '32px auto',
  maxWidth: '520px',
};

/** Every Hub mail: the preview line, the OMG System card, and a footer saying why it was sent. */
export function EmailLayout({
  preview,
  children,
  footer,
}: {
  preview: string;
  children: ReactNode;
  footer: string;
}) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Text style={{ fontSize: '14px', fontWeight: 600, color: BRAND, margin: '0 0 16px' }}>
            OMG System
          </Text>
          <Section>{children}</Section>
          <Hr style={{ borderColor: '#e2e8f0', margin: '24px 0 12px' }} />
          <Text style={{ fontSize: '12px', color: '#64748b', margin: 0 }}>{footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const heading = { fontSize: '22px', fontWeight: 600, margin: '0 0 12px' };
export const paragraph = { fontSize: '15px', lineHeight: '24px', color: '#334155', margin: '0 0 16px' };
export const button = {
  backgroundColor: BRAND,
  color: '#ffffff',
  borderRadius: '6px',
  padding: '12px 20px',
  fontSize: '15px',
  fontWeight: 500,
  textDecoration: 'none',
  display: 'inline-block',
};
