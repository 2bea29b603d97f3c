import { z } from 'zod';

/** base64url as WebAuthn's JSON encodes binary; bounded far above any real authenticator's output. */
const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'Expected base64url.');

const ZTransportsSchema = z
  .array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']))
  .max(8)
  .optional();

/** What @simplewebauthn/browser's startRegistration returns (navigator.credentials.create as JSON). */
export const ZRegistrationResponseSchema = z.object({
  id: base64url(1024).min(1),
  rawId: base64url(1024).min(1),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.object({}).catchall(z.unknown()).default({}),
  response: z.object({
    clientDataJSON: base64url(4096).min(1),
    attestationObject: base64url(7000).min(1),
    authenticatorData: base64url(4096).optional(),
    transports: ZTransportsSchema,
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(4096).optional(),
  }),
});
export type TRegistrationResponse = z.infer<typeof ZRegistrationResponseSchema>;

/** What @simplewebauthn/browser's startAuthentication returns (navigator.credentials.get as JSON). */
export const ZAuthenticationResponseSchema = z.object({
  id: base64url(1024).min(1),
  rawId: base64url(1024).min(1),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.object({}).catchall(z.unknown()).default({}),
  response: z.object({
    clientDataJSON: base64url(4096).min(1),
    authenticatorData: base64url(4096).min(1),
    signature: base64url(2048).min(1),
    userHandle: base64url(512).optional(),
  }),
});
export type TAuthenticationResponse = z.infer<typeof ZAuthenticationResponseSchema>;

/** A passkey's name as its owner types it (the Account page's list). */
export const ZPasskeyNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the passkey a name.')
  .max(60, 'Use at most 60 characters.');
