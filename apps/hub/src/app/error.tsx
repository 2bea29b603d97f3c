'use client';

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="py-16 text-center" role="alert">
      <h1 className="text-2xl font-semibold">This page is temporarily unavailable</h1>
      <p className="mt-2 text-slate-600">
        We could not load it just now — most often a short outage on our side that recovers by itself. Please
        try again in a moment.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-6 rounded-md bg-brand-600 px-4 py-2 text-white hover:bg-brand-700"
      >
        Try again
      </button>
    </div>
  );
}
