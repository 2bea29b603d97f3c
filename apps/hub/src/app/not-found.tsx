import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">The page you asked for does not exist.</p>
      <Link href="/" className="mt-6 inline-block text-brand-600 hover:underline">
        Go to the home page
      </Link>
    </div>
  );
}
