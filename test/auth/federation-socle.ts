/**
 * The real Socle for the federation tests: the server of
 * test/support/test-server.ts, whose modules list `withFederation(authModule)`
 * (src/platform/modules.ts); federation is on when the overrides name an
 * upstream issuer.
 */
import type { AuthModule } from '../../src/auth/index.js';
import type { Config } from '../../src/config/settings.js';
import type { Platform } from '../../src/platform/create-platform.js';
import type { BackendName } from '../support/backends.js';
import { startTestServer } from '../support/test-server.js';

export interface FederatedSocle {
  readonly url: string;
  readonly platform: Platform;
  readonly auth: AuthModule;
  close(): Promise<void>;
}

/** `overrides` must name the port: the external provider has to know Socle's callback before Socle starts. */
export async function startFederatedSocle(backend: BackendName, overrides: Partial<Config> & { port: number }): Promise<FederatedSocle> {
  const server = await startTestServer(backend, overrides);
  const auth = server.running.platform.modules.find((m) => m.name === 'auth') as AuthModule | undefined;
  if (!auth) throw new Error('the auth module is not composed');
  return { url: server.url, platform: server.running.platform, auth, close: () => server.close() };
}
