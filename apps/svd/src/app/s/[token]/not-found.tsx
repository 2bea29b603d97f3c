/**
 * The one answer for a link that cannot be used — unknown, expired, revoked, used up, or its document in the
 * trash: the page never says which (issue 16 §5).
 */
export default function LinkNotAvailable() {
  return (
    <div className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-semibold tracking-tight" data-testid="link-not-available">
        This link is not available
      </h1>
      <p className="mt-2 text-slate-600">Ask the person who shared it with you for a new link.</p>
    </div>
  );
}
