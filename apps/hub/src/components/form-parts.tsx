import type { ReactNode } from 'react';

/** The account forms' notice (role=status) and error (role=alert), shown only when set. */
export function FormMessages({ notice, error }: { notice?: string | null; error?: string | null }) {
  return (
    <>
      {notice && (
        <p
          role="status"
          className="rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-slate-700"
        >
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </>
  );
}

/** A form's one submit button: disabled while its request runs, saying so. */
export function SubmitButton({ pending, children }: { pending: boolean; children: ReactNode }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="w-full rounded-md bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
    >
      {pending ? 'Please wait…' : children}
    </button>
  );
}

/** The password rules shown under a new-password field (the same list the server enforces). */
export function PasswordRules({ rules, className = '' }: { rules: readonly string[]; className?: string }) {
  return (
    <ul className={`space-y-0.5 text-xs text-slate-500 ${className}`.trim()} aria-label="Password rules">
      {rules.map((rule) => (
        <li key={rule}>• {rule}</li>
      ))}
    </ul>
  );
}
