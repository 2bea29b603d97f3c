/** What a person sees for each failure the auth routes can return. */
export function authErrorMessage(error: { code?: string; status?: number; message?: string }): string {
  // The Hub's limits say which limit and when to try again; better-auth's general one only "later".
  if (error.status === 429) return error.message ?? 'Too many attempts. Please wait a minute and try again.';
  switch (error.code) {
    case 'INVALID_EMAIL_OR_PASSWORD':
      return 'The email or password is incorrect.';
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
      return 'An account with this email already exists. Log in instead.';
    case 'PASSWORD_TOO_WEAK':
      return error.message ?? 'That password is too weak.';
    case 'PASSWORD_TOO_SHORT':
    case 'PASSWORD_TOO_LONG':
      return 'Password too weak: it must follow the rules below.';
    case 'INVALID_EMAIL':
      return 'Enter a valid email address.';
    case 'INVALID_PASSWORD':
      return 'The password is incorrect.';
    case 'INVALID_CODE':
      return 'That code is not right. Enter the 6-digit code your authenticator app shows now.';
    case 'INVALID_BACKUP_CODE':
      return 'That backup code is not right, or it was already used. Each backup code works once.';
    case 'TOTP_CODE_ALREADY_USED':
      return error.message ?? 'This code was already used. Wait for the next code in your authenticator app.';
    // The challenge after the password lasts 10 minutes and 5 codes; then the password is asked again.
    case 'INVALID_TWO_FACTOR_COOKIE':
    case 'TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE':
      return 'This sign-in has expired or had too many wrong codes. Log in again with your password.';
    default:
      return error.status && error.status >= 500
        ? 'Something went wrong on our side. Please try again in a moment.'
        : (error.message ?? 'That did not work. Please check the form and try again.');
  }
}
