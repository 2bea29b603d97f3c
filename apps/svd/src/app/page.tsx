import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';

export default function HomePage() {
  const { HUB_URL } = env();
  return (
    <section className="mx-auto max-w-xl rounded-2xl border border-slate-200 bg-white p-10 text-center shadow-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Open SecureVault Docs from your OMG portal</h1>
      <p className="mt-3 text-slate-600">
        SecureVault Docs signs you in with your OMG account. Log in to the portal and choose
        <span className="font-medium"> Launch SecureVault Docs</span>.
      </p>
      <a
        href={`${HUB_URL}/portal`}
        className="mt-8 inline-block rounded-md bg-vault-600 px-5 py-3 font-medium text-white hover:bg-vault-700"
      >
        Go to the OMG portal
      </a>
    </section>
  );
}
