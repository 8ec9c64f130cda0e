/**
 * What the auth module reads from the FHIR data, through the engine as any
 * module does (never SQL): the Practitioner of an idNat_PS, the Patient of an
 * INS and whether that INS is qualified (reference §1.3: only a qualified
 * identity may be used with its INS), the patients a professional may pick.
 */
import { SYSTEM_PRINCIPAL } from '../../core/principal.js';
import { IDENTITY_RELIABILITY, IDENTITY_STATUS_SYSTEM, INS_SYSTEMS } from '../../identity/fr-core.js';
import type { FhirEngine } from '../../fhir/rest/engine.js';

export type Json = Record<string, any>;

const ID_NAT_PS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
const INS_SYSTEM_SET: ReadonlySet<string> = new Set(Object.values(INS_SYSTEMS));

export class FhirLookup {
  constructor(private readonly engine: FhirEngine, private readonly baseUrl: string) {}

  /** Runs a FHIR GET as the system and returns the parsed body (undefined unless 200). */
  async get(path: string, query: readonly (readonly [string, string])[] = []): Promise<Json | undefined> {
    const response = await this.engine.handle({
      method: 'GET', path, query, headers: {}, baseUrl: this.baseUrl, language: 'fr', principal: SYSTEM_PRINCIPAL,
    });
    if (response.status !== 200 || !response.body) return undefined;
    if (response.body.kind === 'json') return response.body.value as Json;
    if (response.body.kind === 'text') return JSON.parse(response.body.text) as Json;
    return undefined;
  }

  /** Resources of a searchset Bundle with the given search mode ("match" or "include"). */
  async search(type: string, query: readonly (readonly [string, string])[], mode: 'match' | 'include' | 'any' = 'match'): Promise<Json[]> {
    const bundle = await this.get(type, query);
    const entries = Array.isArray(bundle?.entry) ? (bundle.entry as Json[]) : [];
    return entries.filter((e) => mode === 'any' || (e.search?.mode ?? 'match') === mode).map((e) => e.resource as Json);
  }

  /** The active Practitioner whose idNat_PS is `idNatPs`. */
  async practitioner(idNatPs: string): Promise<Json | undefined> {
    const [found] = await this.search('Practitioner', [['identifier', `${ID_NAT_PS_SYSTEM}|${idNatPs}`], ['_count', '2']]);
    return found && found.active !== false ? found : undefined;
  }

  /** The Patient whose INS is `ins`, and whether its identity is qualified. */
  async patientByIns(ins: string): Promise<{ patient: Json; qualified: boolean } | undefined> {
    const candidates = await this.search('Patient', [['identifier', ins], ['_count', '10']]);
    const patient = candidates.find((p) => (p.identifier as Json[] | undefined)?.some((i) => i.value === ins && INS_SYSTEM_SET.has(i.system)));
    return patient ? { patient, qualified: identityStatus(patient) === 'QUAL' } : undefined;
  }
}

/** The identity status (fr-core-identity-reliability → identityStatus) of a Patient. */
export function identityStatus(patient: Json): string | undefined {
  for (const reliability of (patient.extension as Json[] | undefined) ?? []) {
    if (reliability.url !== IDENTITY_RELIABILITY) continue;
    for (const part of (reliability.extension as Json[] | undefined) ?? []) {
      const coding = part.url === 'identityStatus' ? part.valueCoding : undefined;
      if (coding && (coding.system === undefined || coding.system === IDENTITY_STATUS_SYSTEM)) return coding.code as string;
    }
  }
  return undefined;
}

/** "Given FAMILY" from the first name of a Patient or Practitioner. */
export function displayName(resource: Json): string | undefined {
  const names = (resource.name as Json[] | undefined) ?? [];
  const name = names.find((n) => n.use === 'usual') ?? names.find((n) => n.use === 'official') ?? names[0];
  if (!name) return undefined;
  const given = Array.isArray(name.given) ? (name.given as string[])[0] : undefined;
  return [given, name.family].filter((p) => typeof p === 'string' && p !== '').join(' ') || undefined;
}
