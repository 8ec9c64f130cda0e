/** Patients for the MPI HTTP tests: FR Core shapes, local identifiers of two facilities (no INS: the INSi rules are tested apart). */
export const BIRTH_LIST = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name';
export const BIRTH_PLACE = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
export const INSEE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code';
export const IPP_LILLE = 'urn:oid:1.2.250.1.999.1.1';
export const IPP_ROUBAIX = 'urn:oid:1.2.250.1.999.2.1';

export interface PersonInput {
  family: string;
  used?: string;
  given: string[];
  gender: 'male' | 'female';
  birthDate: string;
  place?: string;
  identifiers?: { system: string; value: string }[];
}

export function patient(p: PersonInput): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    ...(p.identifiers ? { identifier: p.identifiers.map((i) => ({ use: 'usual', ...i })) } : {}),
    name: [
      { use: 'official', family: p.family, given: p.given.slice(0, 1), extension: [{ url: BIRTH_LIST, valueString: p.given.join(' ') }] },
      ...(p.used ? [{ use: 'usual', family: p.used }] : []),
    ],
    gender: p.gender,
    birthDate: p.birthDate,
    ...(p.place ? { extension: [{ url: BIRTH_PLACE, valueAddress: { extension: [{ url: INSEE, valueCoding: { code: p.place } }] } }] } : {}),
  };
}

export function matchParameters(resource: Record<string, unknown>, extra: Record<string, unknown>[] = []): Record<string, unknown> {
  return { resourceType: 'Parameters', parameter: [{ name: 'resource', resource }, ...extra] };
}

import type { FhirResult, TestServer } from '../support/test-server.js';

/** The bearer header of an operator token (system/*.cruds), minted by the auth module as `socle token --admin` does. */
async function operatorHeaders(server: TestServer): Promise<Record<string, string>> {
  const auth = server.running.platform.modules.find((m) => m.name === 'auth') as { mintToken?: (login: undefined, scope: string, ttl: number) => Promise<{ token: string }> } | undefined;
  if (!auth?.mintToken) return {};
  const { token } = await auth.mintToken(undefined, 'system/*.cruds', 3600);
  return { authorization: `Bearer ${token}` };
}

/** FHIR calls as an authenticated operator: the MPI tests are about matching and merging, not about who may. */
export interface Client {
  get(path: string): Promise<FhirResult>;
  post(path: string, body: unknown): Promise<FhirResult>;
  put(path: string, body: unknown): Promise<FhirResult>;
  create(resource: Record<string, unknown>): Promise<{ id: string } & Record<string, any>>;
}

export function operatorClient(server: () => TestServer): Client {
  const cache = new WeakMap<TestServer, Promise<Record<string, string>>>();
  const headers = (): Promise<Record<string, string>> => {
    const s = server();
    if (!cache.has(s)) cache.set(s, operatorHeaders(s));
    return cache.get(s) as Promise<Record<string, string>>;
  };
  return {
    get: async (path) => server().get(path, await headers()),
    post: async (path, body) => server().post(path, body, await headers()),
    put: async (path, body) => server().put(path, body, await headers()),
    async create(resource) {
      const result = await server().post(String(resource.resourceType), resource, await headers());
      if (result.status !== 201) throw new Error(`create ${String(resource.resourceType)} failed: ${result.status} ${result.text}`);
      return result.body;
    },
  };
}
