import { env } from '../../env';

/** The WebAuthn relying party: the Hub's own origin, whose host name is the RP ID every passkey is bound to. */
export interface TRelyingParty {
  rpName: string;
  rpID: string;
  origin: string;
}

/**
 * From HUB_URL, never from the request: a passkey made for the Hub's host name works only there, and a response
 * signed for another origin (a look-alike site relaying the ceremony) is refused.
 */
export function relyingParty(hubUrl: string = env().HUB_URL): TRelyingParty {
  const url = new URL(hubUrl);
  return { rpName: 'OMG System', rpID: url.hostname, origin: url.origin };
}
