'use client';

/**
 * The root layout itself failed: it reads the session, so with the database away every SVD page lands here. It
 * replaces the layout, hence its own <html> and plain styles. "Try again" reloads: the pools reconnect by
 * themselves once the database is back.
 */
export default function GlobalError() {
  return (
    <html lang="en">
      <body
        style={{ fontFamily: 'system-ui, sans-serif', background: '#f8fafc', color: '#0f172a', margin: 0 }}
      >
        <main
          style={{ maxWidth: '36rem', margin: '4rem auto', padding: '0 1rem', textAlign: 'center' }}
          role="alert"
        >
          <h1 style={{ fontSize: '1.5rem', fontWeight: 600 }}>SecureVault Docs is temporarily unavailable</h1>
          <p style={{ color: '#475569' }}>
            We could not load this page. Your documents are safe; please try again in a moment.
          </p>
          <button
            type="button"
            onClick={() => window.location.reload()}
            style={{
              marginTop: '1.5rem',
              padding: '0.5rem 1rem',
              borderRadius: '0.375rem',
              border: 0,
              background: '#047857',
              color: '#fff',
              cursor: 'pointer',
            }}
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
