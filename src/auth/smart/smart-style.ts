/**
 * SMART's styling context (SMART App Launch 2.0, "App Launch: Launch context
 * arrives with your access_token", smart_style_url; capability
 * `context-style`): a JSON document of colours, sizes and fonts so that an
 * app can look like the platform that launched it. Socle's own pages follow
 * the French State design system (DSFR), so these are DSFR's values: blue
 * France for highlights, its error and success colours, the Marianne font.
 */
import type { FastifyInstance } from 'fastify';

export const SMART_STYLE_PATH = '/auth/smart-style.json';

const DSFR_STYLE = {
  color_background: '#ffffff',
  color_error: '#ce0500',
  color_highlight: '#000091',
  color_modal_backdrop: 'rgba(22, 22, 22, 0.64)',
  color_success: '#18753c',
  color_text: '#161616',
  dim_border_radius: '0px',
  dim_font_size: '16px',
  dim_spacing_size: '8px',
  font_family_body: 'Marianne, arial, sans-serif',
  font_family_heading: 'Marianne, arial, sans-serif',
};

/** The style document's URL for the provider whose issuer is `<origin>/oidc` (issuer.ts). */
export function smartStyleUrl(issuer: string): string {
  return `${issuer.replace(/\/oidc$/, '')}${SMART_STYLE_PATH}`;
}

export function registerSmartStyle(app: FastifyInstance): void {
  app.get(SMART_STYLE_PATH, async (_request, reply) => reply
    .header('cache-control', 'public, max-age=3600')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(DSFR_STYLE)));
}
