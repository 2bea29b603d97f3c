/**
 * A real screenshot of the apps (written by `npm run screenshots` into public/screenshots): the phone picture on a
 * narrow screen, the laptop picture from `sm` up. Plain <picture>: static files from the Hub itself, which the
 * CSP's img-src 'self' allows, with their sizes given so the page does not jump while they load.
 */
export function AppScreenshot({ name, alt, caption }: { name: string; alt: string; caption: string }) {
  return (
    <figure className="flex flex-col" data-testid={`screenshot-${name}`}>
      <picture className="block overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <source media="(max-width: 639px)" srcSet={`/screenshots/${name}-390.jpg`} width={390} height={844} />
        <img
          src={`/screenshots/${name}-1280.jpg`}
          alt={alt}
          width={1280}
          height={800}
          loading="lazy"
          decoding="async"
          className="block h-auto w-full"
        />
      </picture>
      <figcaption className="mt-3 text-sm text-slate-600">{caption}</figcaption>
    </figure>
  );
}
