/**
 * <ls-app>: sign-in with an API key (kept in sessionStorage, so closing the tab forgets it), the
 * navigation, and the page of the current path.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { session, whoAmI, type Me } from './api.js';
import { parseRoute, interceptLinks, type Route } from './router.js';
import { errorText, Page } from './ui.js';
import './chart.js';
import './pages/overview.js';
import './pages/household.js';
import './pages/proposals.js';
import './pages/preview.js';
import './pages/backtests.js';
import './styles.css';

const NAV: readonly { readonly href: string; readonly label: string; readonly page: Route['page'] }[] = [
  { href: '/', label: 'Overview', page: 'overview' },
  { href: '/proposals', label: 'Proposals', page: 'proposals' },
  { href: '/preview', label: 'Tax preview', page: 'preview' },
  { href: '/backtests', label: 'Backtests', page: 'backtests' },
];

class App extends Page {
  static override properties = { route: { state: true }, me: { state: true }, signInError: { state: true }, busy: { state: true } };
  declare route: Route;
  declare me: Me | undefined;
  declare signInError: string;
  declare busy: boolean;

  constructor() {
    super();
    this.route = parseRoute(location.pathname, location.search);
    this.me = undefined;
    this.signInError = '';
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    interceptLinks(this);
    window.addEventListener('popstate', () => {
      this.route = parseRoute(location.pathname, location.search);
    });
    window.addEventListener('lotsmith:unauthorized', () => this.signOut('The key was refused; sign in again.'));
    const key = session.key();
    if (key !== null) void this.check(key);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('route') && changed.get('route') !== undefined) {
      window.scrollTo(0, 0);
      this.querySelector<HTMLElement>('main h1')?.focus();
    }
  }

  /** Checks a key; after a sign-in (not a restored session) the focus moves to the page's heading. */
  private async check(key: string, focusHeading = false): Promise<void> {
    this.busy = true;
    try {
      this.me = await whoAmI(key);
      session.signIn(key);
      this.signInError = '';
      await this.updateComplete;
      if (focusHeading) this.querySelector<HTMLElement>('main h1')?.focus();
    } catch (e) {
      session.signOut();
      this.signInError = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  private signOut(message = ''): void {
    session.signOut();
    this.me = undefined;
    this.signInError = message;
  }

  private onSignIn(e: SubmitEvent): void {
    e.preventDefault();
    const key = new FormData(e.target as HTMLFormElement).get('key');
    if (typeof key === 'string' && key.trim() !== '') void this.check(key.trim(), true);
  }

  override render() {
    if (this.me === undefined) return this.signInForm();
    const r = this.route;
    return html`
      <header class="top">
        <a class="brand" href="/">Lotsmith</a>
        <nav aria-label="Main">
          <ul>
            ${NAV.map((n) => html`<li><a href=${n.href} aria-current=${n.page === r.page ? 'page' : nothing}>${n.label}</a></li>`)}
          </ul>
        </nav>
        <div class="who">
          <span title="tenant and key">${this.me.tenant} · ${this.me.scopes.join(', ')}</span>
          <button type="button" class="link" @click=${() => this.signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main">${this.page(r)}</main>
    `;
  }

  private page(r: Route) {
    const canTrade = this.me?.scopes.includes('trade') ?? false;
    switch (r.page) {
      case 'overview':
        return html`<ls-overview></ls-overview>`;
      case 'household':
        return html`<ls-household .householdId=${r.id}></ls-household>`;
      case 'proposals':
        return html`<ls-proposals .status=${r.status} .household=${r.household} .canTrade=${canTrade}></ls-proposals>`;
      case 'preview':
        return html`<ls-preview .household=${r.household}></ls-preview>`;
      case 'backtests':
        return html`<ls-backtests .jobId=${r.id} .canTrade=${canTrade}></ls-backtests>`;
    }
  }

  private signInForm() {
    return html`
      <main id="main" class="signin">
        <h1 tabindex="-1">Lotsmith</h1>
        <p>Sign in with an API key. <code>npm start</code> prints the demo tenant's key; <code>lotsmith keys create</code> makes others.</p>
        <form @submit=${this.onSignIn}>
          <label for="key">API key</label>
          <input id="key" name="key" type="password" autocomplete="off" required placeholder="lsk_…" ?disabled=${this.busy} />
          <button type="submit" ?disabled=${this.busy}>Sign in</button>
          ${this.signInError !== '' ? html`<p class="error" role="alert">${this.signInError}</p>` : nothing}
        </form>
      </main>
    `;
  }
}

customElements.define('ls-app', App);
