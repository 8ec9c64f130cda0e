/**
 * The consent step: which application asks for what, in words (SMART scopes
 * described per context and permission), and for a professional's standalone
 * launch the patient picker (SMART App Launch: "standalone launch … the
 * authorization server … may prompt the user to select a patient"). Stable ids:
 * #patient-search, #search-patient, input[name=patient], #approve, #deny.
 */
import { translate, type Language } from '../../core/i18n/translate.js';
import { parseResourceScope } from '../smart/scopes.js';
import { alertBox, escapeHtml, renderPage, textIn } from './layout.js';

export interface PatientChoice {
  readonly id: string;
  readonly label: string;
}

export interface ConsentPageInput {
  readonly language: Language;
  readonly uid: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly user: string;
  readonly scopes: readonly string[];
  readonly otherLanguageUrl: string;
  /** The patient picker: shown when the launch needs a patient and none is given. */
  readonly picker?: { readonly query: string; readonly results: readonly PatientChoice[] };
  /** The patient of an EHR launch context. */
  readonly launchPatient?: string;
  readonly error?: string;
}

/** One scope in the user's words; undefined for scopes that need no mention (e.g. online_access). */
export function describeScope(scope: string, language: Language): string | undefined {
  const t = (key: Parameters<typeof translate>[0], params = {}): string => translate(key, params, language);
  if (scope === 'openid') return t('auth.scope.openid');
  if (scope === 'offline_access') return t('auth.scope.offline');
  if (scope === 'launch' || scope === 'launch/patient') return t('auth.scope.launch');
  const parsed = parseResourceScope(scope);
  if (!parsed) return undefined;
  const what: string[] = [];
  if (parsed.permissions.has('r')) what.push(t('auth.scope.read'));
  if (parsed.permissions.has('s')) what.push(t('auth.scope.search'));
  if (['c', 'u', 'd'].some((p) => parsed.permissions.has(p as 'c'))) what.push(t('auth.scope.write'));
  const types = parsed.type === '*' ? t('auth.scope.all-types') : parsed.type;
  const context = t(`auth.scope.context-${parsed.context}`);
  const sentence = t('auth.scope.resource', { what: what.join(', '), types, context });
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function pickerHtml(input: ConsentPageInput): string {
  const t = textIn(input.language);
  if (!input.picker) return '';
  const results = input.picker.results.map((p, i) => `
<div class="fr-fieldset__element"><div class="fr-radio-group">
<input type="radio" id="patient-${i}" name="patient" value="${escapeHtml(p.id)}" form="consent-form"${input.picker!.results.length === 1 ? ' checked' : ''}>
<label class="fr-label" for="patient-${i}">${escapeHtml(p.label)}</label>
</div></div>`).join('');
  const none = input.picker.query !== '' && input.picker.results.length === 0 ? `<p id="no-patient">${t('auth.page.no-patient-found')}</p>` : '';
  return `
<form method="get" action="/interaction/${escapeHtml(input.uid)}" class="fr-mb-4w" role="search">
<div class="fr-input-group"><label class="fr-label" for="patient-search">${t('auth.page.patient-search-label')}</label>
<input class="fr-input" id="patient-search" name="patient-search" type="search" value="${escapeHtml(input.picker.query)}"></div>
<button class="fr-btn fr-btn--secondary" id="search-patient" type="submit">${t('auth.page.search')}</button>
</form>
<fieldset class="fr-fieldset" aria-labelledby="patient-legend"><legend class="fr-fieldset__legend" id="patient-legend">${t('auth.page.patient-legend')}</legend>${results}${none}</fieldset>`;
}

export function consentPage(input: ConsentPageInput): string {
  const t = textIn(input.language);
  const items = input.scopes.map((s) => describeScope(s, input.language)).filter((d): d is string => d !== undefined);
  const unique = [...new Set(items)];
  const body = `
<p>${t('auth.page.consent-intro', { user: input.user, client: input.clientName })}</p>
<ul id="scope-list">${unique.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>
${input.error ? alertBox('error', escapeHtml(input.error)) : ''}
${input.launchPatient ? `<p id="launch-patient">${t('auth.page.launch-patient', { patient: input.launchPatient })}</p>` : ''}
${pickerHtml(input)}
<form method="post" action="/interaction/${escapeHtml(input.uid)}/consent" id="consent-form">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<ul class="fr-btns-group fr-btns-group--inline">
<li><button class="fr-btn" id="approve" name="decision" value="approve" type="submit">${t('auth.page.approve')}</button></li>
<li><button class="fr-btn fr-btn--secondary" id="deny" name="decision" value="deny" type="submit">${t('auth.page.deny')}</button></li>
</ul>
</form>`;
  return renderPage({ language: input.language, title: translate('auth.page.consent-title', {}, input.language), body, otherLanguageUrl: input.otherLanguageUrl });
}
