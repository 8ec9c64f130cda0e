/**
 * Just enough of a browser for login flows driven by fetch: cookies kept per
 * origin (as two sites would be; cookies ignore ports, so two servers on
 * 127.0.0.1 would otherwise share theirs), Path honoured, redirects followed
 * one at a time so that a test can stop at any hop and look or tamper.
 */

interface StoredCookie {
  readonly value: string;
  readonly path: string;
}

export interface Hop {
  readonly url: string;
  readonly response: Response;
  /** Body text, read once. */
  readonly text: string;
}

export class CookieBrowser {
  private readonly jars = new Map<string, Map<string, StoredCookie>>();

  /** The cookie `name` this browser holds for `origin` (any path). */
  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(new URL(origin).origin)?.get(name)?.value;
  }

  private cookieHeader(url: URL): string | undefined {
    const jar = this.jars.get(url.origin);
    if (!jar) return undefined;
    const pairs = [...jar.entries()]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  private remember(url: URL, response: Response): void {
    const jar = this.jars.get(url.origin) ?? new Map<string, StoredCookie>();
    this.jars.set(url.origin, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
      const cut = pair.indexOf('=');
      const name = pair.slice(0, cut);
      const value = pair.slice(cut + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) || '/';
      const maxAge = attributes.find((a) => a.toLowerCase().startsWith('max-age='));
      const expires = attributes.find((a) => a.toLowerCase().startsWith('expires='));
      const gone = (maxAge !== undefined && Number(maxAge.slice(8)) <= 0) || (expires !== undefined && Date.parse(expires.slice(8)) < Date.now());
      if (gone || value === '') jar.delete(name);
      else jar.set(name, { value, path });
    }
  }

  /** One request, redirects not followed. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; accept?: string } = {}): Promise<Hop> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: init.accept ?? 'text/html' };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, redirect: 'manual', ...(body ? { body } : {}) });
    this.remember(target, response);
    return { url: target.href, response, text: await response.text() };
  }

  /**
   * Follows redirects from `url` until an answer is not a redirect, or the
   * next location satisfies `stopBefore` (then returns without going there).
   */
  async follow(url: string, options: { accept?: string; stopBefore?: (location: string) => boolean; form?: Record<string, string> } = {}): Promise<{ last: Hop; next?: string; hops: string[] }> {
    const hops: string[] = [];
    let hop = await this.request(url, { ...(options.form ? { form: options.form } : {}), ...(options.accept ? { accept: options.accept } : {}) });
    hops.push(hop.url);
    for (let i = 0; i < 20; i++) {
      const location = hop.response.headers.get('location');
      if (hop.response.status < 300 || hop.response.status >= 400 || !location) return { last: hop, hops };
      const next = new URL(location, hop.url).href;
      if (options.stopBefore?.(next)) return { last: hop, next, hops };
      hop = await this.request(next, options.accept ? { accept: options.accept } : {});
      hops.push(hop.url);
    }
    throw new Error(`too many redirects from ${url}`);
  }
}
