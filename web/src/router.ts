/** Client-side routes on real paths (the server answers index.html for any non-API path). */

export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'household'; readonly id: string }
  | { readonly page: 'proposals'; readonly status: string; readonly household: string }
  | { readonly page: 'preview'; readonly household: string }
  | { readonly page: 'backtests'; readonly id: string };

export function parseRoute(pathname: string, search: string): Route {
  const q = new URLSearchParams(search);
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  switch (parts[0]) {
    case 'households':
      return parts[1] !== undefined ? { page: 'household', id: parts[1] } : { page: 'overview' };
    case 'proposals':
      return { page: 'proposals', status: q.get('status') ?? 'proposed', household: q.get('household') ?? '' };
    case 'preview':
      return { page: 'preview', household: q.get('household') ?? '' };
    case 'backtests':
      return { page: 'backtests', id: parts[1] ?? '' };
    default:
      return { page: 'overview' };
  }
}

export function navigate(href: string): void {
  history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** Same-origin link clicks become history navigation (modifier clicks still open new tabs). */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element).closest('a');
    if (a === null || a.target !== '' || a.hasAttribute('download') || a.origin !== location.origin || a.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
}

export const householdHref = (id: string): string => `/households/${encodeURIComponent(id)}`;
