export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function money(amount: number, currency: string): string {
  const sign = amount < 0 ? '−' : '';
  const value = (Math.abs(amount) / 100).toFixed(2);
  const symbol: Record<string, string> = { usd: '$', eur: '€', gbp: '£' };
  const s = symbol[currency];
  return s ? `${sign}${s}${value}` : `${sign}${value} ${currency.toUpperCase()}`;
}

export function date(timestamp: number): string {
  return new Date(timestamp * 1000).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1a1f36;background:#f6f9fc}
.test-banner{background:#ff5996;color:#fff;text-align:center;font-size:12px;font-weight:600;padding:4px;letter-spacing:.04em}
.wrap{max-width:960px;margin:0 auto;padding:40px 24px;display:grid;grid-template-columns:1fr 1fr;gap:48px}
.wrap.single{display:block;max-width:640px}
@media (max-width:760px){.wrap{grid-template-columns:1fr}}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:16px;margin:24px 0 8px}
.muted{color:#697386}
.big{font-size:34px;font-weight:700;margin:8px 0}
.card{background:#fff;border-radius:8px;box-shadow:0 2px 5px rgba(60,66,87,.08),0 0 0 1px rgba(60,66,87,.08);padding:20px;margin-bottom:16px}
.row{display:flex;justify-content:space-between;gap:12px;padding:6px 0}
.row.total{border-top:1px solid #e3e8ee;margin-top:8px;padding-top:12px;font-weight:600}
label{display:block;font-size:13px;font-weight:500;color:#3c4257;margin:14px 0 6px}
input{width:100%;padding:10px 12px;font-size:15px;border:1px solid #d5dbe1;border-radius:6px;background:#fff}
input:focus{outline:none;border-color:#635bff;box-shadow:0 0 0 3px rgba(99,91,255,.2)}
.split{display:grid;grid-template-columns:1fr 1fr;gap:12px}
button,.button{display:inline-block;background:#635bff;color:#fff;border:0;border-radius:6px;padding:11px 16px;font-size:15px;font-weight:600;cursor:pointer;text-decoration:none}
button.full{width:100%;margin-top:20px;padding:13px}
button.secondary{background:#fff;color:#3c4257;box-shadow:0 0 0 1px #d5dbe1}
button.danger{background:#fff;color:#df1b41;box-shadow:0 0 0 1px #f5c2cd}
button:disabled{opacity:.6;cursor:default}
.inline{display:flex;gap:8px;align-items:flex-end}
.inline input{flex:1}
.alert{background:#fff5f7;border:1px solid #f5c2cd;color:#df1b41;border-radius:6px;padding:10px 12px;margin:12px 0}
.notice{background:#effaf5;border:1px solid #b6e3cc;color:#0e6245;border-radius:6px;padding:10px 12px;margin:12px 0}
.pill{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;background:#e3e8ee;color:#3c4257}
.pill.active,.pill.trialing{background:#d7f7c2;color:#05690d}
.pill.past_due,.pill.unpaid,.pill.incomplete{background:#ffe7d5;color:#a1360c}
.pill.canceled{background:#e3e8ee;color:#697386}
a{color:#635bff}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.actions form{margin:0}
`;

/** The one page skeleton: test-mode banner, neat CSS, minimal script. */
export function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<div class="test-banner">TEST MODE · Stripe emulator</div>
${body}
${script ? `<script>${script}</script>` : ''}
</body>
</html>`;
}

/** The card fields shared by checkout and the portal, with the labels tests drive. */
export function cardFields(): string {
  return `
  <label for="cardNumber">Card number</label>
  <input id="cardNumber" name="cardNumber" data-testid="card-number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required>
  <div class="split">
    <div>
      <label for="cardExpiry">Expiration (MM / YY)</label>
      <input id="cardExpiry" name="cardExpiry" data-testid="card-expiry" autocomplete="cc-exp" placeholder="MM / YY" required>
    </div>
    <div>
      <label for="cardCvc">CVC</label>
      <input id="cardCvc" name="cardCvc" data-testid="card-cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" required>
    </div>
  </div>
  <label for="cardName">Name on card</label>
  <input id="cardName" name="cardName" data-testid="card-name" autocomplete="cc-name">`;
}

/** Spaces the card number as typed and stops double submits. */
export const CARD_SCRIPT = `
document.querySelectorAll('[data-testid="card-number"]').forEach(function (el) {
  el.addEventListener('input', function () {
    var digits = el.value.replace(/\\D/g, '').slice(0, 19);
    el.value = digits.replace(/(.{4})/g, '$1 ').trim();
  });
});
document.querySelectorAll('form[data-once]').forEach(function (form) {
  form.addEventListener('submit', function () {
    var b = form.querySelector('button[type="submit"]');
    if (b) { b.disabled = true; b.dataset.label = b.textContent; b.textContent = 'Processing…'; }
  });
});
`;

export function parseExpiry(value: string): { month: number; year: number } {
  const digits = value.replace(/\D/g, '');
  if (digits.length === 4) return { month: Number(digits.slice(0, 2)), year: Number(digits.slice(2)) };
  if (digits.length === 6) return { month: Number(digits.slice(0, 2)), year: Number(digits.slice(2)) };
  return { month: 0, year: 0 };
}
