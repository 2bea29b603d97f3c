import { EnvError, parseEnv } from '@omg/platform';
import { describe, expect, it } from 'vitest';
import { ZHubEnvSchema } from './env';

const base = {
  HUB_DATABASE_URL: 'postgres://hub:secret@localhost:5432/omg',
  BETTER_AUTH_SECRET: 'x'.repeat(32),
  SSO_SECRET: 'y'.repeat(32),
};

describe("the Hub's mail settings", () => {
  it('stops a production Hub without SMTP_URL, saying why', () => {
    const attempt = () => parseEnv('OMG Hub', ZHubEnvSchema, { ...base, NODE_ENV: 'production' });
    expect(attempt).toThrow(EnvError);
    expect(attempt).toThrow(/SMTP_URL is required in production \(password reset and email verification/);
  });

  it('starts in production with SMTP_URL, and in development without one', () => {
    const production = parseEnv('OMG Hub', ZHubEnvSchema, {
      ...base,
      NODE_ENV: 'production',
      SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
      MAIL_FROM: 'OMG <hello@example.com>',
    });
    expect(production.MAIL_FROM).toBe('OMG <hello@example.com>');
    expect(parseEnv('OMG Hub', ZHubEnvSchema, { ...base, NODE_ENV: 'development' }).SMTP_URL).toBeUndefined();
  });

  it('refuses an SMTP_URL that is not smtp:// or smtps://', () => {
    expect(() =>
      parseEnv('OMG Hub', ZHubEnvSchema, { ...base, SMTP_URL: 'http://smtp.example.com' }),
    ).toThrow(/SMTP_URL is invalid: must be an smtp:\/\/ or smtps:\/\/ URL/);
  });
});
