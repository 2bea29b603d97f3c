import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/** The options the Hub sends for a ceremony, as far as an authenticator reads them. */
interface TCreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
  excludeCredentials?: { id: string }[];
}
interface TRequestOptions {
  challenge: string;
  rpId?: string;
}

export interface TSoftCredential {
  id: Uint8Array;
  key: KeyObject;
  rpId: string;
  /** The account id the Hub gave as user.id (base64url of its UTF-8). */
  userHandle: string;
  counter: number;
}

type TCbor = Parameters<typeof isoCBOR.encode>[0];

const b64 = (bytes: Uint8Array | string) =>
  isoBase64URL.fromBuffer(
    typeof bytes === 'string' ? new TextEncoder().encode(bytes) : new Uint8Array(bytes),
  );
const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest());
const uint32 = (n: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0);
  return out;
};
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** User present and user verified (WebAuthn's flag bits 0 and 2); attested credential data (bit 6). */
const UP_UV = 0x05;
const AT = 0x40;

/**
 * A software authenticator for tests: ES256 keys from node:crypto, "none" attestation encoded with the same CBOR
 * library @simplewebauthn/server reads, signatures over authenticatorData ‖ SHA-256(clientDataJSON) as a real
 * authenticator makes them. Each field can be overridden to build hostile answers (another origin, another RP
 * ID, a counter that went back, a forged challenge).
 */
export class SoftwareAuthenticator {
  readonly credentials: TSoftCredential[] = [];

  constructor(readonly origin: string) {}

  /** navigator.credentials.create: a new discoverable credential, refused if an excluded one is held here. */
  create(
    options: TCreationOptions,
    override: { origin?: string; rpId?: string; credential?: TSoftCredential } = {},
  ) {
    const rpId = override.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    const excluded = new Set(options.excludeCredentials?.map((c) => c.id));
    if (this.credentials.some((c) => excluded.has(b64(c.id)))) throw new Error('InvalidStateError');
    const credential = override.credential ?? {
      id: new Uint8Array(randomBytes(16)),
      key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      rpId,
      userHandle: options.user.id,
      counter: 0,
    };
    const jwk = credential.key.export({ format: 'jwk' });
    const cose = new Map<number, TCbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, isoBase64URL.toBuffer(jwk.x ?? '')],
      [-3, isoBase64URL.toBuffer(jwk.y ?? '')],
    ]);
    const idLength = new Uint8Array([credential.id.length >> 8, credential.id.length & 0xff]);
    const authData = concat(
      sha256(rpId),
      new Uint8Array([UP_UV | AT]),
      uint32(credential.counter),
      new Uint8Array(16),
      idLength,
      credential.id,
      isoCBOR.encode(cose),
    );
    const attestation = isoCBOR.encode(
      new Map<string, TCbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const clientData = JSON.stringify({
      type: 'webauthn.create',
      challenge: options.challenge,
      origin: override.origin ?? this.origin,
      crossOrigin: false,
    });
    if (!override.credential) this.credentials.push(credential);
    return {
      id: b64(credential.id),
      rawId: b64(credential.id),
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64(clientData),
        attestationObject: b64(attestation),
        transports: ['internal'],
      },
    };
  }

  /**
   * navigator.credentials.get with an empty allow list: answers with `credential` (this one's first by default),
   * its counter moved on by one unless `counter` says otherwise.
   */
  get(
    options: TRequestOptions,
    override: {
      credential?: TSoftCredential;
      origin?: string;
      rpId?: string;
      counter?: number;
      challenge?: string;
      claimId?: string;
      userHandle?: string;
    } = {},
  ) {
    const credential = override.credential ?? this.credentials[0];
    if (!credential) throw new Error('NotAllowedError: no credential');
    credential.counter = override.counter ?? credential.counter + 1;
    const authData = concat(
      sha256(override.rpId ?? options.rpId ?? credential.rpId),
      new Uint8Array([UP_UV]),
      uint32(credential.counter),
    );
    const clientData = JSON.stringify({
      type: 'webauthn.get',
      challenge: override.challenge ?? options.challenge,
      origin: override.origin ?? this.origin,
      crossOrigin: false,
    });
    const signature = sign('sha256', concat(authData, sha256(clientData)), credential.key);
    const id = override.claimId ?? b64(credential.id);
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64(clientData),
        authenticatorData: b64(authData),
        signature: b64(new Uint8Array(signature)),
        userHandle: override.userHandle ?? credential.userHandle,
      },
    };
  }
}
