import { redirect } from 'next/navigation';
import { requireSession } from '@/lib/auth/get-session';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  await requireSession();
  redirect('/vault');
}
