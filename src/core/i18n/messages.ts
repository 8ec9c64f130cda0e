/**
 * Every user-facing message of Socle, French first, English second.
 * Placeholders are written {name} and filled by `translate`.
 * Keys are stable: clients and tests may rely on them (they also travel as
 * the error code in OperationOutcome.issue.details.coding).
 */
import { auditMessages } from '../catalogue/audit.js';
import { authMessages } from '../catalogue/auth.js';
import { bulkMessages } from '../catalogue/bulk.js';
import { directoryMessages } from '../catalogue/directory.js';
import { identityMessages } from '../catalogue/identity.js';
import { profileMessages } from '../catalogue/profiles.js';
import { terminologyMessages } from '../catalogue/terminology.js';

const coreMessages = {
  'body.invalid-json': {
    fr: 'Le corps de la requête n’est pas un JSON valide : {reason}',
    en: 'The request body is not valid JSON: {reason}',
  },
  'body.duplicate-property': {
    fr: 'Le corps de la requête nomme deux fois la propriété {path} dans le même objet JSON : chaque nom ne doit y figurer qu’une fois (RFC 8259), sans quoi l’une des deux valeurs serait perdue sans que rien ne le dise.',
    en: 'The request body names property {path} twice in the same JSON object: each name must appear once (RFC 8259), otherwise one of the two values would be silently lost.',
  },
  'body.missing': {
    fr: 'Le corps de la requête est vide ; une ressource est attendue.',
    en: 'The request body is empty; a resource is expected.',
  },
  'body.not-a-resource': {
    fr: 'Le corps de la requête doit être une ressource FHIR (un objet JSON portant resourceType).',
    en: 'The request body must be a FHIR resource (a JSON object with a resourceType).',
  },
  'body.too-large': {
    fr: 'Le corps de la requête dépasse la taille maximale autorisée ({limit} octets).',
    en: 'The request body exceeds the maximum allowed size ({limit} bytes).',
  },
  'request.headers-too-large': {
    fr: 'L’adresse et les en-têtes de la requête dépassent la taille que le serveur lit ({limit} octets) : une longue recherche s’envoie en POST [type]/_search, ses paramètres dans le corps.',
    en: 'The request URL and headers exceed the size the server reads ({limit} bytes): send a long search as POST [type]/_search, its parameters in the body.',
  },
  'request.malformed': {
    fr: 'Requête HTTP mal formée : le serveur n’a pas pu lire sa ligne de requête ou ses en-têtes.',
    en: 'Malformed HTTP request: the server could not read its request line or headers.',
  },
  'request.timeout': {
    fr: 'La requête n’est pas arrivée en entier dans le délai imparti.',
    en: 'The request did not arrive in full within the time allowed.',
  },
  'body.invalid-utf8': {
    fr: 'Le corps de la requête n’est pas de l’UTF-8 valide : le JSON s’échange en UTF-8.',
    en: 'The request body is not valid UTF-8: JSON is exchanged in UTF-8.',
  },
  'media.unsupported-charset': {
    fr: 'Jeu de caractères non pris en charge : {charset}. Le JSON s’échange en UTF-8 (charset=utf-8 ou aucun).',
    en: 'Unsupported charset: {charset}. JSON is exchanged in UTF-8 (charset=utf-8 or none).',
  },
  'media.unsupported': {
    fr: 'Type de contenu non pris en charge : {contentType}. Utilisez application/fhir+json.',
    en: 'Unsupported content type: {contentType}. Use application/fhir+json.',
  },
  'media.not-acceptable': {
    fr: 'Aucun des formats demandés ({accept}) n’est disponible ; ce serveur répond en application/fhir+json.',
    en: 'None of the requested formats ({accept}) is available; this server answers in application/fhir+json.',
  },
  'type.unknown': {
    fr: 'Type de ressource inconnu : {type}.',
    en: 'Unknown resource type: {type}.',
  },
  'type.mismatch': {
    fr: 'Le resourceType du corps ({actual}) ne correspond pas à l’URL ({expected}).',
    en: 'The body resourceType ({actual}) does not match the URL ({expected}).',
  },
  'id.invalid': {
    fr: 'Identifiant logique invalide : « {id} » (1 à 64 caractères parmi A-Z a-z 0-9 - .).',
    en: 'Invalid logical id: "{id}" (1 to 64 characters among A-Z a-z 0-9 - .).',
  },
  'id.mismatch': {
    fr: 'L’id du corps ({bodyId}) ne correspond pas à l’id de l’URL ({urlId}).',
    en: 'The body id ({bodyId}) does not match the URL id ({urlId}).',
  },
  'id.missing-in-update': {
    fr: 'Une mise à jour exige que la ressource porte son id ({urlId}).',
    en: 'An update requires the resource to carry its id ({urlId}).',
  },
  'resource.not-found': {
    fr: 'Ressource introuvable : {type}/{id}.',
    en: 'Resource not found: {type}/{id}.',
  },
  'resource.version-not-found': {
    fr: 'Version introuvable : {type}/{id}/_history/{version}.',
    en: 'Version not found: {type}/{id}/_history/{version}.',
  },
  'resource.deleted': {
    fr: 'La ressource {type}/{id} a été supprimée.',
    en: 'Resource {type}/{id} has been deleted.',
  },
  'resource.deleted-ok': {
    fr: 'La ressource {type}/{id} a été supprimée.',
    en: 'Resource {type}/{id} was deleted.',
  },
  'resource.nothing-to-delete': {
    fr: 'Aucune ressource ne correspondait : rien n’a été supprimé.',
    en: 'No resource matched: nothing was deleted.',
  },
  'version.conflict': {
    fr: 'Conflit de version : la version courante de {type}/{id} est {current}, la requête visait {expected}.',
    en: 'Version conflict: the current version of {type}/{id} is {current}, the request targeted {expected}.',
  },
  'version.concurrent-update': {
    fr: 'La ressource {target} a été modifiée au même moment par une autre requête ; relisez-la puis réessayez.',
    en: 'Resource {target} was changed at the same time by another request; read it again, then retry.',
  },
  'version.exists': {
    fr: '{type}/{id} existe déjà : avec If-None-Match: *, un PUT ne fait que créer.',
    en: '{type}/{id} already exists: with If-None-Match: *, a PUT only creates.',
  },
  'version.mismatch': {
    fr: 'La version courante de {type}/{id} est {current}, et non {expected} comme l’exige If-Match.',
    en: 'The current version of {type}/{id} is {current}, not {expected} as If-Match requires.',
  },
  'version.if-match-invalid': {
    fr: 'En-tête If-Match invalide : {value} (attendu : W/"<version>").',
    en: 'Invalid If-Match header: {value} (expected W/"<version>").',
  },
  'version.required': {
    fr: 'Ce serveur exige un en-tête If-Match pour modifier {type}.',
    en: 'This server requires an If-Match header to change {type}.',
  },
  'conditional.multiple-matches': {
    fr: 'Les critères conditionnels ({criteria}) désignent plusieurs ressources ({count}).',
    en: 'The conditional criteria ({criteria}) match several resources ({count}).',
  },
  'conditional.no-criteria': {
    fr: 'Une opération conditionnelle exige au moins un critère de recherche.',
    en: 'A conditional operation requires at least one search criterion.',
  },
  'conditional.id-mismatch': {
    fr: 'La ressource trouvée par les critères ({found}) ne correspond pas à l’id du corps ({bodyId}).',
    en: 'The resource found by the criteria ({found}) does not match the body id ({bodyId}).',
  },
  'conditional.id-exists': {
    fr: 'Aucune ressource ne répond aux critères, mais {type}/{id}, l’id du corps, existe déjà : une mise à jour conditionnelle ne la remplace pas.',
    en: 'No resource matches the criteria, but {type}/{id}, the body id, already exists: a conditional update does not replace it.',
  },
  'conditional.criteria-invalid': {
    fr: 'Critères de création conditionnelle (If-None-Exist) invalides : « {value} ». Attendu : la partie requête d’une recherche sur {type} de ce serveur (par exemple identifier=système|valeur), éventuellement précédée de « {type}? ».',
    en: 'Invalid conditional create criteria (If-None-Exist): "{value}". Expected the query part of a search on {type} on this server (e.g. identifier=system|value), optionally preceded by "{type}?".',
  },
  'search.unknown-parameter': {
    fr: 'Paramètre de recherche inconnu pour {type} : {name}.',
    en: 'Unknown search parameter for {type}: {name}.',
  },
  'search.unknown-parameter-ignored': {
    fr: 'Paramètre de recherche inconnu ignoré : {name}.',
    en: 'Unknown search parameter ignored: {name}.',
  },
  'search.invalid-value': {
    fr: 'Valeur invalide pour le paramètre {name} : « {value} » ({reason}).',
    en: 'Invalid value for parameter {name}: "{value}" ({reason}).',
  },
  'search.unsupported-modifier': {
    fr: 'Le modificateur :{modifier} n’est pas permis sur le paramètre {name} (type {paramType}).',
    en: 'Modifier :{modifier} is not allowed on parameter {name} (type {paramType}).',
  },
  'search.unsupported-prefix': {
    fr: 'Le préfixe {prefix} n’est pas permis sur le paramètre {name}.',
    en: 'Prefix {prefix} is not allowed on parameter {name}.',
  },
  'search.chain-too-deep': {
    fr: 'Chaînage trop profond dans {name} : au plus {max} niveaux.',
    en: 'Chaining too deep in {name}: at most {max} levels.',
  },
  'search.chain-invalid': {
    fr: 'Chaînage invalide dans {name} : {reason}.',
    en: 'Invalid chain in {name}: {reason}.',
  },
  'search.sort-ignored': {
    fr: 'Clé de tri ignorée : {name} (aucun paramètre de ce nom ne permet de trier ces ressources).',
    en: 'Sort key ignored: {name} (no parameter of that name can sort these resources).',
  },
  'search.invalid-sort': {
    fr: 'Tri impossible sur {name} : ce paramètre n’existe pas pour {type}.',
    en: 'Cannot sort on {name}: no such parameter for {type}.',
  },
  'search.invalid-include': {
    fr: 'Inclusion invalide : « {value} » ({reason}).',
    en: 'Invalid include: "{value}" ({reason}).',
  },
  'search.invalid-cursor': {
    fr: 'Lien de page invalide ou expiré ; relancez la recherche.',
    en: 'Invalid or expired page link; run the search again.',
  },
  'search.invalid-control': {
    fr: 'Valeur invalide pour {name} : « {value} » (attendu : {expected}).',
    en: 'Invalid value for {name}: "{value}" (expected {expected}).',
  },
  'search.too-costly': {
    fr: 'Recherche trop coûteuse : {reason}.',
    en: 'Search too costly: {reason}.',
  },
  'search.too-many-values': {
    fr: 'Recherche trop vaste : {count} valeurs à comparer, {limit} au plus (chaque valeur séparée par une virgule, chaque paramètre et chaque _id comptent, dans les chaînages et _has aussi) ; répartissez-la sur plusieurs recherches.',
    en: 'Search too large: {count} values to compare, at most {limit} (every comma-separated value, every parameter and every _id counts, in chains and _has too); split it into several searches.',
  },
  'bundle.invalid-type': {
    fr: 'Seuls les Bundles de type batch ou transaction peuvent être soumis à la base ({type} reçu).',
    en: 'Only batch or transaction Bundles can be posted to the base ({type} received).',
  },
  'bundle.entry-invalid': {
    fr: 'Entrée {index} du Bundle invalide : {reason}.',
    en: 'Bundle entry {index} is invalid: {reason}.',
  },
  'bundle.entry-failed': {
    fr: 'L’entrée {index} de la transaction a échoué ; aucune modification n’a été enregistrée.',
    en: 'Transaction entry {index} failed; no change was recorded.',
  },
  'bundle.duplicate-fullurl': {
    fr: 'fullUrl en double dans la transaction : {fullUrl}.',
    en: 'Duplicate fullUrl in the transaction: {fullUrl}.',
  },
  'bundle.unresolved-reference': {
    fr: 'Référence non résolue dans la transaction : {reference}.',
    en: 'Unresolved reference in the transaction: {reference}.',
  },
  'bundle.conditional-reference': {
    fr: 'La référence conditionnelle {reference} désigne {count} ressources ; il en faut exactement une.',
    en: 'The conditional reference {reference} matches {count} resources; exactly one is needed.',
  },
  'bundle.conditional-reference-none': {
    fr: 'La référence conditionnelle {reference} ne désigne aucune ressource ; il en faut exactement une.',
    en: 'The conditional reference {reference} matches no resource; exactly one is needed.',
  },
  'bundle.batch-interdependent': {
    fr: 'L’entrée {index} du batch dépend de l’entrée {other} ({link}) : les entrées d’un batch doivent être indépendantes.',
    en: 'Batch entry {index} depends on entry {other} ({link}): the entries of a batch must be independent.',
  },
  'reference.conditional-outside-transaction': {
    fr: 'La référence conditionnelle {reference} n’est résolue que dans une transaction : envoyez la ressource dans un Bundle de type transaction, ou référencez-la par son id.',
    en: 'The conditional reference {reference} is resolved in a transaction only: send the resource in a transaction Bundle, or reference it by its id.',
  },
  'bundle.batch-conditional-reference': {
    fr: 'L’entrée {index} du batch contient une référence conditionnelle ({reference}) : elles ne sont résolues que dans une transaction.',
    en: 'Batch entry {index} holds a conditional reference ({reference}): they are resolved in a transaction only.',
  },
  'bundle.same-resource-twice': {
    fr: 'La transaction modifie deux fois la même ressource : {target}.',
    en: 'The transaction changes the same resource twice: {target}.',
  },
  'operation.unknown': {
    fr: 'Opération inconnue : {operation}.',
    en: 'Unknown operation: {operation}.',
  },
  'operation.parameters-required': {
    fr: '{operation} par POST attend une ressource Parameters.',
    en: '{operation} by POST expects a Parameters resource.',
  },
  'operation.parameter-repeated': {
    fr: 'Le paramètre {name} de {operation} ne peut être donné qu’une fois.',
    en: 'The {name} parameter of {operation} can be given only once.',
  },
  'operation.parameter-unsupported': {
    fr: 'Le paramètre {name} de {operation} n’est pas pris en charge.',
    en: 'The {name} parameter of {operation} is not supported.',
  },
  'operation.parameter-required': {
    fr: '{operation} exige le paramètre {name}.',
    en: '{operation} requires the {name} parameter.',
  },
  'operation.restricted': {
    fr: '{operation} à ce niveau n’est pas ouvert à un accès limité à certaines ressources : il dévoilerait des ressources hors de cette portée.',
    en: '{operation} at this level is not open to an access limited to some resources: it would reveal resources outside that reach.',
  },
  'operation.parameter-ignored': {
    fr: 'Paramètre {name} de {operation} ignoré : il n’est pas pris en charge.',
    en: 'Parameter {name} of {operation} ignored: it is not supported.',
  },
  'patch.narrative-unsafe': {
    fr: 'Ce patch modifie les données mais pas la narration, qui contient plus que les données (text.status additional) : elle deviendrait fausse. Mettez-la à jour dans le même patch, ou envoyez la ressource entière.',
    en: 'This patch changes the data but not the narrative, which holds more than the data (text.status additional): it would become wrong. Update it in the same patch, or send the whole resource.',
  },
  'patch.invalid': {
    fr: 'Patch invalide : {reason}.',
    en: 'Invalid patch: {reason}.',
  },
  'patch.unsupported-type': {
    fr: 'Le patch exige Content-Type: application/json-patch+json (JSON Patch) ou application/fhir+json avec une ressource Parameters (FHIRPath Patch) (reçu : {contentType}).',
    en: 'A patch requires Content-Type: application/json-patch+json (JSON Patch) or application/fhir+json with a Parameters resource (FHIRPath Patch) (received {contentType}).',
  },
  'method.not-allowed': {
    fr: 'Méthode {method} non permise sur {path}.',
    en: 'Method {method} is not allowed on {path}.',
  },
  'route.not-found': {
    fr: 'Aucune ressource à cette adresse : {path}.',
    en: 'Nothing at this address: {path}.',
  },
  'history.invalid-since': {
    fr: 'Valeur invalide pour _since : « {value} » (attendu : un instant, par exemple 2024-01-01T00:00:00Z).',
    en: 'Invalid _since value: "{value}" (expected an instant, e.g. 2024-01-01T00:00:00Z).',
  },
  'history.invalid-at': {
    fr: 'Valeur invalide pour _at : « {value} » (attendu : une date, par exemple 2024, 2024-03 ou 2024-03-12T10:00:00Z).',
    en: 'Invalid _at value: "{value}" (expected a date, e.g. 2024, 2024-03 or 2024-03-12T10:00:00Z).',
  },
  'history.unknown-parameter': {
    fr: 'Paramètre d’historique inconnu ou non pris en charge : {name} (possibles : _count, _since, _at).',
    en: 'Unknown or unsupported history parameter: {name} (use _count, _since, _at).',
  },
  'binary.too-large': {
    fr: 'Le contenu binaire dépasse la taille maximale autorisée ({limit} octets).',
    en: 'The binary content exceeds the maximum allowed size ({limit} bytes).',
  },
  'binary.security-context-invalid': {
    fr: 'En-tête X-Security-Context invalide : « {value} ». Attendu : une référence à une ressource de ce serveur, [type]/[id] ou [base]/[type]/[id], dont le Binary suivra les règles d’accès.',
    en: 'Invalid X-Security-Context header: "{value}". Expected a reference to a resource on this server, [type]/[id] or [base]/[type]/[id], whose access rules the Binary will follow.',
  },
  'validation.unknown-element': {
    fr: 'Élément inconnu : {name}.',
    en: 'Unknown element: {name}.',
  },
  'validation.type': {
    fr: 'Type incorrect : {expected} attendu, {actual} reçu.',
    en: 'Wrong type: expected {expected}, got {actual}.',
  },
  'validation.format': {
    fr: 'Valeur « {value} » invalide pour le type {type}.',
    en: 'Value "{value}" is not a valid {type}.',
  },
  'validation.min': {
    fr: 'Élément obligatoire manquant : {name} (minimum {min}).',
    en: 'Missing required element: {name} (minimum {min}).',
  },
  'validation.max': {
    fr: 'Trop de valeurs pour {name} : {count} (maximum {max}).',
    en: 'Too many values for {name}: {count} (maximum {max}).',
  },
  'validation.not-array': {
    fr: '{name} doit être un tableau JSON.',
    en: '{name} must be a JSON array.',
  },
  'validation.array-not-allowed': {
    fr: '{name} ne peut pas être un tableau JSON (cardinalité maximale 1).',
    en: '{name} cannot be a JSON array (maximum cardinality 1).',
  },
  'validation.empty': {
    fr: 'Valeur vide interdite : {name} (les éléments vides ne sont pas permis en FHIR).',
    en: 'Empty value not allowed: {name} (empty elements are not allowed in FHIR).',
  },
  'validation.null': {
    fr: 'Valeur null interdite : {name}.',
    en: 'Null value not allowed: {name}.',
  },
  'validation.choice-multiple': {
    fr: 'Un seul type est permis pour {name}[x] ({found}).',
    en: 'Only one type is allowed for {name}[x] ({found}).',
  },
  'validation.binding': {
    fr: 'Le code « {code} » n’appartient pas au jeu de valeurs requis {valueSet}.',
    en: 'Code "{code}" is not in the required value set {valueSet}.',
  },
  'validation.invariant': {
    fr: 'Contrainte {key} non respectée : {human}',
    en: 'Constraint {key} failed: {human}',
  },
  'validation.resource-type': {
    fr: 'resourceType manquant ou invalide : {value}.',
    en: 'Missing or invalid resourceType: {value}.',
  },
  'validation.contained-nested': {
    fr: 'Une ressource contenue ne peut pas elle-même contenir de ressources.',
    en: 'A contained resource cannot itself contain resources.',
  },
  'validation.primitive-extension-orphan': {
    fr: '{name} ne correspond à aucun élément primitif.',
    en: '{name} does not match any primitive element.',
  },
  'validation.ok': {
    fr: 'La ressource est valide.',
    en: 'The resource is valid.',
  },
  'validation.reference-target': {
    fr: 'Cette référence désigne une ressource {type}, que l’élément n’admet pas (types admis : {allowed}).',
    en: 'This reference names a {type} resource, which the element does not allow (allowed types: {allowed}).',
  },
  'validation.profile-unsupported': {
    fr: 'Profil inconnu : {profile}. Ni les StructureDefinition enregistrées sur ce serveur ni les profils publiés par HL7 avec FHIR R4 ne portent cette URL ; la ressource n’est pas vérifiée selon ce profil.',
    en: 'Unknown profile: {profile}. Neither the StructureDefinitions stored on this server nor the profiles HL7 publishes with FHIR R4 have this URL; the resource is not checked against it.',
  },
  'validation.delete-needs-id': {
    fr: 'Le mode delete de $validate porte sur une ressource désignée : [type]/[id]/$validate.',
    en: 'The delete mode of $validate is about a nominated resource: [type]/[id]/$validate.',
  },
  'validation.mode-invalid': {
    fr: 'Mode de validation inconnu : « {mode} » (attendu : create, update ou delete).',
    en: 'Unknown validation mode: "{mode}" (expected create, update or delete).',
  },
  'search.functional-list-unsupported': {
    fr: 'Liste fonctionnelle non prise en charge dans {name} : « {list} » ; désignez une List par son id.',
    en: 'Functional list not supported in {name}: "{list}"; name a List by its id.',
  },
  'search.ambiguous-reference': {
    fr: 'L’id « {id} » du paramètre {name} désigne plusieurs ressources ({matches}) ; précisez le type : {name}={type}/{id} ou {name}:{type}={id}.',
    en: 'The id "{id}" of parameter {name} names several resources ({matches}); give the type: {name}={type}/{id} or {name}:{type}={id}.',
  },
  'metadata.mode-invalid': {
    fr: 'Mode inconnu pour /metadata : « {mode} » (attendu : full, normative ou terminology).',
    en: 'Unknown mode for /metadata: "{mode}" (expected full, normative or terminology).',
  },
  'validation.too-deep': {
    fr: 'Contenu imbriqué trop profondément (au plus {max} niveaux).',
    en: 'Content nested too deeply (at most {max} levels).',
  },
  'server.internal': {
    fr: 'Erreur interne du serveur (référence {requestId}) ; rien n’a été enregistré.',
    en: 'Internal server error (reference {requestId}); nothing was recorded.',
  },
  'server.unavailable': {
    fr: 'Service momentanément indisponible ; réessayez plus tard.',
    en: 'Service temporarily unavailable; try again later.',
  },
  'server.timeout': {
    fr: 'La requête a pris trop de temps et a été interrompue.',
    en: 'The request took too long and was stopped.',
  },
  'import.rejected': {
    fr: 'Ressource rejetée ({where}) : {reason}',
    en: 'Resource rejected ({where}): {reason}',
  },
  'ok.created': {
    fr: 'Ressource créée.',
    en: 'Resource created.',
  },
  'ok.updated': {
    fr: 'Ressource mise à jour.',
    en: 'Resource updated.',
  },
  'ok.found': {
    fr: 'Une ressource correspondait déjà aux critères : rien n’a été créé.',
    en: 'A resource already matched the criteria: nothing was created.',
  },
} as const satisfies Record<string, { fr: string; en: string }>;

/** Every message of Socle: the core's and each service area's (../catalogue/). */
export const messages = { ...coreMessages, ...identityMessages, ...directoryMessages, ...authMessages, ...auditMessages, ...terminologyMessages, ...profileMessages, ...bulkMessages };

export type MessageKey = keyof typeof messages;
