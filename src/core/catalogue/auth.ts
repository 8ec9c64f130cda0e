/**
 * The auth part of the message and error catalogues (../i18n/messages.ts and
 * ../errors.ts assemble the parts; docs/ERRORS.md lists them all). Keys start
 * with the area's prefix; user-facing text French first, English second.
 */
import type { CatalogueEntry } from './entry.js';

export const authMessages = {
  'auth.page.upstream-login': {
    fr: 'Se connecter avec Pro Santé Connect',
    en: 'Sign in with Pro Santé Connect',
  },
  // Login (src/auth/oidc, accounts, pages, smart): errors first, then page text.
  'auth.login-failed': {
    fr: 'Identifiant ou mot de passe incorrect.',
    en: 'Incorrect login or password.',
  },
  'auth.otp-failed': {
    fr: 'Code à usage unique incorrect ou expiré.',
    en: 'Incorrect or expired one-time code.',
  },
  'auth.account-locked': {
    fr: 'Compte verrouillé après plusieurs échecs de connexion. Réessayez dans {minutes} minute(s).',
    en: 'Account locked after several failed logins. Try again in {minutes} minute(s).',
  },
  'auth.too-many-attempts': {
    fr: 'Trop de tentatives de connexion depuis cette adresse. Patientez une minute.',
    en: 'Too many login attempts from this address. Wait a minute.',
  },
  'auth.csrf-invalid': {
    fr: 'Le formulaire a expiré ou ne provient pas de ce service ; rechargez la page.',
    en: 'The form has expired or does not come from this service; reload the page.',
  },
  'auth.interaction-expired': {
    fr: 'La demande de connexion est inconnue ou a expiré ; recommencez depuis l’application.',
    en: 'The login request is unknown or has expired; start again from the application.',
  },
  'auth.password-step-missing': {
    fr: 'Saisissez d’abord votre identifiant et votre mot de passe.',
    en: 'Enter your login and password first.',
  },
  'auth.login-invalid': {
    fr: '« {login} » n’est ni un idNat_PS, ni un INS, ni un identifiant d’opérateur.',
    en: '"{login}" is neither an idNat_PS, an INS nor an operator login.',
  },
  'auth.password-too-weak': {
    fr: 'Le mot de passe doit compter entre {min} et {max} caractères.',
    en: 'The password must have between {min} and {max} characters.',
  },
  'auth.account-not-found': {
    fr: 'Aucun compte « {login} ».',
    en: 'No account "{login}".',
  },
  'auth.practitioner-not-found': {
    fr: 'Aucun professionnel actif d’idNat_PS {login} dans l’annuaire : le compte doit être lié à sa fiche.',
    en: 'No active professional with idNat_PS {login} in the directory: the account must be linked to it.',
  },
  'auth.patient-not-found': {
    fr: 'Aucun patient d’INS {login} : le compte doit être lié à son dossier.',
    en: 'No patient with INS {login}: the account must be linked to their record.',
  },
  'auth.patient-not-qualified': {
    fr: 'L’identité du patient d’INS {login} n’est pas qualifiée : un compte patient exige une INS qualifiée.',
    en: 'The identity of the patient with INS {login} is not qualified: a patient account requires a qualified INS.',
  },
  'auth.operator-required': {
    fr: 'Réservé aux administrateurs (jeton d’opérateur exigé).',
    en: 'Reserved for administrators (an operator token is required).',
  },
  'auth.client-invalid': {
    fr: 'Enregistrement d’application refusé : {reason}',
    en: 'Application registration refused: {reason}',
  },
  'auth.launch-invalid': {
    fr: 'Contexte de lancement invalide : {reason}',
    en: 'Invalid launch context: {reason}',
  },
  'auth.patient-choice-required': {
    fr: 'Choisissez le patient concerné.',
    en: 'Choose the patient concerned.',
  },
  'auth.asset-not-found': {
    fr: 'Fichier introuvable : {path}',
    en: 'File not found: {path}',
  },
  'auth.demo-secret-in-production': {
    fr: 'Secret de démonstration refusé en production : {what}.',
    en: 'Demo secret refused in production: {what}.',
  },
  'auth.page.republic': { fr: 'République<br>Française', en: 'République<br>Française' },
  'auth.page.tagline': { fr: 'Services socles de santé numérique', en: 'Core digital-health services' },
  'auth.page.skip': { fr: 'Aller au contenu', en: 'Skip to content' },
  'auth.page.other-language': { fr: 'English', en: 'Français' },
  'auth.page.login-title': { fr: 'Se connecter', en: 'Sign in' },
  'auth.page.login-intro': {
    fr: 'L’application « {client} » demande à vous identifier. La connexion se fait en deux étapes : mot de passe, puis code à usage unique.',
    en: 'The application "{client}" asks you to sign in. Signing in has two steps: password, then one-time code.',
  },
  'auth.page.login-label': { fr: 'Identifiant', en: 'Login' },
  'auth.page.login-hint': {
    fr: 'Professionnel : idNat_PS (12 caractères) ; patient : INS (15 caractères) ; administrateur : admin',
    en: 'Professional: idNat_PS (12 characters); patient: INS (15 characters); administrator: admin',
  },
  'auth.page.password-label': { fr: 'Mot de passe', en: 'Password' },
  'auth.page.continue': { fr: 'Continuer', en: 'Continue' },
  'auth.page.cancel': { fr: 'Annuler et revenir à l’application', en: 'Cancel and return to the application' },
  'auth.page.otp-title': { fr: 'Code à usage unique', en: 'One-time code' },
  'auth.page.otp-intro': {
    fr: 'Saisissez le code à 6 chiffres affiché par votre application d’authentification (e-CPS ou équivalent).',
    en: 'Enter the 6-digit code shown by your authenticator app (e-CPS or similar).',
  },
  'auth.page.otp-label': { fr: 'Code à 6 chiffres', en: '6-digit code' },
  'auth.page.verify': { fr: 'Valider', en: 'Verify' },
  'auth.page.consent-title': { fr: 'Autoriser l’accès', en: 'Authorize access' },
  'auth.page.consent-intro': {
    fr: 'Connecté(e) en tant que {user}. L’application « {client} » demande les droits suivants :',
    en: 'Signed in as {user}. The application "{client}" asks for the following rights:',
  },
  'auth.page.patient-legend': { fr: 'Patient concerné', en: 'Patient concerned' },
  'auth.page.patient-search-label': { fr: 'Rechercher un patient (nom ou INS)', en: 'Search for a patient (name or INS)' },
  'auth.page.search': { fr: 'Rechercher', en: 'Search' },
  'auth.page.no-patient-found': { fr: 'Aucun patient trouvé.', en: 'No patient found.' },
  'auth.page.launch-patient': { fr: 'Patient du contexte de lancement : {patient}', en: 'Patient of the launch context: {patient}' },
  'auth.page.approve': { fr: 'Autoriser', en: 'Authorize' },
  'auth.page.deny': { fr: 'Refuser', en: 'Deny' },
  'auth.page.logout-title': { fr: 'Se déconnecter', en: 'Sign out' },
  'auth.page.logout-question': { fr: 'Voulez-vous vous déconnecter de Socle ?', en: 'Do you want to sign out of Socle?' },
  'auth.page.logout-confirm': { fr: 'Oui, me déconnecter', en: 'Yes, sign me out' },
  'auth.page.logout-stay': { fr: 'Non, rester connecté(e)', en: 'No, stay signed in' },
  'auth.page.logged-out': { fr: 'Vous êtes déconnecté(e).', en: 'You are signed out.' },
  'auth.page.error-title': { fr: 'Une erreur est survenue', en: 'Something went wrong' },
  'auth.page.oauth-error': { fr: 'Erreur {error} : {description}', en: 'Error {error}: {description}' },
  'auth.scope.read': { fr: 'lire', en: 'read' },
  'auth.scope.write': { fr: 'créer, modifier ou supprimer', en: 'create, update or delete' },
  'auth.scope.search': { fr: 'rechercher', en: 'search' },
  'auth.scope.resource': {
    fr: '{what} : {types} ({context})',
    en: '{what}: {types} ({context})',
  },
  'auth.scope.all-types': { fr: 'toutes les données', en: 'all data' },
  'auth.scope.context-patient': { fr: 'du patient concerné', en: 'of the patient concerned' },
  'auth.scope.context-user': { fr: 'auxquelles vous avez accès', en: 'you have access to' },
  'auth.scope.context-system': { fr: 'de tout le système', en: 'of the whole system' },
  'auth.scope.openid': { fr: 'Connaître votre identité', en: 'Know your identity' },
  'auth.scope.offline': { fr: 'Rester connecté(e) en votre absence (jeton de rafraîchissement)', en: 'Stay connected while you are away (refresh token)' },
  'auth.scope.launch': { fr: 'Connaître le patient concerné', en: 'Know the patient concerned' },
  'auth.upstream-unavailable': {
    fr: 'Le fournisseur d’identité externe ({issuer}) ne répond pas correctement ({reason}). Réessayez plus tard.',
    en: 'The external identity provider ({issuer}) is not answering properly ({reason}). Try again later.',
  },
  'auth.upstream-interaction-missing': {
    fr: 'Connexion externe impossible : aucune demande de connexion en cours n’a été indiquée.',
    en: 'External login impossible: no login request in progress was given.',
  },
  'auth.upstream-state-invalid': {
    fr: 'Le retour du fournisseur d’identité est inconnu, expiré ou déjà utilisé ; recommencez la connexion.',
    en: 'The answer of the identity provider is unknown, expired or already used; start the login again.',
  },
  'auth.upstream-denied': {
    fr: 'Le fournisseur d’identité a refusé la connexion ({error}).',
    en: 'The identity provider refused the login ({error}).',
  },
  'auth.upstream-token-refused': {
    fr: 'Le fournisseur d’identité a refusé l’échange du code d’autorisation ({error}).',
    en: 'The identity provider refused to exchange the authorization code ({error}).',
  },
  'auth.upstream-id-token-invalid': {
    fr: 'Le jeton d’identité reçu du fournisseur externe est invalide ({reason}).',
    en: 'The ID token received from the external provider is invalid ({reason}).',
  },
  'auth.upstream-acr-insufficient': {
    fr: 'Niveau d’authentification insuffisant : {expected} exigé, {actual} obtenu. Connectez-vous avec votre carte CPS ou l’application e-CPS.',
    en: 'Authentication level too low: {expected} required, {actual} obtained. Log in with your CPS card or the e-CPS app.',
  },
  'auth.upstream-userinfo-invalid': {
    fr: 'Les informations d’identité du fournisseur externe sont invalides ({reason}).',
    en: 'The identity information from the external provider is invalid ({reason}).',
  },
  'auth.upstream-identifier-missing': {
    fr: 'Le fournisseur d’identité n’a transmis aucun identifiant national de professionnel exploitable.',
    en: 'The identity provider sent no usable national professional identifier.',
  },
  'auth.upstream-practitioner-unknown': {
    fr: 'Le professionnel {idNatPs} n’est pas dans l’annuaire de ce service : connexion refusée. Contactez l’administrateur du service.',
    en: 'Professional {idNatPs} is not in this service’s directory: login refused. Contact the service administrator.',
  },
  'auth.upstream-practitioner-ambiguous': {
    fr: 'Plusieurs fiches de l’annuaire portent l’identifiant {idNatPs} : connexion refusée tant que l’annuaire n’est pas corrigé.',
    en: 'Several directory entries carry identifier {idNatPs}: login refused until the directory is corrected.',
  },
  'auth.upstream-practitioner-inactive': {
    fr: 'La fiche du professionnel {idNatPs} est inactive dans l’annuaire : connexion refusée.',
    en: 'The directory entry of professional {idNatPs} is inactive: login refused.',
  },
  'auth.upstream-account-mismatch': {
    fr: 'Le compte {idNatPs} de ce service est rattaché à une autre fiche de l’annuaire : connexion refusée. Contactez l’administrateur du service.',
    en: 'Account {idNatPs} of this service is linked to another directory entry: login refused. Contact the service administrator.',
  },
  'auth.upstream-account-disabled': {
    fr: 'Le compte {idNatPs} est désactivé sur ce service : connexion refusée.',
    en: 'Account {idNatPs} is disabled on this service: login refused.',
  },
  // Bearer authentication and access control on /fhir (src/auth/bearer/, src/auth/policy/).
  'auth.token-missing': {
    fr: 'Authentification requise : présentez un jeton d’accès (en-tête Authorization: Bearer).',
    en: 'Authentication required: present an access token (Authorization: Bearer header).',
  },
  'auth.token-invalid': {
    fr: 'Jeton d’accès refusé : {reason}.',
    en: 'Access token refused: {reason}.',
  },
  'auth.token-expired': {
    fr: 'Le jeton d’accès a expiré : obtenez-en un nouveau.',
    en: 'The access token has expired: obtain a new one.',
  },
  'auth.scope-insufficient': {
    fr: 'Les droits du jeton (scopes) ne permettent pas l’action « {interaction} » sur {type}.',
    en: 'The token’s scopes do not allow “{interaction}” on {type}.',
  },
  'auth.patient-context-missing': {
    fr: 'Le jeton d’un patient doit désigner sa fiche Patient (contexte patient) : accès refusé.',
    en: 'A patient’s token must name their Patient resource (patient context): access refused.',
  },
  'auth.write-outside-reach': {
    fr: 'Cette écriture concerne des données hors de votre périmètre d’accès ({type}).',
    en: 'This write concerns data outside what you may access ({type}).',
  },
  'auth.practitioner-unmapped': {
    fr: 'L’identité externe {subject} ne correspond à aucun professionnel de l’annuaire : accès refusé.',
    en: 'External identity {subject} matches no professional of the directory: access refused.',
  },
} as const satisfies Record<string, { fr: string; en: string }>;

export const authErrors = {
  'auth.login-failed': { status: 401, type: 'login' },
  'auth.otp-failed': { status: 401, type: 'login' },
  'auth.account-locked': { status: 429, type: 'throttled' },
  'auth.too-many-attempts': { status: 429, type: 'throttled' },
  'auth.csrf-invalid': { status: 403, type: 'security' },
  'auth.interaction-expired': { status: 400, type: 'expired' },
  'auth.password-step-missing': { status: 400, type: 'invalid' },
  'auth.login-invalid': { status: 400, type: 'value' },
  'auth.password-too-weak': { status: 400, type: 'value' },
  'auth.account-not-found': { status: 404, type: 'not-found' },
  'auth.practitioner-not-found': { status: 422, type: 'business-rule' },
  'auth.patient-not-found': { status: 422, type: 'business-rule' },
  'auth.patient-not-qualified': { status: 422, type: 'business-rule' },
  'auth.operator-required': { status: 403, type: 'forbidden' },
  'auth.client-invalid': { status: 400, type: 'invalid' },
  'auth.launch-invalid': { status: 400, type: 'invalid' },
  'auth.patient-choice-required': { status: 400, type: 'required' },
  'auth.asset-not-found': { status: 404, type: 'not-found' },
  'auth.demo-secret-in-production': { status: 500, type: 'security' },
  'auth.upstream-unavailable': { status: 502, type: 'transient' },
  'auth.upstream-interaction-missing': { status: 400, type: 'required' },
  'auth.upstream-state-invalid': { status: 400, type: 'invalid' },
  'auth.upstream-denied': { status: 401, type: 'login' },
  'auth.upstream-token-refused': { status: 401, type: 'login' },
  'auth.upstream-id-token-invalid': { status: 401, type: 'login' },
  'auth.upstream-acr-insufficient': { status: 403, type: 'security' },
  'auth.upstream-userinfo-invalid': { status: 401, type: 'login' },
  'auth.upstream-identifier-missing': { status: 403, type: 'security' },
  'auth.upstream-practitioner-unknown': { status: 403, type: 'forbidden' },
  'auth.upstream-practitioner-ambiguous': { status: 409, type: 'multiple-matches' },
  'auth.upstream-practitioner-inactive': { status: 403, type: 'forbidden' },
  'auth.upstream-account-mismatch': { status: 409, type: 'conflict' },
  'auth.upstream-account-disabled': { status: 403, type: 'forbidden' },
  'auth.token-missing': { status: 401, type: 'login' },
  'auth.token-invalid': { status: 401, type: 'login' },
  'auth.token-expired': { status: 401, type: 'expired' },
  'auth.scope-insufficient': { status: 403, type: 'forbidden' },
  'auth.patient-context-missing': { status: 403, type: 'forbidden' },
  'auth.write-outside-reach': { status: 403, type: 'forbidden' },
  'auth.practitioner-unmapped': { status: 403, type: 'forbidden' },
} as const satisfies Partial<Record<keyof typeof authMessages, CatalogueEntry>>;
