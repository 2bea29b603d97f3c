/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
  body{margin:0;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f8fafc;color:#0f172a}
  main{max-width:32rem;margin:12vh auto;padding:2.5rem;background:#fff;border:1px solid #e2e8f0;border-radius:1rem;text-align:center}
  h1{font-size:1.35rem;margin:0 0 .75rem} p{color:#475569;line-height:1.5;margin:0 0 1.5rem}
  a.button,button{display:inline-block;background:var(--accent);color:#fff;border:0;border-radius:.5rem;padding:.7rem 1.2rem;font-size:1rem;text-decoration:none;cursor:pointer}
  .spinner{width:2rem;height:2rem;margin:0 auto 1.25rem;border:3px solid #e2e8f0;border-top-color:var(--accent);border-radius:50%;animation:spin .8s linear infinite}
  @keyframes spin{to{transform:rotate(360deg)}}`;

/**
 * A small standalone HTML page for the hand-off steps (launch, sign-in failures), which must control their own
 * status code and headers. `body` must already be escaped.
 */
export function htmlPage(options: {
  title: string;
  body: string;
  accent: string;
  status: number;
  script?: string;
  /** This request's CSP nonce (the proxy's `x-nonce`), without which the browser will not run `script`. */
  nonce?: string | null;
}) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(options.title)}</title>
<style>:root{--accent:${options.accent}}${STYLE}</style></head>
<body><main>${options.body}</main>${options.script ? `<script${options.nonce ? ` nonce="${escapeHtml(options.nonce)}"` : ''}>${options.script}</script>` : ''}</body></html>`;
  return new Response(html, {
    status: options.status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    },
  });
}
