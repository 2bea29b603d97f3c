'use client';

/**
 * A page below the layout failed (most often: the database is briefly away). In production Next.js hides the
 * error's message from the browser, so the page says what is most likely true and offers to try again; the pools
 * reconnect by themselves, so "Try again" works as soon as the database is back.
 */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl py-16 text-center" role="alert">
      <h1 className="text-2xl font-semibold">SecureVault Docs is temporarily unavailable</h1>
      <p className="mt-2 text-slate-600">
        We could not load this page. Your documents are safe; please try again in a moment.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-6 rounded-md bg-vault-600 px-4 py-2 text-white hover:bg-vault-700"
      >
        Try again
      </button>
    </div>
  );
}
