import type { TListDocumentsInput } from '@/lib/documents/list-documents';
import { isSearch } from '@/lib/documents/list-documents';
import type { TVaultView } from '@/lib/documents/list-vaults';
import { KeyboardShortcuts } from './keyboard-shortcuts';

const field = 'rounded-md border border-slate-300 bg-white px-2 py-2 text-sm';

/**
 * The vault page's search (issue 16): words (prefixes of words in names and contents, names like the one typed),
 * and filters by type, vault and upload day. A plain GET form, so it works before any JavaScript; `/` focuses the
 * field (keyboard-shortcuts.tsx finds it by data-shortcut).
 */
export function SearchForm({
  query,
  vaults,
  activeId,
}: {
  query: TListDocumentsInput;
  vaults: TVaultView[];
  activeId: string | null;
}) {
  const searching = isSearch(query);
  const filtered = Boolean(query.type || query.vaultId || query.from || query.to);
  return (
    <>
      <form className="space-y-3" aria-label="Search and sort documents" action="/vault">
        {activeId && <input type="hidden" name="vault" value={activeId} />}
        <div className="flex flex-wrap items-center gap-3">
          <input
            type="search"
            name="q"
            defaultValue={query.q ?? ''}
            placeholder="Search names and contents in all vaults"
            aria-label="Search documents"
            aria-keyshortcuts="/"
            data-shortcut="search"
            className="min-w-0 flex-1 basis-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm sm:basis-0"
          />
          <select name="sort" defaultValue={query.sort} aria-label="Sort by" className={field}>
            <option value="createdAt">Newest</option>
            <option value="name">Name</option>
            <option value="sizeBytes">Size</option>
          </select>
          <select name="order" defaultValue={query.order} aria-label="Order" className={field}>
            <option value="desc">Descending</option>
            <option value="asc">Ascending</option>
          </select>
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            Apply
          </button>
        </div>
        <div className="flex items-start justify-between gap-3">
          <details open={filtered} className="text-sm text-slate-600">
            <summary className="cursor-pointer select-none">Filters{filtered ? ' (on)' : ''}</summary>
            <div className="mt-2 flex flex-wrap items-end gap-3">
              <label className="flex flex-col gap-1">
                Type
                <select name="type" defaultValue={query.type ?? ''} className={field}>
                  <option value="">Any type</option>
                  <option value="pdf">PDF</option>
                  <option value="image">Images</option>
                  <option value="text">Text</option>
                  <option value="other">Other</option>
                </select>
              </label>
              <label className="flex flex-col gap-1">
                Vault
                <select name="vaultId" defaultValue={query.vaultId ?? ''} className={field}>
                  <option value="">All vaults</option>
                  {vaults.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex flex-col gap-1">
                Uploaded from
                <input type="date" name="from" defaultValue={query.from ?? ''} className={field} />
              </label>
              <label className="flex flex-col gap-1">
                to
                <input type="date" name="to" defaultValue={query.to ?? ''} className={field} />
              </label>
            </div>
          </details>
          {/* Shortcuts are for keyboards: the button hides on phones, the keys work everywhere. */}
          <KeyboardShortcuts />
        </div>
      </form>
      {searching && (
        <p className="text-sm text-slate-600" data-testid="search-summary">
          {query.q ? `Results for “${query.q}”` : 'Filtered documents'}{' '}
          {query.vaultId
            ? `in ${vaults.find((v) => v.id === query.vaultId)?.name ?? 'one vault'}`
            : 'across all vaults'}{' '}
          ·{' '}
          <a href={`/vault?vault=${activeId ?? ''}`} className="text-vault-700 hover:underline">
            Clear search
          </a>
        </p>
      )}
    </>
  );
}
