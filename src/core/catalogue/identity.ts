/**
 * The identity part of the message and error catalogues (../i18n/messages.ts and
 * ../errors.ts assemble the parts; docs/ERRORS.md lists them all). Keys start
 * with the area's prefix; user-facing text French first, English second.
 */
import type { CatalogueEntry } from './entry.js';

export const identityMessages = {
  // INSi-like reference service (src/identity/insi/).
  'insi.principal-required': {
    fr: 'Le téléservice INSi exige un professionnel ou un système authentifié (jeton d’accès).',
    en: 'The INSi teleservice requires an authenticated professional or system (access token).',
  },
  'insi.principal-forbidden': {
    fr: 'Le téléservice INSi est réservé aux professionnels de santé et aux systèmes des structures ; ce compte ne peut pas l’appeler.',
    en: 'The INSi teleservice is reserved for health professionals and the systems of care structures; this account cannot call it.',
  },
  'insi.rate-limited': {
    fr: 'Trop d’appels au téléservice INSi pour ce client ; réessayez dans {retryAfter} s.',
    en: 'Too many INSi teleservice calls for this client; retry in {retryAfter} s.',
  },
  'insi.parameters-required': {
    fr: 'Le corps de la requête doit être une ressource Parameters.',
    en: 'The request body must be a Parameters resource.',
  },
  'insi.parameter-missing': {
    fr: 'Paramètre obligatoire absent : {name}.',
    en: 'Missing required parameter: {name}.',
  },
  'insi.parameter-repeated': {
    fr: 'Le paramètre {name} ne peut figurer qu’une fois.',
    en: 'Parameter {name} may appear only once.',
  },
  'insi.parameter-unknown': {
    fr: 'Paramètre inconnu pour cette opération : {name}.',
    en: 'Unknown parameter for this operation: {name}.',
  },
  'insi.parameter-type': {
    fr: 'Le paramètre {name} doit être porté par {expected}.',
    en: 'Parameter {name} must be carried by {expected}.',
  },
  'insi.name-invalid': {
    fr: 'Le paramètre {name} doit contenir au moins une lettre.',
    en: 'Parameter {name} must contain at least one letter.',
  },
  'insi.gender-invalid': {
    fr: 'Sexe invalide : {value} (attendu : male, female, other ou unknown).',
    en: 'Invalid gender: {value} (expected male, female, other or unknown).',
  },
  'insi.birthdate-invalid': {
    fr: 'La date de naissance doit être une date FHIR valide (AAAA, AAAA-MM ou AAAA-MM-JJ).',
    en: 'The birth date must be a valid FHIR date (YYYY, YYYY-MM or YYYY-MM-DD).',
  },
  'insi.birthplace-invalid': {
    fr: 'Le lieu de naissance doit être un code INSEE (COG) de 5 caractères : commune, ou 99xxx pour un pays.',
    en: 'The birth place must be a 5-character INSEE (COG) code: a commune, or 99xxx for a country.',
  },
  'insi.ins-invalid': {
    fr: 'Matricule INS invalide ({problem}) : 15 caractères, clé = 97 − (corps mod 97), jamais un numéro provisoire 7/8.',
    en: 'Invalid INS number ({problem}): 15 characters, key = 97 − (body mod 97), never a provisional 7/8 number.',
  },
  'insi.ins-system-unknown': {
    fr: 'Système d’identifiant inconnu pour un INS : {system} (NIR, NIA, test ou démonstration attendus).',
    en: 'Unknown identifier system for an INS: {system} (NIR, NIA, test or demo expected).',
  },
  'insi.reference-not-patient': {
    fr: 'Une identité de référence doit être une ressource Patient.',
    en: 'A reference identity must be a Patient resource.',
  },
  'insi.reference-no-ins': {
    fr: 'L’identité de référence ne porte aucun INS (identifiant NIR, NIA, test ou démonstration).',
    en: 'The reference identity carries no INS (NIR, NIA, test or demo identifier).',
  },
  'insi.reference-trait-missing': {
    fr: 'L’identité de référence n’a pas le trait INS {trait}.',
    en: 'The reference identity lacks the INS trait {trait}.',
  },
  'insi.reference-inconsistent': {
    fr: 'L’INS ne concorde pas avec les traits : {detail}.',
    en: 'The INS disagrees with the traits: {detail}.',
  },
  'insi.reference-duplicate': {
    fr: 'Cet INS figure déjà ligne {line}.',
    en: 'This INS is already listed on line {line}.',
  },
  // INS checks (src/identity/ins/): FR Core fr-core-patient-ins slices, NIR/NIA form and key, traits.
  'ins.not-an-ins': {
    fr: 'Cet identifiant n’est pas un INS (système {system}).',
    en: 'This identifier is not an INS (system {system}).',
  },
  'ins.use-invalid': {
    fr: 'Un identifiant {kind} doit avoir l’usage {expected} (reçu : {actual}).',
    en: 'An {kind} identifier must have use {expected} (received: {actual}).',
  },
  'ins.type-invalid': {
    fr: 'Le type de l’identifiant INS doit être {expected} (reçu : {actual}).',
    en: 'The INS identifier type must be {expected} (received: {actual}).',
  },
  'ins.number-format': {
    fr: 'Le matricule INS doit compter 15 caractères : sexe (1 ou 2), année, mois, lieu de naissance (5), numéro d’ordre (3) et clé (2).',
    en: 'The INS number must have 15 characters: sex (1 or 2), year, month, birth place (5), order number (3) and key (2).',
  },
  'ins.number-provisional': {
    fr: 'Un numéro commençant par 7 ou 8 est un numéro provisoire de caisse (NNP), jamais un INS.',
    en: 'A number starting with 7 or 8 is a provisional fund number (NNP), never an INS.',
  },
  'ins.number-key': {
    fr: 'La clé du matricule INS est fausse : elle doit valoir 97 − (corps mod 97), 2A et 2B lus 19 et 18.',
    en: 'The INS key is wrong: it must be 97 − (body mod 97), with 2A and 2B read as 19 and 18.',
  },
  'ins.number-month': {
    fr: 'Le mois de naissance du matricule INS ({month}) n’est ni un mois (01 à 12) ni un pseudo-mois INSEE (20 à 42, 50).',
    en: 'The INS birth month ({month}) is neither a month (01 to 12) nor an INSEE pseudo-month (20 to 42, 50).',
  },
  'ins.pseudo-month': {
    fr: 'Le matricule INS porte le pseudo-mois INSEE {month} (état civil incomplet) : le mois de naissance n’a pas été comparé.',
    en: 'The INS carries the INSEE pseudo-month {month} (incomplete civil status): the birth month was not compared.',
  },
  'ins.computed-not-ins': {
    fr: 'L’INS calculé (INS-C, urn:oid:1.2.250.1.213.1.4.2) est obsolète et n’est pas un INS : conservé comme identifiant secondaire, il n’est ni vérifié auprès de l’INSi, ni une raison de qualifier l’identité, ni utilisé pour rapprocher des dossiers.',
    en: 'The computed INS (INS-C, urn:oid:1.2.250.1.213.1.4.2) is obsolete and is not an INS: kept as a secondary identifier, it is never verified with INSi, never a reason to qualify the identity, and never used to link records.',
  },
  'ins.sex-unknown': {
    fr: 'Le sexe du patient ({gender}) ne peut pas être comparé au chiffre de sexe du matricule INS.',
    en: 'The patient’s gender ({gender}) cannot be compared with the sex digit of the INS.',
  },
  'ins.sex-mismatch': {
    fr: 'Le sexe du patient ne correspond pas au chiffre de sexe du matricule INS (1 homme, 2 femme).',
    en: 'The patient’s gender does not match the sex digit of the INS (1 male, 2 female).',
  },
  'ins.birth-year-mismatch': {
    fr: 'L’année de naissance ne correspond pas à celle du matricule INS.',
    en: 'The birth year does not match the INS.',
  },
  'ins.birth-month-mismatch': {
    fr: 'Le mois de naissance ne correspond pas à celui du matricule INS.',
    en: 'The birth month does not match the INS.',
  },
  'ins.birthplace-mismatch': {
    fr: 'Le lieu de naissance (code INSEE) ne correspond pas à celui du matricule INS.',
    en: 'The birth place (INSEE code) does not match the INS.',
  },
  'ins.birthplace-renumbered': {
    fr: 'Le lieu de naissance diffère de celui du matricule INS, ce qu’explique une renumérotation INSEE depuis la naissance.',
    en: 'The birth place differs from the INS one, which an INSEE renumbering since the birth explains.',
  },
  'ins.traits-missing': {
    fr: 'Un INS ne peut être enregistré qu’avec les cinq traits INS ; il manque : {trait}.',
    en: 'An INS can only be recorded with the five INS traits; missing: {trait}.',
  },
  'ins.official-name-shape': {
    fr: 'Avec un INS, le nom officiel porte la liste des prénoms de naissance (extension birth-list-given-name) et, en prénom (given), le premier de cette liste seulement (fr-core-patient-ins) : {reason}.',
    en: 'With an INS, the official name carries the list of birth first names (birth-list-given-name extension) and, as given, the first of that list only (fr-core-patient-ins): {reason}.',
  },
  'ins.several-active': {
    fr: 'Une identité porte au plus un INS en usage ({count} reçus) ; les anciens sont marqués « old ».',
    en: 'An identity carries at most one INS in use ({count} received); former ones are marked "old".',
  },
  'ins.old-unproven': {
    fr: 'Un INS ancien (usage « old ») ne s’ajoute qu’avec le dossier qu’il identifiait : le Patient remplacé (Patient.link « replaces », fusion $merge) doit le porter.',
    en: 'A former INS (use "old") is only added with the record it identified: the replaced Patient (Patient.link "replaces", a $merge) must hold it.',
  },
  'ins.old-not-qualified': {
    fr: 'Un INS ancien (usage « old ») n’est conservé que sur une identité qualifiée (QUAL).',
    en: 'A former INS (use "old") is only kept on a qualified identity (QUAL).',
  },
  'ins.insi-mismatch': {
    fr: 'Le téléservice INSi ne confirme pas cet INS avec ces traits ; traits discordants : {traits}.',
    en: 'The INSi teleservice does not confirm this INS with these traits; mismatching traits: {traits}.',
  },
  'ins.insi-unknown': {
    fr: 'Le téléservice INSi ne connaît pas cet INS.',
    en: 'The INSi teleservice does not know this INS.',
  },
  // Identity-vigilance lifecycle (src/identity/vigilance/): RNIV statuses, attributes, transitions.
  'vigilance.reliability-several': {
    fr: 'Une identité porte un seul statut de confiance (identityStatus) ; {count} reçus.',
    en: 'An identity carries a single trust status (identityStatus); {count} received.',
  },
  'vigilance.status-unknown': {
    fr: 'Statut de confiance inconnu : {code} (PROV, VALI, RECUP ou QUAL attendus).',
    en: 'Unknown trust status: {code} (PROV, VALI, RECUP or QUAL expected).',
  },
  'vigilance.validation-mode-unknown': {
    fr: 'Mode de validation non reconnu par le RNIV : {code}.',
    en: 'Validation mode not recognised by the RNIV: {code}.',
  },
  'vigilance.dout-fict-together': {
    fr: 'Les attributs « identité douteuse » (DOUT) et « identité fictive » (FICT) ne peuvent pas être cumulés (RNIV).',
    en: 'The "doubtful identity" (DOUT) and "fictitious identity" (FICT) attributes cannot be combined (RNIV).',
  },
  'vigilance.insi-forbidden': {
    fr: 'Une identité {attribute} ne peut pas recevoir d’INS : l’appel au téléservice INSi est interdit (RNIV EXI SI 09).',
    en: 'A {attribute} identity cannot receive an INS: calling the INSi teleservice is forbidden (RNIV EXI SI 09).',
  },
  'vigilance.attribute-forces-prov': {
    fr: 'Une identité {attribute} reste au statut provisoire (PROV) ; {claimed} est interdit (RNIV EXI SI 09).',
    en: 'A {attribute} identity stays provisional (PROV); {claimed} is forbidden (RNIV EXI SI 09).',
  },
  'vigilance.status-needs-ins': {
    fr: 'Le statut {claimed} exige un INS vérifié auprès du téléservice INSi dans la même requête.',
    en: 'Status {claimed} requires an INS verified with the INSi teleservice in the same request.',
  },
  'vigilance.status-needs-document': {
    fr: 'Le statut {claimed} exige le contrôle d’un dispositif d’identification à haut niveau de confiance (validationMode).',
    en: 'Status {claimed} requires a check of a high-trust identity document (validationMode).',
  },
  'vigilance.status-mismatch': {
    fr: 'Le statut {claimed} ne correspond pas aux éléments fournis, qui établissent le statut {computed} ; le serveur calcule le statut.',
    en: 'Status {claimed} does not match the evidence given, which establishes status {computed}; the server computes the status.',
  },
  'vigilance.validation-date-invalid': {
    fr: 'La date du contrôle d’identité (validationDate {date}) ne peut être ni postérieure à aujourd’hui ni antérieure à la naissance.',
    en: 'The identity check date (validationDate {date}) can be neither after today nor before the birth date.',
  },
  'vigilance.document-under-doubt': {
    fr: 'Une identité douteuse ou fictive ({attribute}) ne peut pas être validée : le contrôle d’identité qui lève le doute doit être fait après celui-ci (validationDate au plus tôt le jour de la dernière version marquée {attribute}), pas celui enregistré pendant le doute.',
    en: 'A doubtful or fictitious identity ({attribute}) cannot be validated: the identity check lifting the doubt must be made after it (validationDate no earlier than the day of the last version marked {attribute}), not the one recorded while the doubt stood.',
  },
  'vigilance.appli-carte-vitale-forbidden': {
    fr: 'Seuls un professionnel ou le système d’une structure lisent l’Application carte Vitale ; ce compte ne peut pas enregistrer d’INS sur ce canal (methodCollection AV).',
    en: 'Only a professional or a care structure’s system reads the Appli carte Vitale; this account cannot record an INS through that channel (methodCollection AV).',
  },
  'vigilance.appli-carte-vitale-ins-changed': {
    fr: 'Le matricule INS de cette identité a été lu dans l’Application carte Vitale (methodCollection AV) ; il ne peut pas changer tant que ce mode de recueil est conservé. Retirez methodCollection AV pour faire vérifier le nouvel INS auprès du téléservice INSi, ou, pour une nouvelle lecture de l’application, retirez d’abord l’INS et le mode AV puis enregistrez la lecture.',
    en: 'This identity’s INS was read from the Appli carte Vitale (methodCollection AV); it cannot change while that collection method is kept. Remove methodCollection AV to have the new INS verified with the INSi teleservice or, for a new reading of the app, first remove the INS and AV, then record the reading.',
  },
  'vigilance.ins-profile-not-qualified': {
    fr: 'Le profil fr-core-patient-ins est celui d’une identité qualifiée ; cette identité est au statut {status}.',
    en: 'The fr-core-patient-ins profile is that of a qualified identity; this identity has status {status}.',
  },
  'vigilance.trait.family': { fr: 'nom de naissance', en: 'birth name' },
  'vigilance.trait.given': { fr: 'prénoms de naissance', en: 'birth first names' },
  'vigilance.trait.gender': { fr: 'sexe', en: 'sex' },
  'vigilance.trait.birthdate': { fr: 'date de naissance', en: 'birth date' },
  'vigilance.trait.birthplace': { fr: 'lieu de naissance', en: 'birth place' },
  'vigilance.trait.ins': { fr: 'matricule INS', en: 'INS number' },
  'vigilance.reason.created': { fr: 'création de l’identité', en: 'identity created' },
  'vigilance.reason.document': {
    fr: 'contrôle d’un dispositif d’identification ({mode})',
    en: 'identity document checked ({mode})',
  },
  'vigilance.reason.insi': { fr: 'INS vérifié auprès du téléservice INSi', en: 'INS verified with the INSi teleservice' },
  'vigilance.reason.appli-carte-vitale': {
    fr: 'INS et traits lus dans l’Application carte Vitale, identité qualifiée sans appel au téléservice INSi (RNIV 1 v2.0 §4.3.4)',
    en: 'INS and traits read from the Appli carte Vitale, identity qualified without an INSi call (RNIV 1 v2.0 §4.3.4)',
  },
  'vigilance.reason.traits': { fr: 'traits INS modifiés : {traits}', en: 'INS traits changed: {traits}' },
  'vigilance.reason.attribute': { fr: 'attribut {attribute} posé', en: 'attribute {attribute} set' },
  'vigilance.reason.ins-removed': { fr: 'INS retiré de l’identité', en: 'INS removed from the identity' },
  'vigilance.reason.document-removed': { fr: 'contrôle d’identité retiré', en: 'identity check removed' },
  'vigilance.transition': {
    fr: 'Statut de l’identité {from} → {to} : {reason}.',
    en: 'Identity status {from} → {to}: {reason}.',
  },
  'vigilance.task-description': {
    fr: 'Revue d’identitovigilance : l’identité est passée de {from} à {to} ({reason}). Vérifier les traits avec un dispositif d’identification puis interroger à nouveau le téléservice INSi.',
    en: 'Identity-vigilance review: the identity went from {from} to {to} ({reason}). Check the traits against an identity document, then query the INSi teleservice again.',
  },
  'vigilance.task-duplicate-ins': {
    fr: 'Doublon d’identité : le matricule INS de cette identité qualifiée est aussi porté par {count} autre(s) identité(s) qualifiée(s) active(s) de la base (voir les entrées). Une INS désigne une seule personne : vérifier les dossiers et les fusionner ($merge), ou corriger celui qui porte une INS erronée.',
    en: 'Identity doublon: the INS of this qualified identity is also held by {count} other active qualified identit(y/ies) of the base (see the inputs). One INS is one person: check the records and merge them ($merge), or correct the one holding a wrong INS.',
  },
  // Patient matching, cross-references and merging (src/identity/mpi/).
  'mpi.parameters-required': {
    fr: 'Le corps de la requête doit être une ressource Parameters.',
    en: 'The request body must be a Parameters resource.',
  },
  'mpi.parameter-invalid': {
    fr: 'Valeur invalide pour le paramètre {name} : {reason}.',
    en: 'Invalid value for parameter {name}: {reason}.',
  },
  'mpi.match.resource-required': {
    fr: 'L’opération $match attend une ressource Patient dans le paramètre « resource ».',
    en: 'The $match operation expects a Patient resource in the "resource" parameter.',
  },
  'mpi.match.traits-required': {
    fr: 'La ressource Patient ne porte ni nom, ni date de naissance, ni identifiant : rien à rapprocher.',
    en: 'The Patient resource carries no name, birth date or identifier: nothing to match on.',
  },
  'mpi.pix.source-required': {
    fr: 'Le paramètre sourceIdentifier est obligatoire, sous la forme système|valeur.',
    en: 'The sourceIdentifier parameter is required, as system|value.',
  },
  'mpi.pix.domain-unknown': {
    fr: 'sourceIdentifier : domaine d’identification (autorité d’affectation) inconnu.',
    en: 'sourceIdentifier Assigning Authority not found',
  },
  'mpi.pix.patient-unknown': {
    fr: 'sourceIdentifier : identifiant de patient inconnu.',
    en: 'sourceIdentifier Patient Identifier not found',
  },
  'mpi.pix.target-unknown': {
    fr: 'targetSystem : domaine d’identification cible inconnu.',
    en: 'targetSystem not found',
  },
  'mpi.pdq.domain-unknown': {
    fr: 'identifier : le domaine d’identification {system} n’est pas connu de ce serveur (aucun patient accessible n’y a d’identifiant).',
    en: 'targetSystem not found: identifier domain {system}',
  },
  'mpi.merge.patient-required': {
    fr: 'Le patient {role} doit être désigné par une référence ou des identifiants.',
    en: 'The {role} patient must be given by a reference or identifiers.',
  },
  'mpi.merge.patient-not-found': {
    fr: 'Le patient {role} désigné n’existe pas.',
    en: 'The {role} patient given does not exist.',
  },
  'mpi.merge.patient-ambiguous': {
    fr: 'Les identifiants du patient {role} désignent {count} patients ; un seul est attendu.',
    en: 'The identifiers of the {role} patient match {count} patients; exactly one is expected.',
  },
  'mpi.merge.same-patient': {
    fr: 'Le patient source et le patient cible sont le même patient.',
    en: 'The source and target patients are the same patient.',
  },
  'mpi.merge.source-merged': {
    fr: 'Le patient source a déjà été fusionné dans un autre patient.',
    en: 'The source patient has already been merged into another patient.',
  },
  'mpi.merge.target-merged': {
    fr: 'Le patient cible a été fusionné dans un autre patient ; choisissez le patient survivant.',
    en: 'The target patient has been merged into another patient; choose the surviving patient.',
  },
  'mpi.merge.result-mismatch': {
    fr: 'Le paramètre result-patient doit être le patient cible (même id).',
    en: 'The result-patient parameter must be the target patient (same id).',
  },
  'mpi.merge.different-ins': {
    fr: 'Le patient source et le patient cible portent des INS différents ({system}) : un INS désigne une seule personne, ce sont deux personnes et elles ne peuvent pas être fusionnées. Faites d’abord corriger l’INS erroné par l’identitovigilance.',
    en: 'The source and target patients hold different INS ({system}): one INS designates one person, so these are two people and cannot be merged. Have identity-vigilance correct the wrong INS first.',
  },
  'mpi.unmerge.not-merged': {
    fr: 'Aucune fusion de ce patient n’est enregistrée : rien à annuler.',
    en: 'No merge of this patient is recorded: nothing to undo.',
  },
  'mpi.unmerge.superseded': {
    fr: 'Le patient cible a depuis été fusionné à son tour ; annulez d’abord cette fusion-là.',
    en: 'The target patient has since been merged in turn; undo that merge first.',
  },
  'mpi.duplicates.too-many': {
    fr: 'Trop de patients ({count}) pour calculer la liste des doublons en une requête (limite {limit}).',
    en: 'Too many patients ({count}) to compute the duplicate list in one request (limit {limit}).',
  },
  'mpi.merge.outcome': {
    fr: 'Patient {source} fusionné dans {target} ; {moved} ressource(s) rattachée(s) au patient cible.',
    en: 'Patient {source} merged into {target}; {moved} resource(s) moved to the target patient.',
  },
  'mpi.merge.preview': {
    fr: 'Aperçu : la fusion de {source} dans {target} rattacherait {moved} ressource(s) au patient cible ; rien n’a été modifié.',
    en: 'Preview: merging {source} into {target} would move {moved} resource(s) to the target patient; nothing was changed.',
  },
  'mpi.not-duplicate.outcome': {
    fr: 'Les patients {first} et {second} sont enregistrés comme deux personnes distinctes ; la paire quitte la liste des doublons.',
    en: 'Patients {first} and {second} are recorded as two different people; the pair leaves the duplicate list.',
  },
  'mpi.unmerge.target-unverified': {
    fr: 'Cette fusion a été enregistrée avant que le contenu du patient cible ne soit conservé, et son historique ne permet pas de le restaurer à l’identique : le patient {target} a perdu ce que la fusion avait ajouté, mais peut garder le contenu d’un result-patient. Faites vérifier par l’identitovigilance ses traits, son INS et son statut contre sa version {version}.',
    en: 'This merge was recorded before the target patient’s content was kept, and its history does not allow an exact restore: patient {target} lost what the merge added, but may keep a result-patient’s content. Have identity-vigilance check its traits, INS and status against its version {version}.',
  },
  'mpi.unmerge.outcome': {
    fr: 'Fusion de {source} dans {target} annulée ; {moved} ressource(s) rendue(s) au patient source.',
    en: 'Merge of {source} into {target} undone; {moved} resource(s) given back to the source patient.',
  },
} as const satisfies Record<string, { fr: string; en: string }>;

export const identityErrors = {
  'insi.principal-required': { status: 401, type: 'login' },
  'insi.principal-forbidden': { status: 403, type: 'forbidden' },
  'insi.rate-limited': { status: 429, type: 'throttled' },
  'insi.parameters-required': { status: 400, type: 'structure' },
  'insi.parameter-missing': { status: 400, type: 'required' },
  'insi.parameter-repeated': { status: 400, type: 'structure' },
  'insi.parameter-unknown': { status: 400, type: 'not-supported' },
  'insi.parameter-type': { status: 400, type: 'structure' },
  'insi.name-invalid': { status: 422, type: 'value' },
  'insi.gender-invalid': { status: 422, type: 'code-invalid' },
  'insi.birthdate-invalid': { status: 422, type: 'value' },
  'insi.birthplace-invalid': { status: 422, type: 'value' },
  'insi.ins-invalid': { status: 422, type: 'value' },
  'insi.ins-system-unknown': { status: 422, type: 'code-invalid' },
  'insi.reference-not-patient': { status: 422, type: 'invalid' },
  'insi.reference-no-ins': { status: 422, type: 'required' },
  'insi.reference-trait-missing': { status: 422, type: 'required' },
  'insi.reference-inconsistent': { status: 422, type: 'business-rule' },
  'insi.reference-duplicate': { status: 422, type: 'duplicate' },
  'ins.not-an-ins': { status: 422, type: 'code-invalid' },
  'ins.use-invalid': { status: 422, type: 'value' },
  'ins.type-invalid': { status: 422, type: 'code-invalid' },
  'ins.number-format': { status: 422, type: 'value' },
  'ins.number-provisional': { status: 422, type: 'business-rule' },
  'ins.number-key': { status: 422, type: 'value' },
  'ins.number-month': { status: 422, type: 'value' },
  'ins.pseudo-month': { status: 422, type: 'informational' },
  'ins.computed-not-ins': { status: 422, type: 'informational' },
  'ins.sex-unknown': { status: 422, type: 'informational' },
  'ins.sex-mismatch': { status: 422, type: 'business-rule' },
  'ins.birth-year-mismatch': { status: 422, type: 'business-rule' },
  'ins.birth-month-mismatch': { status: 422, type: 'business-rule' },
  'ins.birthplace-mismatch': { status: 422, type: 'business-rule' },
  'ins.birthplace-renumbered': { status: 422, type: 'informational' },
  'ins.traits-missing': { status: 422, type: 'required' },
  'ins.official-name-shape': { status: 422, type: 'business-rule' },
  'ins.several-active': { status: 422, type: 'business-rule' },
  'ins.old-not-qualified': { status: 422, type: 'business-rule' },
  'ins.old-unproven': { status: 422, type: 'business-rule' },
  'ins.insi-mismatch': { status: 422, type: 'business-rule' },
  'ins.insi-unknown': { status: 422, type: 'business-rule' },
  'vigilance.reliability-several': { status: 422, type: 'business-rule' },
  'vigilance.status-unknown': { status: 422, type: 'code-invalid' },
  'vigilance.validation-mode-unknown': { status: 422, type: 'code-invalid' },
  'vigilance.dout-fict-together': { status: 422, type: 'business-rule' },
  'vigilance.insi-forbidden': { status: 422, type: 'business-rule' },
  'vigilance.attribute-forces-prov': { status: 422, type: 'business-rule' },
  'vigilance.status-needs-ins': { status: 422, type: 'business-rule' },
  'vigilance.status-needs-document': { status: 422, type: 'business-rule' },
  'vigilance.status-mismatch': { status: 422, type: 'business-rule' },
  'vigilance.ins-profile-not-qualified': { status: 422, type: 'business-rule' },
  'vigilance.validation-date-invalid': { status: 422, type: 'value' },
  'vigilance.document-under-doubt': { status: 422, type: 'business-rule' },
  'vigilance.appli-carte-vitale-forbidden': { status: 403, type: 'forbidden' },
  'vigilance.appli-carte-vitale-ins-changed': { status: 422, type: 'business-rule' },
  'mpi.parameters-required': { status: 400, type: 'structure' },
  'mpi.parameter-invalid': { status: 400, type: 'value' },
  'mpi.match.resource-required': { status: 400, type: 'required' },
  'mpi.match.traits-required': { status: 422, type: 'required' },
  'mpi.pix.source-required': { status: 400, type: 'required' },
  'mpi.pix.domain-unknown': { status: 400, type: 'code-invalid' },
  'mpi.pix.patient-unknown': { status: 404, type: 'not-found' },
  'mpi.pix.target-unknown': { status: 403, type: 'code-invalid' },
  'mpi.merge.patient-required': { status: 400, type: 'required' },
  'mpi.merge.patient-not-found': { status: 422, type: 'not-found' },
  'mpi.merge.patient-ambiguous': { status: 422, type: 'multiple-matches' },
  'mpi.merge.same-patient': { status: 422, type: 'business-rule' },
  'mpi.merge.source-merged': { status: 422, type: 'business-rule' },
  'mpi.merge.target-merged': { status: 422, type: 'business-rule' },
  'mpi.merge.result-mismatch': { status: 422, type: 'invalid' },
  'mpi.merge.different-ins': { status: 422, type: 'business-rule' },
  'mpi.unmerge.not-merged': { status: 422, type: 'not-found' },
  'mpi.unmerge.superseded': { status: 409, type: 'conflict' },
  'mpi.duplicates.too-many': { status: 400, type: 'too-costly' },
} as const satisfies Partial<Record<keyof typeof identityMessages, CatalogueEntry>>;
