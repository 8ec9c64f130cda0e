/**
 * The two login steps, as e-CPS has them: login and password, then the
 * one-time code. Plain HTML forms (no script), labelled fields, errors tied
 * to their field (aria-describedby) and announced (role="alert"); stable ids
 * for the browser tests: #login, #password, #otp, #submit-login, #submit-otp.
 */
import { translate, type Language } from '../../core/i18n/translate.js';
import { alertBox, escapeHtml, renderPage, textIn } from './layout.js';

export interface LoginPageInput {
  readonly language: Language;
  readonly uid: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly otherLanguageUrl: string;
  /** Already translated error text. */
  readonly error?: string;
  readonly login?: string;
  /** Where "Se connecter avec Pro Santé Connect" leads, when federation is on. */
  readonly upstreamLoginUrl?: string;
}

function hidden(csrf: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

function cancelForm(input: LoginPageInput): string {
  const t = textIn(input.language);
  return `<form method="post" action="/interaction/${escapeHtml(input.uid)}/abort" class="fr-mt-4w">${hidden(input.csrf)}<button class="fr-btn fr-btn--tertiary" id="cancel" type="submit">${t('auth.page.cancel')}</button></form>`;
}

export function loginPage(input: LoginPageInput): string {
  const t = textIn(input.language);
  const invalid = input.error !== undefined;
  const body = `
<p>${t('auth.page.login-intro', { client: input.clientName })}</p>
${invalid ? alertBox('error', escapeHtml(input.error)) : ''}
<form method="post" action="/interaction/${escapeHtml(input.uid)}/login" id="login-form" novalidate>
${hidden(input.csrf)}
<fieldset class="fr-fieldset"><div class="fr-fieldset__element">
<div class="fr-input-group${invalid ? ' fr-input-group--error' : ''}">
<label class="fr-label" for="login">${t('auth.page.login-label')}<span class="fr-hint-text" id="login-hint">${t('auth.page.login-hint')}</span></label>
<input class="fr-input" id="login" name="login" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus aria-describedby="login-hint${invalid ? ' form-alert' : ''}" value="${escapeHtml(input.login ?? '')}">
</div></div>
<div class="fr-fieldset__element">
<div class="fr-input-group${invalid ? ' fr-input-group--error' : ''}">
<label class="fr-label" for="password">${t('auth.page.password-label')}</label>
<input class="fr-input fr-password__input" id="password" name="password" type="password" autocomplete="current-password" required${invalid ? ' aria-describedby="form-alert"' : ''}>
</div></div></fieldset>
<button class="fr-btn" id="submit-login" type="submit">${t('auth.page.continue')}</button>
</form>
${input.upstreamLoginUrl ? `<p class="fr-mt-4w"><a class="fr-btn fr-btn--secondary" id="upstream-login" href="${escapeHtml(input.upstreamLoginUrl)}">${t('auth.page.upstream-login')}</a></p>` : ''}
${cancelForm(input)}`;
  return renderPage({ language: input.language, title: translate('auth.page.login-title', {}, input.language), body, otherLanguageUrl: input.otherLanguageUrl });
}

export function otpPage(input: LoginPageInput): string {
  const t = textIn(input.language);
  const invalid = input.error !== undefined;
  const body = `
<p id="otp-intro">${t('auth.page.otp-intro')}</p>
${invalid ? alertBox('error', escapeHtml(input.error)) : ''}
<form method="post" action="/interaction/${escapeHtml(input.uid)}/otp" id="otp-form" novalidate>
${hidden(input.csrf)}
<div class="fr-input-group${invalid ? ' fr-input-group--error' : ''}">
<label class="fr-label" for="otp">${t('auth.page.otp-label')}</label>
<input class="fr-input" id="otp" name="otp" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus aria-describedby="otp-intro${invalid ? ' form-alert' : ''}">
</div>
<button class="fr-btn" id="submit-otp" type="submit">${t('auth.page.verify')}</button>
</form>
${cancelForm(input)}`;
  return renderPage({ language: input.language, title: translate('auth.page.otp-title', {}, input.language), body, otherLanguageUrl: input.otherLanguageUrl });
}
