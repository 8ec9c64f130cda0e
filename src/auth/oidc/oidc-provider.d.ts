/**
 * The few parts of oidc-provider 8's API that Socle uses, typed loosely: the
 * package ships no TypeScript declarations (and @types/oidc-provider is not a
 * dependency). Contexts stay `any` because they are Koa contexts carrying the
 * provider's own `oidc` object.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AnyObject = Record<string, any>;

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: { readonly name: string; readonly reasons: readonly string[]; readonly details: AnyObject };
    readonly params: AnyObject;
    readonly session?: { readonly accountId?: string; readonly uid?: string };
    readonly grantId?: string;
    readonly lastSubmission?: AnyObject;
    readonly exp: number;
    save(ttl: number): Promise<string>;
  }

  export interface GrantInstance {
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: readonly string[]): void;
    addResourceScope(resource: string, scope: string): void;
    rejectOIDCScope(scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: AnyObject);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: { new (properties: { accountId: string; clientId: string }): GrantInstance; find(id: string): Promise<GrantInstance | undefined> };
    readonly Client: { find(id: string): Promise<AnyObject | undefined> };
    readonly AccessToken: { find(value: string): Promise<AnyObject | undefined> };
    readonly RefreshToken: { find(value: string, options?: { ignoreExpiration?: boolean; ignoreSessionBinding?: boolean }): Promise<AnyObject | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: AnyObject, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    on(event: string, listener: (...args: any[]) => void): this;
    use(middleware: (ctx: any, next: () => Promise<void>) => Promise<void>): void;
  }

  export const errors: Record<string, new (description?: string, detail?: string) => Error & { status: number; error: string }>;
}
