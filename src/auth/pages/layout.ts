/**
 * The frame of Socle's login pages in the French State design system (DSFR,
 * https://www.systeme-de-design.gouv.fr): header with the Marianne block,
 * main content, footer; French by default, English on request. Every text
 * comes from the catalogue; every value put in the page is escaped. The
 * stylesheet and fonts are served by Socle itself (assets.ts), so the strict
 * Content-Security-Policy below needs no third party.
 */
import type { MessageKey } from '../../core/i18n/messages.js';
import { translate, type Language, type MessageParams } from '../../core/i18n/translate.js';

/** HTML-escapes text for element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A translator bound to one language, escaping its output. */
export function textIn(language: Language): (key: MessageKey, params?: MessageParams) => string {
  return (key, params = {}) => escapeHtml(translate(key, params, language));
}

export interface PageOptions {
  readonly language: Language;
  readonly title: string;
  /** Already-escaped HTML of the main content. */
  readonly body: string;
  /** The URL of this page in the other language. */
  readonly otherLanguageUrl?: string;
}

/** A complete DSFR page. */
export function renderPage(options: PageOptions): string {
  const t = textIn(options.language);
  const other = options.otherLanguageUrl
    ? `<a class="fr-btn fr-btn--tertiary-no-outline" id="language-switch" lang="${options.language === 'fr' ? 'en' : 'fr'}" href="${escapeHtml(options.otherLanguageUrl)}">${t('auth.page.other-language')}</a>`
    : '';
  return `<!DOCTYPE html>
<html lang="${options.language}" data-fr-scheme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(options.title)} — Socle</title>
<link rel="stylesheet" href="/assets/dsfr/dsfr.min.css">
<link rel="icon" href="/assets/dsfr/favicon/favicon.svg" type="image/svg+xml">
</head>
<body>
<div class="fr-skiplinks"><nav class="fr-container" aria-label="${t('auth.page.skip')}"><ul class="fr-skiplinks__list"><li><a class="fr-link" href="#content">${t('auth.page.skip')}</a></li></ul></nav></div>
<header role="banner" class="fr-header">
<div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
<div class="fr-header__brand fr-enlarge-link">
<div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">${translate('auth.page.republic', {}, options.language)}</p></div></div>
<div class="fr-header__service"><p class="fr-header__service-title">Socle</p><p class="fr-header__service-tagline">${t('auth.page.tagline')}</p></div>
</div>
<div class="fr-header__tools"><div class="fr-header__tools-links">${other}</div></div>
</div></div></div>
</header>
<main role="main" id="content" tabindex="-1">
<div class="fr-container fr-container--fluid fr-mb-md-14v"><div class="fr-grid-row fr-grid-row--gutters fr-grid-row--center"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6"><div class="fr-container fr-background-alt--grey fr-px-md-0 fr-py-10v fr-py-md-14v"><div class="fr-grid-row fr-grid-row-gutters fr-grid-row--center"><div class="fr-col-12 fr-col-md-9 fr-col-lg-9">
<h1>${escapeHtml(options.title)}</h1>
${options.body}
</div></div></div></div></div></div>
</main>
<footer class="fr-footer" role="contentinfo"><div class="fr-container"><div class="fr-footer__body"><div class="fr-footer__brand fr-enlarge-link"><p class="fr-logo">${translate('auth.page.republic', {}, options.language)}</p></div><div class="fr-footer__content"><p class="fr-footer__content-desc">Socle — ${t('auth.page.tagline')}</p></div></div></div></footer>
</body>
</html>`;
}

/** A DSFR alert (errors on forms), announced to screen readers. */
export function alertBox(kind: 'error' | 'success' | 'info', text: string, id = 'form-alert'): string {
  return `<div class="fr-alert fr-alert--${kind} fr-alert--sm fr-mb-4w" role="alert" id="${id}"><p>${text}</p></div>`;
}

/**
 * Security headers of every login page: a strict CSP (no script at all, styles
 * and fonts from Socle only, forms to Socle and the client's redirect origin,
 * never framed), no caching, no referrer beyond Socle, no sniffing.
 */
export function pageHeaders(formTargets: readonly string[] = [], https = false): Record<string, string> {
  const formAction = ["'self'", ...formTargets].join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'cache-control': 'no-store',
    pragma: 'no-cache',
    // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts (Fetch §3.1), which the CSRF check refuses.
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    ...(https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
