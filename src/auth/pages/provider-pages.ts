/**
 * The pages oidc-provider renders itself, in the DSFR frame: its error page
 * (OAuth errors by their RFC code and description, never a stack), the
 * logout question (OpenID Connect RP-Initiated Logout 1.0 §2: the end-user is
 * asked before being signed out) and the signed-out confirmation.
 */
import { pickLanguage, translate, type Language } from '../../core/i18n/translate.js';
import { escapeHtml, pageHeaders, renderPage, textIn } from './layout.js';

type Ctx = any;

/** The language of a provider page: ?lang=, then the socle_lang cookie, then Accept-Language. */
export function languageOfKoa(ctx: Ctx): Language {
  const asked = ctx.query?.lang ?? ctx.cookies?.get?.('socle_lang');
  if (asked === 'fr' || asked === 'en') return asked;
  return pickLanguage(ctx.get('accept-language') || undefined);
}

function send(ctx: Ctx, html: string, formTargets: readonly string[] = []): void {
  for (const [name, value] of Object.entries(pageHeaders(formTargets, ctx.secure === true))) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = html;
}

export const providerPages = {
  async renderError(ctx: Ctx, out: Record<string, string>): Promise<void> {
    const language = languageOfKoa(ctx);
    const body = `<div class="fr-alert fr-alert--error" role="alert" id="oauth-error"><p>${textIn(language)('auth.page.oauth-error', { error: out.error ?? 'server_error', description: out.error_description ?? '' })}</p></div>`;
    send(ctx, renderPage({ language, title: translate('auth.page.error-title', {}, language), body }));
  },

  async logoutSource(ctx: Ctx, form: string): Promise<void> {
    const language = languageOfKoa(ctx);
    const t = textIn(language);
    // `form` is the provider's own hidden form (id op.logoutForm, with its xsrf token).
    const body = `${form}
<p>${t('auth.page.logout-question')}</p>
<ul class="fr-btns-group fr-btns-group--inline">
<li><button class="fr-btn" id="logout-confirm" type="submit" form="op.logoutForm" value="yes" name="logout">${t('auth.page.logout-confirm')}</button></li>
<li><button class="fr-btn fr-btn--secondary" id="logout-stay" type="submit" form="op.logoutForm">${t('auth.page.logout-stay')}</button></li>
</ul>`;
    const redirect = ctx.oidc?.params?.post_logout_redirect_uri;
    send(ctx, renderPage({ language, title: translate('auth.page.logout-title', {}, language), body }), redirect ? [originOf(redirect)] : []);
  },

  async postLogoutSuccessSource(ctx: Ctx): Promise<void> {
    const language = languageOfKoa(ctx);
    const body = `<div class="fr-alert fr-alert--success" role="status" id="logged-out"><p>${escapeHtml(translate('auth.page.logged-out', {}, language))}</p></div>`;
    send(ctx, renderPage({ language, title: translate('auth.page.logout-title', {}, language), body }));
  },
};

/** The origin of a URL for a CSP source list, or 'none' when it is not a URL. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "'none'";
  }
}
