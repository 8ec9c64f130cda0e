/**
 * The profile-validation part of the message catalogue (../i18n/messages.ts
 * assembles the parts; docs/ERRORS.md lists them all): the issues of
 * validation against a StructureDefinition's snapshot
 * (http://hl7.org/fhir/R4/profiling.html), on $validate and on writes of
 * resources that declare a profile in meta.profile. They are issues, not
 * errors of their own: a write refused by them answers 422 (validationFailure).
 */
export const profileMessages = {
  'profile.fixed': {
    fr: 'La valeur de {name} doit être exactement {expected} (valeur fixée par le profil {profile}).',
    en: 'The value of {name} must be exactly {expected} (fixed by profile {profile}).',
  },
  'profile.pattern': {
    fr: 'La valeur de {name} ne correspond pas au motif {expected} exigé par le profil {profile}.',
    en: 'The value of {name} does not match the pattern {expected} required by profile {profile}.',
  },
  'profile.type': {
    fr: 'Le type {type} n’est pas permis pour {name} par le profil {profile} (types permis : {allowed}).',
    en: 'Type {type} is not allowed for {name} by profile {profile} (allowed types: {allowed}).',
  },
  'profile.slice-min': {
    fr: 'La tranche {slice} de {name} doit apparaître au moins {min} fois (trouvée {count} fois ; profil {profile}).',
    en: 'Slice {slice} of {name} must occur at least {min} times (found {count}; profile {profile}).',
  },
  'profile.slice-max': {
    fr: 'La tranche {slice} de {name} apparaît {count} fois, au plus {max} permis (profil {profile}).',
    en: 'Slice {slice} of {name} occurs {count} times, at most {max} allowed (profile {profile}).',
  },
  'profile.slice-closed': {
    fr: 'Cette valeur de {name} ne correspond à aucune tranche définie, et le découpage est fermé (profil {profile}).',
    en: 'This value of {name} matches none of the defined slices, and the slicing is closed (profile {profile}).',
  },
  'profile.slice-order': {
    fr: 'Les valeurs de {name} ne suivent pas l’ordre des tranches exigé par le profil {profile}.',
    en: 'The values of {name} are not in the slice order profile {profile} requires.',
  },
  'profile.binding-unchecked': {
    fr: 'Non vérifié : le jeu de valeurs requis {valueSet} de {name} ne peut pas être développé par ce serveur.',
    en: 'Not checked: the required value set {valueSet} of {name} cannot be expanded by this server.',
  },
  'profile.extension-unknown': {
    fr: 'Non vérifié : la définition de l’extension {url} n’est pas connue de ce serveur.',
    en: 'Not checked: the definition of extension {url} is not known to this server.',
  },
  'profile.unsupported': {
    fr: 'Non vérifié : {construct} ({name}, profil {profile}) n’est pas pris en charge par ce serveur.',
    en: 'Not checked: {construct} ({name}, profile {profile}) is not supported by this server.',
  },
  'profile.too-costly': {
    fr: 'Non vérifié : la validation selon le profil {profile} dépasse {limit} étapes (profils ou tranches qui se répètent) ; la ressource ne peut pas être déclarée conforme.',
    en: 'Not checked: validation against profile {profile} exceeds {limit} steps (profiles or slices that repeat); the resource cannot be said to conform.',
  },
  'profile.no-snapshot': {
    fr: 'Le profil {profile} n’a pas de snapshot : ce serveur ne génère pas de snapshot et ne peut donc pas valider selon ce profil. Enregistrez la StructureDefinition publiée avec son snapshot.',
    en: 'Profile {profile} has no snapshot: this server does not generate snapshots, so it cannot validate against it. Store the StructureDefinition as published, with its snapshot.',
  },
  'profile.wrong-type': {
    fr: 'Le profil {profile} s’applique aux ressources {expected}, pas à {actual}.',
    en: 'Profile {profile} applies to {expected} resources, not to {actual}.',
  },
  'profile.declared-unknown': {
    fr: 'Le profil déclaré {profile} (meta.profile) n’est pas connu de ce serveur : la ressource n’a pas été vérifiée selon ce profil.',
    en: 'The declared profile {profile} (meta.profile) is not known to this server: the resource was not checked against it.',
  },
} as const;

