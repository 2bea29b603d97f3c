import { z } from 'zod';
import {
  ACCOUNT_TYPES,
  APP_IDS,
  ORGANIZATION_ROLES,
  type TAccountType,
  type TAppId,
  type TOrganizationRole,
} from './constants';
import { LAUNCH_STATE_PATTERN } from './launch-state';

/**
 * Claims of the Hub → app launch token (SPEC §4). Parsed after the signature, `iss`, `aud` and `exp` have been
 * checked by jose, so this only guarantees shape: a token signed by the Hub but missing e.g. `sid` must not
 * produce a half-populated session in the consuming app.
 */
export const ZLaunchClaimsSchema = z
  .object({
    iss: z.string().min(1),
    // A single string, not jose's "string or array": the Hub only ever issues one audience, and accepting an
    // array would let one token open several apps.
    aud: z.enum(APP_IDS),
    sub: z.string().min(1),
    // Only presence is checked: the Hub validated the address at sign-up, and a stricter regex here could lock
    // out a user whose address the Hub accepted.
    email: z.string().min(1),
    name: z.string().nullable(),
    accountType: z.enum(ACCOUNT_TYPES),
    sid: z.string().min(1),
    jti: z.string().min(1),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().nonnegative(),
    // The app's browser-binding value (launch-state.ts). Optional so the seeds' GET shape from an issuer that
    // cannot bind still parses; such a token only ever signs a browser in after the user confirms who they are.
    nonce: z.string().regex(LAUNCH_STATE_PATTERN).optional(),
    /**
     * A business launch (issue 15): the organization the user launched for (their session's active one) and their
     * role in it when the token was issued. Both or neither; a personal launch carries neither. Apps re-read the
     * membership on every request for anything they enforce; these say which space to open.
     */
    organizationId: z.string().min(1).max(200).optional(),
    organizationRole: z.enum(ORGANIZATION_ROLES).optional(),
  })
  .refine((claims) => (claims.organizationId === undefined) === (claims.organizationRole === undefined), {
    message: 'organizationId and organizationRole travel together',
    path: ['organizationRole'],
  });

export type TLaunchClaims = z.infer<typeof ZLaunchClaimsSchema>;

export const LAUNCH_TOKEN_FAILURES = [
  'missing',
  'malformed',
  'expired',
  'bad_signature',
  'wrong_audience',
  'wrong_issuer',
  'invalid_claims',
] as const;
export type TLaunchTokenFailure = (typeof LAUNCH_TOKEN_FAILURES)[number];

export interface TLaunchUser {
  id: string;
  email: string;
  name: string | null;
  accountType: TAccountType;
}

export interface TIssueLaunchTokenInput {
  secret: string;
  /** The Hub's public URL; compared verbatim by the consumer, so issue and verify must agree byte for byte. */
  issuer: string;
  audience: TAppId;
  user: TLaunchUser;
  /** Hub session id, so Hub logout can end the app session it spawned. */
  sessionId: string;
  /** The app's browser-binding value (`state` from its `/login/start`), signed in as the `nonce` claim. */
  nonce?: string;
  /** A business launch: the session's active organization and the user's role in it (personal: omit). */
  organization?: { id: string; role: TOrganizationRole };
  /** Defaults to 120; at most MAX_LAUNCH_TOKEN_TTL_SECONDS. */
  ttlSeconds?: number;
  now?: Date;
}

export interface TIssuedLaunchToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

export interface TVerifyLaunchTokenOptions {
  secret: string;
  issuer: string;
  audience: TAppId;
  /** Defaults to 30 (SPEC §4). */
  clockToleranceSeconds?: number;
  now?: Date;
}

export type TVerifyLaunchTokenResult =
  | { ok: true; claims: TLaunchClaims }
  | { ok: false; reason: TLaunchTokenFailure; message: string };
